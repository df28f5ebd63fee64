/**
 * Who is signed in, and their boards. Loaded from GET /api/me; the last good answer is kept in
 * localStorage so the app knows the user and their boards at once when it opens, and still when
 * it opens without a network (the board itself then comes from IndexedDB). Sign-out forgets both.
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
  /** Reloads /api/me. Resolves once the state is settled; never rejects. */
  refresh(): Promise<void>;
  /** Signs out on the server, then forgets the user and this device's board copies. Rejects on failure. */
  signOut(): Promise<void>;
}

const CACHE_KEY = 'delivery-board:me';

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

  async function refresh(): Promise<void> {
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

  async function signOut(): Promise<void> {
    try {
      await api.logout();
    } catch (err) {
      // Already signed out on the server (expired session): still forget everything here.
      if (!(err instanceof ApiError && err.status === 401)) throw err;
    }
    const boardIds = (me()?.boards ?? []).map((b) => b.id);
    writeCache(storage, null);
    setMe(null);
    setState('signedOut');
    await clearBoardStores(boardIds);
  }

  return {
    state,
    user: () => me()?.user ?? null,
    boards: () => me()?.boards ?? [],
    offline,
    error,
    refresh,
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
