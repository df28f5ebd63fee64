/**
 * One loaded document and its connections. Owns the write path's ordering rule: an update from a
 * client is applied to the in-memory document at once, but reaches nobody (no broadcast, no sync
 * answer, no other replica) until the document store has it. So whatever any client has received is
 * durable, and "synced" on a client always means the full, persisted document.
 *
 * With other replicas (`multiWriter`), updates they stored arrive through the relay or a catch-up
 * read (origin `relay`): already durable, so they are broadcast at once and neither persisted nor
 * published again. `seenSeq` then only advances by reading the store (load, catchUp), never by our
 * own appends: seq N being ours says nothing about N-1 being in this document, and compaction
 * deletes the log up to `seenSeq`, so the snapshot must hold every update up to it. The seqs above
 * it that the document holds (our appends, relayed batches) are kept in `heldSeqs`, so a catch-up
 * reads only what this replica missed: usually nothing.
 */
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as encoding from 'lib0/encoding';
import type { Logger } from 'pino';
import type { DocumentStore } from '../stores/types.ts';
import { RELAY_ORIGIN, type SyncSocket, type TransactionOrigin } from './types.ts';
import { RoomPresence } from './roomPresence.ts';
import { DURABLE_STATE, encodeMessage, MESSAGE_DURABLE, MESSAGE_SYNC } from './syncMessages.ts';

export interface RoomOptions {
  /** Compact after this many updates since the last snapshot... */
  compactEveryUpdates: number;
  /**
   * ...or when the last snapshot is about this old (0.75–1.25 times, drawn anew each time) and
   * there are updates since.
   */
  compactEveryMs: number;
  /** Delay before retrying a failed write to the store. */
  retryMs: number;
}

/** What a room tells its owner; the SyncServer forwards it to the relay. */
export interface RoomDeps {
  store: DocumentStore;
  logger: Logger;
  options: RoomOptions;
  /** Other replicas write this document's log too (a relay is configured). */
  multiWriter?: boolean;
  /** Updates made on this replica, called once the store has them, with the seqs it gave them. */
  onStored?: (room: Room, updates: Uint8Array[], seqs: number[]) => void;
  /** An awareness change of a local connection's clients (y-protocols encoding). */
  onLocalAwareness?: (room: Room, update: Uint8Array) => void;
  /** A catch-up applied `count` stored updates (a snapshot counts as one) that the relay had not brought. */
  onCaughtUp?: (room: Room, count: number) => void;
}

export interface RoomConnection {
  socket: SyncSocket;
  /** Awareness client ids this connection controls, the only ones it may set or remove (removed when it closes). */
  awarenessIds: Set<number>;
  /** Subscribed to durable-state notices (MESSAGE_DURABLE). */
  wantsDurable: boolean;
  /** Sent drivers' shared positions (coordinators); the others get awareness states without them. */
  readonly seesPositions: boolean;
}

export class Room {
  readonly doc = new Y.Doc();
  readonly conns = new Set<RoomConnection>();
  /** Awareness: who is here, and what they show (roomPresence.ts). */
  readonly presence = new RoomPresence(this.doc, this.conns, (update) => this.deps.onLocalAwareness?.(this, update));
  private pending: { update: Uint8Array; from: RoomConnection | null }[] = [];
  private flushing = false;
  private flushScheduled = false;
  private afterFlush: (() => void)[] = [];
  /** Every stored update with seq <= seenSeq is in `doc` (see the header for who advances it). */
  private seenSeq = 0;
  /** With other writers: seqs above `seenSeq` whose updates `doc` holds (see the header). */
  private readonly heldSeqs = new Set<number>();
  private updatesSinceSnapshot = 0;
  /** See approxBytes. */
  private sizeEstimate = 0;
  /** See applyClientUpdate. */
  private broken = false;
  /** When the time-based compaction is due (see compactEveryMs). */
  private compactDueAt = 0;
  private destroyed = false;
  /** Set while applying stored updates into a document that holds unintegrated local structs. */
  private storedMayCarryLocal = false;
  private catchingUp: Promise<void> | null = null;
  private catchUpAgain = false;
  private durableNoticeScheduled = false;
  private readonly store: DocumentStore;
  private readonly logger: Logger;
  private readonly options: RoomOptions;

  constructor(
    readonly name: string,
    private readonly deps: RoomDeps,
  ) {
    this.store = deps.store;
    this.logger = deps.logger;
    this.options = deps.options;
    this.scheduleTimedCompaction();
    this.doc.on('update', (update: Uint8Array, origin: TransactionOrigin | undefined) => {
      if (origin?.type === 'load') return;
      this.sizeEstimate += update.byteLength;
      if (origin?.type === 'relay' && !this.storedMayCarryLocal) {
        // Stored already (by another replica): nothing to wait for before anyone may see it.
        const msg = encodeMessage(MESSAGE_SYNC, (e) => syncProtocol.writeUpdate(e, update));
        for (const c of this.conns) c.socket.send(msg);
        this.scheduleDurableNotice();
        return;
      }
      const from = origin?.type === 'connection' ? (origin.conn as RoomConnection) : null;
      this.pending.push({ update, from });
      this.scheduleFlush();
    });
  }

  get awareness() {
    return this.presence.awareness;
  }

  /** A local connection closed: it leaves the room, its clients the room's awareness. */
  leave(conn: RoomConnection): void {
    this.conns.delete(conn);
    this.presence.leave(conn);
  }

  /** Loads snapshot + later updates. Compacts at once if the log has grown long. */
  async load(): Promise<void> {
    const stored = await this.store.load(this.name);
    const origin: TransactionOrigin = { type: 'load' };
    this.doc.transact(() => {
      if (stored.snapshot) Y.applyUpdate(this.doc, stored.snapshot, origin);
      for (const u of stored.updates) Y.applyUpdate(this.doc, u, origin);
    }, origin);
    this.seenSeq = stored.lastSeq;
    this.updatesSinceSnapshot = stored.updates.length;
    this.sizeEstimate = (stored.snapshot?.byteLength ?? 0) + stored.updates.reduce((n, u) => n + u.byteLength, 0);
    this.scheduleTimedCompaction();
    if (this.updatesSinceSnapshot >= this.options.compactEveryUpdates) await this.compact();
  }

  /**
   * Applies updates that are already stored (another replica's, through the relay or a catch-up
   * read), with origin `relay`. The exception to "not persisted again": if the document holds
   * pending structs (a client update that arrived before what it depends on), this transaction may
   * integrate them, and its update event then carries local content that was never stored; such a
   * transaction goes down the local write path (stored, broadcast, published). Duplicates in the log
   * are harmless: Yjs applies an update once. `seqs`, when known (a relayed batch), are held.
   */
  applyStored(updates: Uint8Array[], seqs: readonly number[] = []): void {
    if (this.destroyed || updates.length === 0) return;
    this.storedMayCarryLocal = this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null;
    try {
      this.doc.transact(() => {
        for (const u of updates) Y.applyUpdate(this.doc, u, RELAY_ORIGIN);
      }, RELAY_ORIGIN);
    } finally {
      this.storedMayCarryLocal = false;
    }
    // Only once applied: a batch that failed to apply must be read again by the next catch-up.
    this.hold(seqs);
  }

  /**
   * Reads what the store holds beyond `seenSeq` (another replica's writes that the relay did not
   * bring) and applies it. Catch-ups never overlap: one asked for while another reads runs again
   * after it, because the running read may predate what the caller knows was missed.
   */
  catchUp(): Promise<void> {
    if (this.catchingUp) {
      this.catchUpAgain = true;
      return this.catchingUp;
    }
    const run = async (): Promise<void> => {
      do {
        this.catchUpAgain = false;
        if (this.destroyed) return;
        const since = this.seenSeq;
        // Held now means stored before this read starts (appended, or published after storing),
        // so the store holds exactly `held` plus what it returns, up to the highest of them.
        const held = [...this.heldSeqs];
        const got = await this.store.loadSince(this.name, since, held);
        if (this.destroyed) return;
        const updates = got.snapshot ? [got.snapshot, ...got.updates] : got.updates;
        this.applyStored(updates);
        let seen = Math.max(this.seenSeq, got.lastSeq);
        for (const seq of held) if (seq > seen) seen = seq;
        this.seenSeq = seen;
        for (const seq of this.heldSeqs) if (seq <= seen) this.heldSeqs.delete(seq);
        if (updates.length > 0) {
          this.logger.debug({ doc: this.name, since, upTo: got.lastSeq, updates: updates.length }, 'caught up from the store');
          this.deps.onCaughtUp?.(this, updates.length);
        }
      } while (this.catchUpAgain);
    };
    this.catchingUp = run().finally(() => {
      this.catchingUp = null;
    });
    return this.catchingUp;
  }

  private hold(seqs: readonly number[]) {
    if (!this.deps.multiWriter) return;
    // A catch-up may have read (and counted) them already.
    for (const seq of seqs) if (seq > this.seenSeq) this.heldSeqs.add(seq);
  }

  /**
   * Applies a writer's update (origin: its connection). Yjs can throw partway through integrating
   * an update that decodes but is malformed (a corrupted or crafted frame): part of it is then in
   * the document, and queued to be stored. That part is taken out of the queue before anything
   * stores or sends it (the flush runs in a later microtask), and the room is `broken`: its
   * document holds content the store will never have, so the caller must retire it.
   */
  applyClientUpdate(update: Uint8Array, origin: TransactionOrigin): void {
    const queued = this.pending.length;
    try {
      Y.applyUpdate(this.doc, update, origin);
    } catch (err) {
      this.pending.splice(queued);
      this.broken = true;
      throw err;
    }
  }

  /** See applyClientUpdate. */
  get isBroken(): boolean {
    return this.broken;
  }

  /**
   * About how many bytes the document takes encoded (what a new client downloads): the stored
   * snapshot and log at load, the snapshot at each compaction, plus every update applied since. It
   * over-counts between compactions (an update that replaces a value adds its bytes though the old
   * value goes); measureBytes() makes it exact.
   */
  get approxBytes(): number {
    return this.sizeEstimate;
  }

  /** Encodes the document to measure it (costs a full encode: only when approxBytes is near a limit). */
  measureBytes(): number {
    this.sizeEstimate = Y.encodeStateAsUpdate(this.doc).byteLength;
    return this.sizeEstimate;
  }

  /** Runs `fn` once everything applied so far is persisted (at once if it already is). */
  whenFlushed(fn: () => void): void {
    if (!this.flushing && this.pending.length === 0) fn();
    else this.afterFlush.push(fn);
  }

  /** Resolves when all pending updates are stored. */
  flushed(): Promise<void> {
    return new Promise((resolve) => this.whenFlushed(resolve));
  }

  get isDestroyed(): boolean {
    return this.destroyed;
  }

  get isIdle(): boolean {
    return this.conns.size === 0 && this.pending.length === 0 && !this.flushing;
  }

  private scheduleFlush() {
    if (this.flushScheduled || this.flushing) return;
    this.flushScheduled = true;
    // Every update applied in the current macrotask (ws hands over all frames of one TCP read in
    // one callback) is written in one transaction, without waiting for another loop turn.
    queueMicrotask(() => {
      this.flushScheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.pending.length > 0 && !this.destroyed) {
        const batch = this.pending.slice();
        const updates = batch.map((b) => b.update);
        let seqs: number[];
        try {
          seqs = await this.store.append(this.name, updates);
          if (this.deps.multiWriter) this.hold(seqs);
          else this.seenSeq = seqs.at(-1)!; // the only writer: the log up to here is ours
        } catch (err) {
          // Nothing is relayed until it is stored; keep the batch and try again.
          this.logger.error({ err, doc: this.name }, 'storing updates failed; retrying');
          await new Promise((r) => setTimeout(r, this.options.retryMs));
          continue;
        }
        this.pending.splice(0, batch.length);
        this.updatesSinceSnapshot += batch.length;
        for (const { update, from } of batch) {
          const msg = encodeMessage(MESSAGE_SYNC, (e) => syncProtocol.writeUpdate(e, update));
          for (const c of this.conns) if (c !== from) c.socket.send(msg);
        }
        this.deps.onStored?.(this, updates, seqs);
      }
    } finally {
      this.flushing = false;
    }
    // Nothing pending now and no await since the loop: the document equals the stored state.
    const waiting = this.afterFlush.splice(0);
    for (const fn of waiting) fn();
    this.sendDurableState();
    if (
      this.updatesSinceSnapshot >= this.options.compactEveryUpdates ||
      (this.updatesSinceSnapshot > 0 && Date.now() >= this.compactDueAt)
    ) {
      await this.compact();
    }
  }

  /**
   * Rooms that load together (every room after a restart, as clients reconnect) would otherwise
   * reach the interval together and compact in the same second every time: a burst of snapshot
   * encodings and writes that every edit of that second waits behind. A random ±25% spreads them.
   */
  private scheduleTimedCompaction() {
    this.compactDueAt = Date.now() + this.options.compactEveryMs * (0.75 + Math.random() * 0.5);
  }

  /** After relay-applied updates: they are stored too, so tell subscribers once things are flushed. */
  private scheduleDurableNotice() {
    if (this.durableNoticeScheduled) return;
    let any = false;
    for (const c of this.conns) any ||= c.wantsDurable;
    if (!any) return;
    this.durableNoticeScheduled = true;
    queueMicrotask(() => {
      this.durableNoticeScheduled = false;
      if (!this.destroyed) this.whenFlushed(() => this.sendDurableState());
    });
  }

  /**
   * Tells subscribed connections what is stored. Call only when flushed: the document is then the
   * stored state (relay-applied updates included: another replica stored them before publishing).
   */
  sendDurableState(only?: RoomConnection): void {
    let msg: Uint8Array | null = null;
    for (const c of only ? [only] : this.conns) {
      if (!c.wantsDurable) continue;
      msg ??= encodeMessage(MESSAGE_DURABLE, (e) => {
        encoding.writeVarUint(e, DURABLE_STATE);
        encoding.writeVarUint8Array(e, Y.encodeStateVector(this.doc));
      });
      c.socket.send(msg);
    }
  }

  /**
   * Stores the current state as a snapshot replacing the update log up to `seenSeq`. Call only when
   * flushed. With other writers, first reads what they stored since `seenSeq`, so the snapshot
   * covers as much of the log as possible and never less than it claims.
   */
  async compact(): Promise<void> {
    if (this.pending.length > 0 || this.flushing || this.updatesSinceSnapshot === 0) return;
    if (this.deps.multiWriter) {
      try {
        await this.catchUp();
      } catch (err) {
        this.logger.error({ err, doc: this.name }, 'catch-up before compaction failed');
        return;
      }
      // Local edits may have arrived meanwhile; the snapshot must be stored state only.
      if (this.destroyed || this.pending.length > 0 || this.flushing || this.updatesSinceSnapshot === 0) return;
    }
    const snapshot = Y.encodeStateAsUpdate(this.doc);
    this.sizeEstimate = snapshot.byteLength;
    const upTo = this.seenSeq;
    const count = this.updatesSinceSnapshot;
    this.updatesSinceSnapshot = 0;
    this.scheduleTimedCompaction();
    try {
      await this.store.compact(this.name, snapshot, upTo);
      this.logger.debug({ doc: this.name, upTo, updates: count }, 'compacted');
    } catch (err) {
      this.updatesSinceSnapshot += count; // try again later; the log still holds everything
      this.logger.error({ err, doc: this.name }, 'compaction failed');
    }
  }

  destroy(): void {
    this.destroyed = true;
    this.presence.destroy();
    this.doc.destroy();
  }
}

