/**
 * The relay between replicas, as the sync core sees it: a hook interface with no transport in it
 * (the Redis implementation lives in server/src/relay/). Several replicas serving the same document
 * each hold it in memory; the relay carries what one of them stored to the others, so a load
 * balancer can send any client to any replica.
 *
 * Contract, relied on by SyncServer and Room:
 * - The relay is the fast path, the database is the truth. Updates are published only after the
 *   store has them; a replica that missed messages catches up from the store (`resync`, and a
 *   periodic catch-up), so losing a message delays convergence but never loses an edit.
 * - A replica never receives its own messages (each relay has an id and drops its echoes).
 * - `subscribe` resolves once messages for the document are delivered (or at once when the relay
 *   is down: the `resync` after it comes back covers the gap). The SyncServer subscribes *before*
 *   loading a document, so nothing stored between the load and the subscription is missed.
 * - Messages on one document arrive in the order their sender published them.
 */
import type { Role } from '@delivery-board/schema/types';

/** What the relay delivers; implemented by the SyncServer. */
export interface RelayHandlers {
  /** Updates another replica has stored for `docName`, in its append order, with their seqs. */
  updates(docName: string, updates: Uint8Array[], seqs: number[]): void;
  /** An awareness update (y-protocols encoding) from another replica's clients. */
  awareness(docName: string, update: Uint8Array): void;
  /** Another replica (re)loaded `docName` and asks for the awareness of everyone's local clients. */
  awarenessQuery(docName: string): void;
  /** A membership change made on another replica: apply it to local sockets. */
  access(boardId: string, userId: string, role: Role | null): void;
  /** A session ended on another replica (signed out, replaced): close its local sockets. */
  sessionEnded?(sessionId: string): void;
  /**
   * The relay (re)connected and its subscriptions are in place: messages may have been lost
   * meanwhile, so catch up from the store. Called on the first connection too.
   */
  resync(): void;
}

export interface Relay {
  /** Unique per process; messages carry it so that a replica drops its own echoes. */
  readonly replicaId: string;
  /** Called once, by the SyncServer that owns this relay. */
  start(handlers: RelayHandlers): void;
  subscribe(docName: string): Promise<void>;
  unsubscribe(docName: string): void;
  /** Publishes updates this replica has stored (fire and forget: a lost message is caught up). */
  publishUpdates(docName: string, updates: Uint8Array[], seqs: number[]): void;
  publishAwareness(docName: string, update: Uint8Array): void;
  queryAwareness(docName: string): void;
  publishAccess(boardId: string, userId: string, role: Role | null): void;
  /**
   * Like access changes, queued while Redis is away (up to a bound). Resolves once Redis has passed
   * it on to the other replicas (or queued it, or after a bounded wait); never rejects.
   */
  publishSessionEnded(sessionId: string): Promise<void>;
  /** Whether messages currently flow (for readiness checks). */
  isReady(): boolean;
  /** Messages not published since start because Redis was away (the database carried them). */
  droppedCount(): number;
  /** Sends what is queued, then disconnects. */
  close(): Promise<void>;
}
