/**
 * Who is signed in, and their boards. Loaded from GET /api/me; the last good answer is kept in
 * localStorage so the app knows the user and their boards at once when it opens, and still when
 * it opens without a network (the board itself then comes from IndexedDB). Sign-out forgets both.
 *
 * Sign-out always signs out of this device, network or not: the session cookie is httpOnly, so when
 * the server cannot be told, a pending-logout flag is kept in localStorage and POST logout is sent
 * by the next `refresh()` (app start, back online) before /api/me is trusted again.
 */
import { createContext, createSignal, useContext, type Accessor } from 'solid-js';
import type { BoardSummary, PublicUser } from '@delivery-board/schema/types';
import { ApiError, errorMessage, type Api, type Me } from './api.ts';
import { clearBoardStores } from './clearBoardStores.ts';

export type SessionState = 'loading' | 'signedIn' | 'signedOut' | 'error';

export interface Session {
  state: Accessor<SessionState>;
  user: Accessor<PublicUser | null>;
  boards: Accessor<BoardSummary[]>;
  /** True when the user and boards shown come from the device cache because the server is unreachable. */
  offline: Accessor<boolean>;
  /** Message for state `error` (the server answered, but not with a user). */
  error: Accessor<string | null>;
  /** True while this device is signed out but the server has not been told yet (it was unreachable). */
  logoutPending: Accessor<boolean>;
  /**
   * Sends a pending logout if there is one, then reloads /api/me. Resolves once the state is
   * settled; never rejects.
   */
  refresh(): Promise<void>;
  /** Call after a successful sign-in or registration: the new cookie replaces the one a pending logout was for. */
  signedIn(): Promise<void>;
  /**
   * Forgets the user and this device's board copies, and signs out on the server, or remembers to
   * once it is reachable (see `logoutPending`). Never rejects.
   */
  signOut(): Promise<void>;
}

const CACHE_KEY = 'delivery-board:me';
/**
 * Deliberately outside clearBoardStores' `delivery-board:` prefix: sign-out clears those keys, and
 * this flag must outlive that (and a closed tab) until the server has been told.
 */
export const PENDING_LOGOUT_KEY = 'delivery-board-pending-logout';

function readFlag(storage: Storage | null): boolean {
  try {
    return storage?.getItem(PENDING_LOGOUT_KEY) === '1';
  } catch {
    return false;
  }
}

function writeFlag(storage: Storage | null, pending: boolean): void {
  try {
    if (pending) storage?.setItem(PENDING_LOGOUT_KEY, '1');
    else storage?.removeItem(PENDING_LOGOUT_KEY);
  } catch {
    // Storage disabled: the flag then lives only as long as this page.
  }
}

function readCache(storage: Storage | null): Me | null {
  try {
    const raw = storage?.getItem(CACHE_KEY);
    return raw ? (JSON.parse(raw) as Me) : null;
  } catch {
    return null;
  }
}

function writeCache(storage: Storage | null, me: Me | null): void {
  try {
    if (me) storage?.setItem(CACHE_KEY, JSON.stringify(me));
    else storage?.removeItem(CACHE_KEY);
  } catch {
    // Storage full or disabled: the cache is an optimisation only.
  }
}

/** Creates the session store; call `refresh()` once to load it. */
export function createSession(api: Api, storage: Storage | null = globalThis.localStorage ?? null): Session {
  // A device that was signed in starts signed in from its cache, so a board opens from IndexedDB
  // without waiting for the network; `refresh()` then confirms it (or signs out on a 401).
  const cached = readCache(storage);
  const [me, setMe] = createSignal<Me | null>(cached);
  const [state, setState] = createSignal<SessionState>(cached ? 'signedIn' : 'loading');
  const [offline, setOffline] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [logoutPending, setLogoutPendingSignal] = createSignal(readFlag(storage));
  const setLogoutPending = (pending: boolean) => {
    writeFlag(storage, pending);
    setLogoutPendingSignal(pending);
  };

  /** POST logout; true once the server no longer knows the session (a 401 means it never did). */
  async function tellServer(): Promise<boolean> {
    try {
      await api.logout();
      return true;
    } catch (err) {
      return err instanceof ApiError && err.status === 401;
    }
  }

  async function refresh(): Promise<void> {
    if (logoutPending()) {
      // The cookie still names the session the user signed out of: /api/me would sign them back in.
      if (!(await tellServer())) {
        setMe(null);
        setState('signedOut');
        return;
      }
      setLogoutPending(false);
    }
    try {
      const next = await api.me();
      setMe(next);
      writeCache(storage, next);
      setOffline(false);
      setError(null);
      setState('signedIn');
    } catch (err) {
      const cached = readCache(storage);
      if (err instanceof ApiError && err.isNetwork && cached) {
        setMe(cached);
        setOffline(true);
        setState('signedIn');
      } else if (err instanceof ApiError && err.status === 401) {
        setMe(null);
        writeCache(storage, null);
        setState('signedOut');
      } else {
        setError(errorMessage(err));
        setState('error');
      }
    }
  }

  async function signedIn(): Promise<void> {
    setLogoutPending(false);
    await refresh();
  }

  async function signOut(): Promise<void> {
    // Unreachable server or not, this device forgets the user: on a shared phone with no signal the
    // next person must not find the last one's boards or send their queued claims.
    setLogoutPending(!(await tellServer()));
    const boardIds = (me()?.boards ?? []).map((b) => b.id);
    writeCache(storage, null);
    setMe(null);
    setOffline(false);
    // Signed out before the stores are cleared: the board view unmounts and closes its databases,
    // which IndexedDB waits for before deleting them.
    setState('signedOut');
    await clearBoardStores(boardIds);
  }

  return {
    state,
    user: () => me()?.user ?? null,
    boards: () => me()?.boards ?? [],
    offline,
    error,
    logoutPending,
    refresh,
    signedIn,
    signOut,
  };
}

export const SessionContext = createContext<Session>();

/** The session provided by an enclosing `<SessionContext.Provider>`. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() needs a <SessionContext.Provider> above it');
  return session;
}
