/**
 * One loaded document and its connections. Owns the write path's ordering rule: an update from a
 * client is applied to the in-memory document at once, but reaches nobody (no broadcast, no sync
 * answer) until the document store has it. So whatever any client has received is durable, and
 * "synced" on a client always means the full, persisted document.
 */
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as encoding from 'lib0/encoding';
import type { Logger } from 'pino';
import type { DocumentStore } from '../stores/types.ts';
import type { SyncSocket, TransactionOrigin } from './types.ts';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
/**
 * Our opt-in extension (the stock client never sends it, so it stays compatible): a client sends
 * [100, 0] to subscribe; the server answers [100, 1, stateVector] with the state vector of what it
 * has durably stored, at once and after every write, so the client can count its unconfirmed edits.
 */
export const MESSAGE_DURABLE = 100;
export const DURABLE_SUBSCRIBE = 0;
export const DURABLE_STATE = 1;

export interface RoomOptions {
  /** Compact after this many updates since the last snapshot... */
  compactEveryUpdates: number;
  /** ...or when the last snapshot is this old and there are updates since. */
  compactEveryMs: number;
  /** Delay before retrying a failed write to the store. */
  retryMs: number;
}

export interface RoomConnection {
  socket: SyncSocket;
  /** Awareness client ids this connection controls (removed when it closes). */
  awarenessIds: Set<number>;
  /** Subscribed to durable-state notices (MESSAGE_DURABLE). */
  wantsDurable: boolean;
}

export class Room {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly conns = new Set<RoomConnection>();
  private pending: { update: Uint8Array; from: RoomConnection | null }[] = [];
  private flushing = false;
  private flushScheduled = false;
  private afterFlush: (() => void)[] = [];
  private lastSeq = 0;
  private updatesSinceSnapshot = 0;
  private lastSnapshotAt = Date.now();
  private destroyed = false;

  constructor(
    readonly name: string,
    private readonly store: DocumentStore,
    private readonly logger: Logger,
    private readonly options: RoomOptions,
  ) {
    this.awareness.setLocalState(null); // the server is not a participant
    this.doc.on('update', (update: Uint8Array, origin: TransactionOrigin | undefined) => {
      if (origin?.type === 'load') return;
      const from = origin?.type === 'connection' ? (origin.conn as RoomConnection) : null;
      this.pending.push({ update, from });
      this.scheduleFlush();
    });
    this.awareness.on('update', ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
      const changed = added.concat(updated, removed);
      const conn = origin as RoomConnection | undefined;
      if (conn && this.conns.has(conn)) {
        for (const id of added) conn.awarenessIds.add(id);
        for (const id of removed) conn.awarenessIds.delete(id);
      }
      // Everyone, the sender too: a lone client's awareness watchdog needs its own echo.
      const msg = awarenessMessage(this.awareness, changed);
      for (const c of this.conns) c.socket.send(msg);
    });
  }

  /** Loads snapshot + later updates. Compacts at once if the log has grown long. */
  async load(): Promise<void> {
    const stored = await this.store.load(this.name);
    const origin: TransactionOrigin = { type: 'load' };
    this.doc.transact(() => {
      if (stored.snapshot) Y.applyUpdate(this.doc, stored.snapshot, origin);
      for (const u of stored.updates) Y.applyUpdate(this.doc, u, origin);
    }, origin);
    this.lastSeq = stored.lastSeq;
    this.updatesSinceSnapshot = stored.updates.length;
    this.lastSnapshotAt = Date.now();
    if (this.updatesSinceSnapshot >= this.options.compactEveryUpdates) await this.compact();
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
        try {
          this.lastSeq = await this.store.append(this.name, batch.map((b) => b.update));
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
      (this.updatesSinceSnapshot > 0 && Date.now() - this.lastSnapshotAt >= this.options.compactEveryMs)
    ) {
      await this.compact();
    }
  }

  /** Tells subscribed connections what is stored. Call only when flushed (doc = stored state). */
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

  /** Stores the current state as a snapshot replacing the update log. Call only when flushed. */
  async compact(): Promise<void> {
    if (this.pending.length > 0 || this.flushing || this.updatesSinceSnapshot === 0) return;
    const snapshot = Y.encodeStateAsUpdate(this.doc);
    const upTo = this.lastSeq;
    const count = this.updatesSinceSnapshot;
    this.updatesSinceSnapshot = 0;
    this.lastSnapshotAt = Date.now();
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
    this.awareness.destroy();
    this.doc.destroy();
  }
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

export function awarenessMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  return encodeMessage(MESSAGE_AWARENESS, (e) => encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, clients)));
}

export function encodeMessage(type: number, write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  write(e);
  return encoding.toUint8Array(e);
}
