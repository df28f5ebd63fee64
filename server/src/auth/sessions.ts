/**
 * Sessions per Lucia's design: the cookie holds a random token, the database only its SHA-256.
 * Sessions last 30 days and slide: used within the last 15 days of its life, a session is extended.
 * A session that ends here (signed out, replaced by a new sign-in, found expired) is reported to
 * `onEnded`, which the server uses to close that session's sync sockets on every replica.
 */
import type { SessionStore, UserRecord } from '../stores/types.ts';
import { generateToken, hashToken } from './tokens.ts';

export const SESSION_COOKIE = 'session';
const DAY = 24 * 60 * 60 * 1000;
export const SESSION_TTL_MS = 30 * DAY;

export interface Sessions {
  create(userId: string): Promise<{ token: string; expiresAt: number }>;
  /** The user behind a token, or null; extends the session when due. */
  validate(token: string): Promise<{ user: UserRecord; sessionId: string; expiresAt: number; refreshed: boolean } | null>;
  invalidate(token: string): Promise<void>;
  /**
   * When a session expires, by its id (not its token), or null if it has ended; an expired one is
   * deleted. Never extends it. For open sync sockets, whose session may end while they stay open.
   */
  expiryOf(sessionId: string): Promise<number | null>;
}

export function createSessions(deps: {
  sessions: SessionStore;
  now?: () => number;
  /**
   * Called after a session's row is deleted (by its id), so that whatever it still holds open ends
   * too; awaited, so that the request that ended it is answered only once that is done.
   */
  onEnded?: (sessionId: string) => Promise<void> | void;
}): Sessions {
  const now = deps.now ?? Date.now;
  return {
    async create(userId) {
      const token = generateToken();
      const t = now();
      const expiresAt = t + SESSION_TTL_MS;
      await deps.sessions.create({ id: hashToken(token), userId, expiresAt, createdAt: t });
      return { token, expiresAt };
    },
    async validate(token) {
      if (!/^[a-z2-7]{32}$/.test(token)) return null;
      const id = hashToken(token);
      // One read for the session and its user: this runs on every authenticated request.
      const found = await deps.sessions.getWithUser(id);
      if (!found) return null;
      const { session, user } = found;
      const t = now();
      if (t >= session.expiresAt) {
        await deps.sessions.delete(id);
        await deps.onEnded?.(id);
        return null;
      }
      let { expiresAt } = session;
      const refreshed = t >= expiresAt - SESSION_TTL_MS / 2;
      if (refreshed) {
        expiresAt = t + SESSION_TTL_MS;
        await deps.sessions.setExpiry(id, expiresAt);
      }
      return { user, sessionId: id, expiresAt, refreshed };
    },
    async invalidate(token) {
      const id = hashToken(token);
      await deps.sessions.delete(id);
      // After the delete: a socket that reconnects when closed is then refused (4401).
      await deps.onEnded?.(id);
    },
    async expiryOf(sessionId) {
      const found = await deps.sessions.getWithUser(sessionId);
      if (!found) return null;
      if (now() >= found.session.expiresAt) {
        await deps.sessions.delete(sessionId);
        return null;
      }
      return found.session.expiresAt;
    },
  };
}
