/**
 * Sync sockets live no longer than the session they were opened with. `ended` closes a session's
 * sockets (4401) when it ends here or on another replica (signed out, replaced by a new sign-in),
 * and remembers it for a while: an upgrade authorized just before it ended reaches the sync core
 * just after, and must be refused then. `check` finds the sessions that ended without a word: it
 * re-reads those whose expiry, as last read, has passed (every `checkMs`; none, usually), or all of
 * them after the relay reconnects (a session-ended message may have been lost meanwhile).
 */
import type { Logger } from 'pino';
import { CloseCode } from '@delivery-board/schema/types';
import type { ConnectionInfo } from './types.ts';

/** Authorization takes milliseconds; this is ample. */
const ENDED_MEMORY_MS = 60_000;

interface SessionSocket {
  info: ConnectionInfo;
}

export interface SessionSocketsDeps<C extends SessionSocket> {
  connections(): Iterable<C>;
  close(conn: C, code: number, reason: string): void;
  /** When a session expires, by id, or null once it has ended (Sessions.expiryOf). */
  expiryOf?: (sessionId: string) => Promise<number | null>;
  /** The clock expiries are compared with (tests move it). */
  now: () => number;
  isClosing(): boolean;
  logger: Logger;
  checkMs: number;
}

export class SessionSockets<C extends SessionSocket> {
  /** Sessions ended lately (id → until when remembered), in the order they ended. */
  private readonly endedAt = new Map<string, number>();
  private readonly timer: NodeJS.Timeout | null;
  private checking = false;

  constructor(private readonly deps: SessionSocketsDeps<C>) {
    this.timer = deps.expiryOf ? setInterval(() => void this.check(false), deps.checkMs) : null;
    this.timer?.unref();
  }

  hasEnded(sessionId: string): boolean {
    return this.endedAt.has(sessionId);
  }

  /** A session ended: its sockets here close with 4401 (the client, told so, stops reconnecting). */
  ended(sessionId: string): void {
    const now = Date.now();
    for (const [id, until] of this.endedAt) {
      if (until > now) break; // in the order they ended
      this.endedAt.delete(id);
    }
    this.endedAt.delete(sessionId);
    this.endedAt.set(sessionId, now + ENDED_MEMORY_MS);
    for (const conn of [...this.deps.connections()]) {
      if (conn.info.sessionId === sessionId) this.deps.close(conn, CloseCode.noSession, 'session ended');
    }
  }

  /**
   * Closes the sockets whose session has ended unseen: expired while they stayed open, or (`all`)
   * ended on another replica while its message was lost. Sessions slide, so one may have been
   * extended by a request meanwhile: its sockets then stay, with the new expiry.
   */
  async check(all: boolean): Promise<void> {
    const expiryOf = this.deps.expiryOf;
    if (!expiryOf || this.deps.isClosing() || (!all && this.checking)) return;
    this.checking = true;
    try {
      const now = this.deps.now();
      const due = new Set<string>();
      for (const conn of this.deps.connections()) if (all || conn.info.sessionExpiresAt <= now) due.add(conn.info.sessionId);
      // One after the other: a read per session, never all pooled connections at once.
      for (const sessionId of due) {
        let expiresAt: number | null;
        try {
          expiresAt = await expiryOf(sessionId);
        } catch (err) {
          this.deps.logger.warn({ err }, "re-reading a sync socket's session failed; trying again next time");
          continue;
        }
        if (this.deps.isClosing()) return;
        if (expiresAt === null || expiresAt <= this.deps.now()) {
          this.ended(sessionId);
          continue;
        }
        for (const conn of this.deps.connections()) if (conn.info.sessionId === sessionId) conn.info = { ...conn.info, sessionExpiresAt: expiresAt };
      }
    } finally {
      this.checking = false;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
