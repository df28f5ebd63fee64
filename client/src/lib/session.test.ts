import { describe, expect, it, vi } from 'vitest';

// Node resolves solid-js to its server build, where signals do not propagate: use the browser build.
// @ts-expect-error the file has no type declarations of its own (same API as 'solid-js')
vi.mock('solid-js', () => import('solid-js/dist/solid.js'));

import { createRoot } from 'solid-js';
import { ApiError, type Api, type Me } from './api.ts';
import { PENDING_LOGOUT_KEY, createSession } from './session.ts';
import { memoryStorage } from '../testing/memoryStorage.ts';

const ME: Me = { user: { id: 'u1', name: 'Sam Okafor', email: 'sam@example.org' }, boards: [{ id: 'b1', name: 'Northside', role: 'driver' }] } as Me;

/** Just enough of the API: a server holding one cookie's session, and a network that can drop. */
function fakeApi() {
  const server = { reachable: true, sessionValid: true, logouts: 0 };
  const unreachable = () => new ApiError(0, 'network_error', "Can't reach the server.");
  const api = {
    me: async () => {
      if (!server.reachable) throw unreachable();
      if (!server.sessionValid) throw new ApiError(401, 'unauthorized', 'Sign in first');
      return ME;
    },
    logout: async () => {
      if (!server.reachable) throw unreachable();
      server.logouts++;
      if (!server.sessionValid) throw new ApiError(401, 'unauthorized', 'Sign in first');
      server.sessionValid = false;
    },
  };
  return { api: api as unknown as Api, server };
}

/** A device signed in against the fake server (call inside a root). */
async function signedIn() {
  const storage = memoryStorage();
  const { api, server } = fakeApi();
  const session = createSession(api, storage);
  await session.refresh();
  return { storage, api, server, session };
}

const inRoot = <T>(fn: () => Promise<T>) => createRoot(async (dispose) => fn().finally(dispose));

describe('signOut', () => {
  it('signs out on the server and forgets the cached user', () =>
    inRoot(async () => {
      const { storage, server, session } = await signedIn();
      expect(session.state()).toBe('signedIn');
      expect(storage.getItem('delivery-board:me')).not.toBeNull();

      await session.signOut();
      expect(session.state()).toBe('signedOut');
      expect(session.user()).toBeNull();
      expect(session.logoutPending()).toBe(false);
      expect(server.sessionValid).toBe(false);
      expect(storage.length).toBe(0);
    }));

  it('with no network, still signs out of this device and tells the server once it is back', () =>
    inRoot(async () => {
      const { storage, api, server, session } = await signedIn();

      server.reachable = false;
      await expect(session.signOut()).resolves.toBeUndefined();
      expect(session.state()).toBe('signedOut');
      expect(session.boards()).toEqual([]);
      expect(storage.getItem('delivery-board:me')).toBeNull();
      expect(session.logoutPending()).toBe(true);
      expect(storage.getItem(PENDING_LOGOUT_KEY)).toBe('1');

      // Reopened offline: the cookie is still there, but the app must not trust it.
      const reopened = createSession(api, storage);
      expect(reopened.state()).toBe('loading');
      await reopened.refresh();
      expect(reopened.state()).toBe('signedOut');
      expect(server.sessionValid).toBe(true);

      // Back online: logout goes out before /api/me, so the old session does not sign the user back in.
      server.reachable = true;
      await reopened.refresh();
      expect(server.logouts).toBe(1);
      expect(server.sessionValid).toBe(false);
      expect(reopened.state()).toBe('signedOut');
      expect(reopened.logoutPending()).toBe(false);
      expect(storage.getItem(PENDING_LOGOUT_KEY)).toBeNull();
    }));

  it('a session the server had already ended needs no pending logout', () =>
    inRoot(async () => {
      const { server, session } = await signedIn();
      server.sessionValid = false;
      await session.signOut();
      expect(session.logoutPending()).toBe(false);
    }));

  it('a new sign-in clears the pending logout instead of sending it with the new cookie', () =>
    inRoot(async () => {
      const { storage, server, session } = await signedIn();
      server.reachable = false;
      await session.signOut();

      // The user signs in again (the login answer set a new cookie for a new, valid session).
      server.reachable = true;
      server.sessionValid = true;
      await session.signedIn();
      expect(server.logouts).toBe(0);
      expect(session.state()).toBe('signedIn');
      expect(session.logoutPending()).toBe(false);
      expect(storage.getItem(PENDING_LOGOUT_KEY)).toBeNull();
    }));
});
