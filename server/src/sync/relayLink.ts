/**
 * Joins a SyncServer's rooms to the relay (sync/relay.ts): what arrives is applied to the loaded
 * room with origin `relay`; what rooms store or their clients' awareness does is published; and
 * the catch-up from the store runs on every (re)connection of the relay and every `catchUpMs`.
 *
 * Ordering and races:
 * - A room subscribes *before* it loads. An update another replica stores meanwhile is either in
 *   the load or arrives by the relay (or both: Yjs applies it once). Messages for a room still
 *   loading wait on its promise and are applied in arrival order once it has loaded.
 * - `resync` (relay back after a drop) runs after the subscriptions are back, so a catch-up read
 *   then covers everything the relay missed; later messages arrive normally.
 * - The periodic catch-up covers what no reconnection reveals: a replica that stored an update and
 *   died before publishing it, or a publish dropped while that replica's own connection was down.
 *   It asks for seqs above what the room has seen, except those the room holds (its own appends
 *   and what the relay brought, whose seqs the messages carry), so when nothing is missing it
 *   reads nothing.
 * - Access changes lost in a Redis outage are repaired on `resync` by re-reading the role of every
 *   user with an open socket (when the `getRole` hook is given), and ended sessions by re-reading
 *   the session of every open socket (`recheckSessions`).
 */
import type { Logger } from 'pino';
import type { Role } from '@delivery-board/schema/types';
import type { Relay } from './relay.ts';
import type { Room } from './room.ts';
import type { ConnectionInfo } from './types.ts';

/** What the link needs from its SyncServer. */
export interface RelayLinkHost {
  logger: Logger;
  /** A loaded or loading room, if any. */
  room(docName: string): Promise<Room> | undefined;
  /** Rooms that have finished loading. */
  loadedRooms(): Iterable<Room>;
  /** Every room, loading ones included. */
  allRooms(): Iterable<Promise<Room>>;
  /** Open connections (for the role re-check). */
  connections(): Iterable<{ info: ConnectionInfo }>;
  /** Applies an access change to local sockets only. */
  applyAccess(boardId: string, userId: string, role: Role | null): void;
  /** Closes the local sockets of a session that ended on another replica. */
  applySessionEnded(sessionId: string): void;
  /** Re-reads the session of every open socket and closes those that ended. */
  recheckSessions(): Promise<void>;
  getRole?: (boardId: string, userId: string) => Promise<Role | null>;
  isClosing(): boolean;
}

const CATCH_UP_STEP_TIMEOUT_MS = 10_000;

export class RelayLink {
  private readonly timer: NodeJS.Timeout;
  private catchingUpAll = false;

  constructor(
    readonly relay: Relay,
    private readonly host: RelayLinkHost,
    catchUpMs: number,
  ) {
    relay.start({
      updates: (docName, updates, seqs) => this.withRoom(docName, (room) => room.applyStored(updates, seqs)),
      awareness: (docName, update) => this.withRoom(docName, (room) => room.presence.applyRemote(update)),
      awarenessQuery: (docName) => this.withRoom(docName, (room) => this.publishLocalAwareness(room)),
      access: (boardId, userId, role) => {
        if (!host.isClosing()) host.applyAccess(boardId, userId, role);
      },
      sessionEnded: (sessionId) => {
        if (!host.isClosing()) host.applySessionEnded(sessionId);
      },
      resync: () => this.resync(),
    });
    this.timer = setInterval(() => void this.catchUpAll('periodic'), catchUpMs);
    this.timer.unref();
  }

  /** Call before loading a room: resolves once the relay delivers its messages. */
  beforeLoad(docName: string): Promise<void> {
    return this.relay.subscribe(docName);
  }

  /** Call once a room has loaded: asks other replicas for their clients' awareness. */
  loaded(room: Room): void {
    this.relay.queryAwareness(room.name);
  }

  /** Call when a room leaves memory (or failed to load). */
  unloaded(docName: string): void {
    this.relay.unsubscribe(docName);
  }

  stored(room: Room, updates: Uint8Array[], seqs: number[]): void {
    this.relay.publishUpdates(room.name, updates, seqs);
  }

  localAwareness(room: Room, update: Uint8Array): void {
    this.relay.publishAwareness(room.name, update);
  }

  publishAccess(boardId: string, userId: string, role: Role | null): void {
    this.relay.publishAccess(boardId, userId, role);
  }

  publishSessionEnded(sessionId: string): Promise<void> {
    return this.relay.publishSessionEnded(sessionId);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.relay.close();
  }

  private withRoom(docName: string, fn: (room: Room) => void) {
    if (this.host.isClosing()) return;
    this.host.room(docName)?.then(
      (room) => {
        try {
          fn(room);
        } catch (err) {
          // A malformed message from another replica must not take anything else down.
          this.host.logger.warn({ err: String(err), doc: docName }, 'could not apply a relay message');
        }
      },
      () => {}, // the room failed to load; its connections were closed
    );
  }

  private publishLocalAwareness(room: Room) {
    const update = room.presence.localStates();
    if (update) this.relay.publishAwareness(room.name, update);
  }

  private resync() {
    if (this.host.isClosing()) return;
    // Loading rooms too: their load may have read the store before the relay came back.
    for (const loading of this.host.allRooms()) {
      loading.then(
        (room) => {
          if (this.host.isClosing() || room.isDestroyed) return;
          this.catchUp(room, 'relay reconnected');
          // Awareness changes made while the relay was down went nowhere: show ours, ask for theirs.
          this.publishLocalAwareness(room);
          this.relay.queryAwareness(room.name);
        },
        () => {},
      );
    }
    void this.recheckRoles();
    // A session-ended message may have been lost too.
    void this.host.recheckSessions();
  }

  /**
   * One room after the other: each read is one short query, and running them all at once would
   * hold every pooled connection while the edits' appends wait behind them (a latency spike every
   * interval). A pass still running when the next is due is not doubled.
   */
  private async catchUpAll(why: string) {
    if (this.host.isClosing() || this.catchingUpAll) return;
    this.catchingUpAll = true;
    try {
      for (const room of [...this.host.loadedRooms()]) {
        if (this.host.isClosing()) return;
        if (room.isDestroyed) continue;
        // A read that hangs (a dead connection not yet noticed) must not stall the other rooms.
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([
          this.catchUp(room, why).then(() => false),
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), CATCH_UP_STEP_TIMEOUT_MS))),
        ]);
        clearTimeout(timer);
        if (timedOut) this.host.logger.warn({ doc: room.name, why }, 'catch-up from the store is taking long; going on with the other documents');
      }
    } finally {
      this.catchingUpAll = false;
    }
  }

  private catchUp(room: Room, why: string): Promise<void> {
    return room.catchUp().catch((err) => this.host.logger.warn({ err, doc: room.name, why }, 'catch-up from the store failed'));
  }

  private async recheckRoles() {
    const getRole = this.host.getRole;
    if (!getRole) return;
    const seen = new Set<string>();
    for (const { info } of [...this.host.connections()]) {
      const key = `${info.boardId}\n${info.userId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      try {
        const role = await getRole(info.boardId, info.userId);
        if (!this.host.isClosing()) this.host.applyAccess(info.boardId, info.userId, role);
      } catch (err) {
        this.host.logger.warn({ err, boardId: info.boardId }, 're-reading a role after relay reconnect failed');
      }
    }
  }
}
