/**
 * The sync core: y-websocket protocol (y-protocols sync + awareness) over any `SyncSocket`.
 * Transport adapters call handleConnection / handleMessage / handleClose; auth has already happened
 * (ConnectionInfo says who the connection is and whether it may write). Rooms load on first
 * connection and leave memory after `idleMs` without connections. With a relay (several replicas),
 * sync/relayLink.ts carries updates, awareness, access changes and ended sessions between replicas.
 */
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import type { Logger } from 'pino';
import { CloseCode, type Role } from '@delivery-board/schema/types';
import type { DocumentStore } from '../stores/types.ts';
import { Room, type RoomConnection, type RoomDeps, type RoomOptions } from './room.ts';
import { awarenessMessage, DURABLE_SUBSCRIBE, encodeMessage, MESSAGE_AUTH, MESSAGE_DURABLE, MESSAGE_AWARENESS, MESSAGE_QUERY_AWARENESS, MESSAGE_SYNC } from './syncMessages.ts';
import { connectionRights, parseDocName, type ConnectionInfo, type SyncSocket, type TransactionOrigin } from './types.ts';
import type { Relay } from './relay.ts';
import { RelayLink } from './relayLink.ts';
import { SessionSockets } from './sessionSockets.ts';
import { SyncSecurityLog } from './securityLog.ts';
import { updateWouldChange } from './updateWouldChange.ts';
import { checkCommentAuthors } from './commentAuthors.ts';
import { checkCardRemovals, removalRules } from './cardRemovals.ts';
import { watchCardCreators } from './cardCreators.ts';

/** Hooks the core calls; the bookings module uses them to watch and reconcile documents. */
export interface SyncHooks {
  /** Called once a room has loaded, before any client sees it. */
  onLoad?: (room: Room) => Promise<void> | void;
  /**
   * Other replicas serving the same documents from the same database (sync/relay.ts). The sync
   * server owns it from here on: `close()` closes it.
   */
  relay?: Relay;
  /** Re-reads a member's role; with a relay, used after it reconnects (access messages may be lost). */
  getRole?: (boardId: string, userId: string) => Promise<Role | null>;
  /**
   * When a session expires, by id, or null once it has ended (Sessions.expiryOf). Without it, open
   * sockets are closed when their session ends only through `endSession`.
   */
  sessionExpiry?: (sessionId: string) => Promise<number | null>;
  /** The clock session expiries are compared with (tests move it); default Date.now. */
  now?: () => number;
}

export interface SyncServerOptions extends RoomOptions {
  maxFrameBytes: number;
  /**
   * Largest document (encoded) a client's update may grow it to; an update adding content beyond
   * it is refused and its socket closed with 4413 "document full". Deletions are always accepted,
   * so members can make room.
   */
  maxDocBytes?: number;
  /** How long a room with no connections stays in memory. */
  idleMs: number;
  /** With a relay: how often loaded rooms read what other replicas stored that the relay did not bring. */
  catchUpMs?: number;
  /** How often open sockets whose session's expiry has passed are checked (sessionSockets.ts). */
  sessionCheckMs?: number;
}

export const defaultSyncOptions: SyncServerOptions = {
  maxFrameBytes: 1024 * 1024,
  maxDocBytes: 32 * 1024 * 1024,
  idleMs: 30_000,
  compactEveryUpdates: 500,
  compactEveryMs: 60_000,
  retryMs: 1000,
  catchUpMs: 5000,
  sessionCheckMs: 60_000,
};

export class Connection implements RoomConnection {
  readonly awarenessIds = new Set<number>();
  wantsDurable = false;
  get seesPositions(): boolean {
    return this.info.seesPositions;
  }
  room: Room | null = null;
  /** Frames received while the room loads; handled in order once it has. */
  queue: Uint8Array[] | null = [];
  closed = false;
  constructor(
    readonly socket: SyncSocket,
    public info: ConnectionInfo,
  ) {}
}

export class SyncServer {
  private readonly rooms = new Map<string, Promise<Room>>();
  /** The same rooms once loaded. */
  private readonly loaded = new Map<string, Room>();
  private readonly idleTimers = new Map<string, NodeJS.Timeout>();
  private readonly conns = new Set<Connection>();
  /** Counts and logs what members' writes were refused (read by /metrics). */
  readonly security: SyncSecurityLog;
  private closing = false;
  private readonly link: RelayLink | null;
  private caughtUpCount = 0;
  private readonly roomDeps: RoomDeps;
  private readonly sessions: SessionSockets<Connection>;

  constructor(
    store: DocumentStore,
    private readonly logger: Logger,
    readonly options: SyncServerOptions = defaultSyncOptions,
    private readonly hooks: SyncHooks = {},
  ) {
    this.security = new SyncSecurityLog(logger);
    this.link = hooks.relay
      ? new RelayLink(
          hooks.relay,
          {
            logger,
            room: (name) => this.rooms.get(name),
            loadedRooms: () => this.loaded.values(),
            allRooms: () => this.rooms.values(),
            connections: () => this.conns,
            applyAccess: (boardId, userId, role) => this.applyAccess(boardId, userId, role),
            applySessionEnded: (sessionId) => this.sessions.ended(sessionId),
            recheckSessions: () => this.sessions.check(true),
            getRole: hooks.getRole,
            isClosing: () => this.closing,
          },
          options.catchUpMs ?? defaultSyncOptions.catchUpMs!,
        )
      : null;
    const link = this.link;
    this.roomDeps = {
      store,
      logger,
      options,
      multiWriter: link !== null,
      onStored: link ? (room, updates, seqs) => link.stored(room, updates, seqs) : undefined,
      onLocalAwareness: link ? (room, update) => link.localAwareness(room, update) : undefined,
      onCaughtUp: (_room, count) => (this.caughtUpCount += count),
    };
    this.sessions = new SessionSockets({
      connections: () => this.conns,
      close: (conn, code, reason) => this.closeConnection(conn, code, reason),
      expiryOf: hooks.sessionExpiry,
      now: hooks.now ?? Date.now,
      isClosing: () => this.closing,
      logger,
      checkMs: options.sessionCheckMs ?? defaultSyncOptions.sessionCheckMs!,
    });
  }

  /** Reads a document (loading it if needed) without a transaction; `fn` must not write. */
  async readDoc<T>(docName: string, fn: (doc: Y.Doc) => T): Promise<T> {
    if (this.closing) throw new Error('sync server is closing');
    const room = await this.getRoom(docName);
    try {
      return fn(room.doc);
    } finally {
      this.maybeIdle(room);
    }
  }

  /**
   * Runs `fn` on a document (loading it if needed) inside one transaction tagged `server`, so
   * what it writes is persisted and relayed like any client's update. The room idles as usual.
   */
  async withDoc<T>(docName: string, fn: (doc: Y.Doc) => T): Promise<T> {
    if (this.closing) throw new Error('sync server is closing');
    const room = await this.getRoom(docName);
    try {
      let result!: T;
      const origin: TransactionOrigin = { type: 'server' };
      room.doc.transact(() => {
        result = fn(room.doc);
      }, origin);
      return result;
    } finally {
      this.maybeIdle(room);
    }
  }

  handleConnection(socket: SyncSocket, info: ConnectionInfo): Connection {
    const conn = new Connection(socket, info);
    if (this.closing) {
      socket.close(CloseCode.goingAway, 'server shutting down');
      conn.closed = true;
      return conn;
    }
    if (this.sessions.hasEnded(info.sessionId)) {
      // Authorized just before its session ended (see endSession).
      socket.close(CloseCode.noSession, 'session ended');
      conn.closed = true;
      return conn;
    }
    this.conns.add(conn);
    this.getRoom(info.docName).then(
      (room) => {
        if (conn.closed) return this.maybeIdle(room);
        conn.room = room;
        room.conns.add(conn);
        this.greet(conn, room);
        const queued = conn.queue ?? [];
        conn.queue = null;
        for (const frame of queued) this.handleMessage(conn, frame);
      },
      (err) => {
        this.logger.error({ err, doc: info.docName }, 'loading document failed');
        this.closeConnection(conn, 1011, 'document unavailable');
      },
    );
    return conn;
  }

  handleMessage(conn: Connection, data: Uint8Array): void {
    if (conn.closed) return;
    if (data.byteLength > this.options.maxFrameBytes) {
      this.logger.warn({ userId: conn.info.userId, doc: conn.info.docName, bytes: data.byteLength }, 'frame over size limit');
      return this.closeConnection(conn, CloseCode.frameTooLarge, 'frame too large');
    }
    if (conn.queue) {
      conn.queue.push(data);
      return;
    }
    const room = conn.room!;
    try {
      const decoder = decoding.createDecoder(data);
      const type = decoding.readVarUint(decoder);
      switch (type) {
        case MESSAGE_SYNC:
          this.handleSync(conn, room, decoder);
          break;
        case MESSAGE_AWARENESS: {
          // Only the client ids this connection holds, stamped with who it is (see RoomPresence.applyClient).
          const identity = { id: conn.info.userId, name: conn.info.userName, role: conn.info.role };
          if (room.presence.applyClient(conn, identity, decoding.readVarUint8Array(decoder)) === 'too-large') {
            this.logger.warn({ userId: conn.info.userId, doc: conn.info.docName }, 'awareness state over size limit');
            return this.closeConnection(conn, CloseCode.frameTooLarge, 'awareness state too large');
          }
          break;
        }
        case MESSAGE_QUERY_AWARENESS:
          conn.socket.send(awarenessMessage(room.awareness, Array.from(room.awareness.getStates().keys()), conn.seesPositions));
          break;
        case MESSAGE_AUTH:
          break; // auth happens at upgrade; y-websocket clients never send this
        case MESSAGE_DURABLE: {
          if (decoding.readVarUint(decoder) !== DURABLE_SUBSCRIBE) throw new Error('unknown durable message');
          conn.wantsDurable = true;
          room.whenFlushed(() => !conn.closed && room.sendDurableState(conn));
          break;
        }
        default:
          throw new Error(`unknown message type ${type}`);
      }
    } catch (err) {
      this.logger.warn({ userId: conn.info.userId, doc: conn.info.docName, err: String(err) }, 'undecodable frame');
      this.closeConnection(conn, CloseCode.badFrame, 'bad frame');
      if (room.isBroken) this.retireRoom(room);
    }
  }

  /**
   * A room whose document can no longer be trusted (a client update failed partway through, see
   * Room.applyClientUpdate): out of the map at once, so the next connection loads what the store
   * holds, and its other clients are sent to reconnect (1012) to that copy. Nothing of the failed
   * update was stored or sent; updates queued before it are still stored (they are whole), then the
   * room is destroyed without compacting (a snapshot would carry the partial content).
   */
  private retireRoom(room: Room) {
    if (this.loaded.get(room.name) !== room) return;
    this.logger.warn({ doc: room.name }, 'a client update failed partway; reloading the document from the store');
    this.unlist(room);
    const timer = this.idleTimers.get(room.name);
    if (timer) clearTimeout(timer);
    this.idleTimers.delete(room.name);
    for (const c of [...room.conns]) this.closeConnection(c as Connection, CloseCode.goingAway, 'document reloading');
    void room.flushed().finally(() => room.destroy());
  }

  private handleSync(conn: Connection, room: Room, decoder: decoding.Decoder) {
    const subtype = decoding.readVarUint(decoder);
    if (subtype === syncProtocol.messageYjsSyncStep1) {
      const stateVector = decoding.readVarUint8Array(decoder);
      Y.decodeStateVector(stateVector); // validate before waiting
      // Answer only with persisted state (see Room): the client's "synced" then means durable.
      room.whenFlushed(() => {
        if (conn.closed) return;
        conn.socket.send(encodeMessage(MESSAGE_SYNC, (e) => syncProtocol.writeSyncStep2(e, room.doc, stateVector)));
      });
      return;
    }
    if (subtype !== syncProtocol.messageYjsSyncStep2 && subtype !== syncProtocol.messageYjsUpdate) {
      throw new Error(`unknown sync message ${subtype}`);
    }
    let update = decoding.readVarUint8Array(decoder);
    // Parse fully before touching the document, so a malformed update cannot half-apply.
    let parsed = Y.decodeUpdate(update);
    if (!conn.info.canWrite) {
      // Never applied. Reported only if it would have changed the document: an honest client's sync
      // step 2 carries no structs we lack, but always its whole delete set (Yjs sends it in full),
      // which after any deletion (every booking status change replaces a map value) is non-empty
      // on every reconnect.
      if (updateWouldChange(room.doc, parsed)) this.security.droppedWrite(conn.info);
      return;
    }
    const authors = checkCommentAuthors(room.doc, parsed, conn.info.userId, conn.info.userName);
    if (authors.kind === 'blanked') {
      this.security.forgedComment(conn.info, authors.claimed);
      ({ update, parsed } = authors);
    }
    if (conn.info.removesCards !== 'any') {
      const { mayRemove, mayRemoveComment } = removalRules(conn.info.userId, conn.info.removesCards);
      const check = checkCardRemovals(room.doc, update, parsed, mayRemove, mayRemoveComment);
      if (check.kind !== 'ok') {
        this.security.refusedRemoval(conn.info, check.cardIds, check.kind === 'refused');
        if (check.kind === 'refused') return;
        ({ update, parsed } = check);
        if (!updateWouldChange(room.doc, parsed)) return;
      }
    }
    const max = this.options.maxDocBytes ?? defaultSyncOptions.maxDocBytes!;
    // Measured exactly only when the estimate says the limit is near (see Room.approxBytes).
    if (parsed.structs.length > 0 && room.approxBytes + update.byteLength > max && room.measureBytes() + update.byteLength > max) {
      this.logger.warn({ userId: conn.info.userId, doc: conn.info.docName, docBytes: room.approxBytes, updateBytes: update.byteLength }, 'document full: update refused');
      return this.closeConnection(conn, CloseCode.frameTooLarge, 'document full');
    }
    const origin: TransactionOrigin = { type: 'connection', conn };
    room.applyClientUpdate(update, origin);
  }

  handleClose(conn: Connection): void {
    if (conn.closed) return;
    conn.closed = true;
    this.conns.delete(conn);
    const room = conn.room;
    if (!room) return;
    room.leave(conn);
    this.maybeIdle(room);
  }

  /**
   * Applies a membership change to open sockets at once, on this replica and (through the relay)
   * on every other: removed → 4403, role → write access.
   */
  setAccess(boardId: string, userId: string, role: Role | null): void {
    this.applyAccess(boardId, userId, role);
    this.link?.publishAccess(boardId, userId, role);
  }

  private applyAccess(boardId: string, userId: string, role: Role | null): void {
    for (const conn of this.conns) {
      if (conn.info.boardId !== boardId || conn.info.userId !== userId) continue;
      if (role === null) {
        this.closeConnection(conn, CloseCode.forbidden, 'no longer a member');
        continue;
      }
      const rights = connectionRights(conn.info.kind, role);
      const { canWrite, seesPositions, removesCards } = conn.info;
      // Takes effect at once for frames still in flight (the role: for the presence it stamps).
      conn.info = { ...conn.info, ...rights, role };
      if (rights.canWrite === canWrite && rights.seesPositions === seesPositions && rights.removesCards === removesCards) continue;
      // The close tells the client to re-read its role (it reconnects on this code, and the new
      // socket is authorized with the new role).
      this.closeConnection(conn, CloseCode.roleChanged, 'role changed');
    }
  }

  /**
   * A session ended (signed out, replaced by a new sign-in on that browser, found expired): its
   * sockets close with 4401 at once, on this replica and (through the relay) on every other, so
   * nothing sent on them afterwards is applied. The client, told 4401, stops reconnecting.
   * Resolves once the other replicas have been told (see Relay.publishSessionEnded), so that the
   * sign-out is answered only then.
   */
  async endSession(sessionId: string): Promise<void> {
    this.sessions.ended(sessionId);
    await this.link?.publishSessionEnded(sessionId);
  }

  /**
   * Stops accepting, waits for pending writes, closes sockets with a retryable code, then closes
   * the relay: each update was handed to the relay right after it was stored, so by now every
   * publish has been issued and `relay.close()` lets them go out before disconnecting. (One that
   * cannot go out, Redis being away, is read from the database by the other replicas.)
   */
  async close(): Promise<void> {
    this.closing = true;
    this.sessions.stop();
    for (const conn of [...this.conns]) this.closeConnection(conn, CloseCode.goingAway, 'server restarting');
    for (const t of this.idleTimers.values()) clearTimeout(t);
    this.idleTimers.clear();
    const rooms = await Promise.allSettled([...this.rooms.values()]);
    for (const r of rooms) {
      if (r.status !== 'fulfilled') continue;
      await r.value.flushed();
      await r.value.compact();
      r.value.destroy();
    }
    this.rooms.clear();
    this.loaded.clear();
    await this.link?.close();
  }

  get roomCount(): number {
    return this.rooms.size;
  }

  /** Updates read from the store that the relay had not brought, since start (a health signal of the relay). */
  get caughtUpUpdates(): number {
    return this.caughtUpCount;
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  /** For tests and diagnostics: the loaded room of a document, if any. */
  peekRoom(docName: string): Promise<Room> | undefined {
    return this.rooms.get(docName);
  }

  private closeConnection(conn: Connection, code: number, reason: string) {
    try {
      conn.socket.close(code, reason);
    } catch {
      // already closed
    }
    this.handleClose(conn);
  }

  private greet(conn: Connection, room: Room) {
    conn.socket.send(encodeMessage(MESSAGE_SYNC, (e) => syncProtocol.writeSyncStep1(e, room.doc)));
    const states = room.awareness.getStates();
    if (states.size > 0) conn.socket.send(awarenessMessage(room.awareness, Array.from(states.keys()), conn.seesPositions));
  }

  private getRoom(name: string): Promise<Room> {
    const timer = this.idleTimers.get(name);
    if (timer) {
      clearTimeout(timer);
      this.idleTimers.delete(name);
    }
    let room = this.rooms.get(name);
    if (!room) {
      const r = new Room(name, this.roomDeps);
      // Watched before anything is applied.
      if (parseDocName(name).kind === 'board') watchCardCreators(r.doc, (info, claimed) => this.security.forgedCardCreator(info, claimed));
      const link = this.link;
      room = (async () => {
        // Subscribed first: see relayLink.ts for why nothing falls between the load and the relay.
        if (link) await link.beforeLoad(name);
        await r.load();
        await this.hooks.onLoad?.(r);
        return r;
      })();
      room.then(
        () => {
          if (this.rooms.get(name) !== room) return;
          this.loaded.set(name, r);
          link?.loaded(r);
        },
        () => {
          r.destroy();
          if (this.rooms.get(name) === room) this.rooms.delete(name);
          link?.unloaded(name);
        },
      );
      this.rooms.set(name, room);
    }
    return room;
  }

  /** Takes a room out of the maps (a connection arriving next loads the document afresh) and the relay. */
  private unlist(room: Room) {
    this.rooms.delete(room.name);
    this.loaded.delete(room.name);
    this.link?.unloaded(room.name);
  }

  private maybeIdle(room: Room) {
    // A retired room is not the one under its name any more (see retireRoom).
    if (room.conns.size > 0 || this.idleTimers.has(room.name) || this.closing || this.loaded.get(room.name) !== room) return;
    this.idleTimers.set(
      room.name,
      setTimeout(() => {
        this.idleTimers.delete(room.name);
        if (room.conns.size > 0 || this.loaded.get(room.name) !== room) return;
        if (!room.isIdle) return this.maybeIdle(room); // still writing: look again later
        // Out of the map first: a connection arriving now loads a fresh room from the store,
        // which already holds everything (flushed below before anything was relayed anyway).
        this.unlist(room);
        void room
          .flushed()
          .then(() => room.compact())
          .finally(() => room.destroy());
      }, this.options.idleMs),
    );
  }
}
