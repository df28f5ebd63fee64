/**
 * The awareness (presence) half of a Room: who may set which client id (awarenessOwners.ts), who
 * each state says its sender is (presenceIdentity.ts), what goes out at once and what waits to go
 * out with other renewals, and what is published to other replicas. Nothing of it is stored.
 */
import type * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { RELAY_ORIGIN } from './types.ts';
import { AwarenessOwners, decodeAwarenessEntries, encodeAwarenessEntries } from './awarenessOwners.ts';
import { stampPresenceIdentity, type PresenceIdentity } from './presenceIdentity.ts';
import { awarenessMessage, carriesPosition } from './syncMessages.ts';
import type { RoomConnection } from './room.ts';

/** How long an awareness renewal may wait to go out with others (see RoomPresence.queueRenewal). */
export const AWARENESS_RENEWAL_BATCH_MS = 1000;

export class RoomPresence {
  readonly awareness: awarenessProtocol.Awareness;
  /** The states the last awareness 'change' event found different (see the 'update' listener). */
  private awarenessChanged: number[] = [];
  /** Awareness renewals waiting to be broadcast (see queueRenewal); those of local clients are published too. */
  private readonly renewals = new Set<number>();
  private readonly localRenewals = new Set<number>();
  private renewalTimer: NodeJS.Timeout | null = null;
  /** Which awareness ids each local connection may set (awarenessOwners.ts). */
  private readonly owners = new AwarenessOwners<RoomConnection>();
  private destroyed = false;

  /**
   * `conns`: the room's connections, which every change is sent to. `publish`: an awareness change
   * of local clients (y-protocols encoding), for other replicas.
   */
  constructor(
    doc: Y.Doc,
    private readonly conns: ReadonlySet<RoomConnection>,
    private readonly publish: (update: Uint8Array) => void,
  ) {
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.awareness.setLocalState(null); // the server is not a participant
    this.awareness.on('change', ({ updated }: AwarenessChange) => {
      this.awarenessChanged = updated;
    });
    this.awareness.on('update', ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
      // 'change' (emitted just before, when anything changed) lists the updated states that differ;
      // the other updated ones are renewals: same state, higher clock.
      const changedUpdated = new Set(this.awarenessChanged);
      this.awarenessChanged = [];
      const conn = origin as RoomConnection | undefined;
      if (conn && this.conns.has(conn)) {
        for (const id of added) conn.awarenessIds.add(id);
        for (const id of removed) conn.awarenessIds.delete(id);
      }
      // Whatever removed it (its connection, the 30 s timeout): their next renewal takes it back.
      for (const id of removed) this.owners.released(id);
      // Published when a local connection changed it or closed; not what came from the relay, not
      // timeouts (every replica times out remote clients on its own).
      const local = isLocalAwarenessOrigin(origin);
      const now = added.concat(removed);
      for (const id of updated) {
        if (changedUpdated.has(id)) now.push(id);
        else this.queueRenewal(id, local);
      }
      if (now.length === 0) return;
      for (const id of now) {
        // What goes out now carries the newest clock: a queued renewal of these would repeat it.
        this.renewals.delete(id);
        this.localRenewals.delete(id);
      }
      this.broadcast(now);
      if (local) this.publish(awarenessProtocol.encodeAwarenessUpdate(this.awareness, now));
    });
  }

  /**
   * Applies an awareness message from a local connection of the member `identity`: only the entries
   * of ids it holds or may take (awarenessOwners.ts), each saying who it is from (presenceIdentity.ts),
   * so broadcast and published. Returns 'too-large' (nothing applied) if a state it may set is over
   * MAX_AWARENESS_STATE_BYTES. Throws on a malformed message before changing anything.
   */
  applyClient(conn: RoomConnection, identity: PresenceIdentity, update: Uint8Array): 'ok' | 'too-large' {
    if (this.destroyed) return 'ok';
    const kept = this.owners.admit(this.awareness, conn, identity.id, update);
    if (kept === 'too-large') return kept;
    if (kept.length > 0) awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(stampPresenceIdentity(kept, identity)), conn);
    return 'ok';
  }

  /**
   * A local connection closed (already out of the room's connections): its clients leave (the
   * removal is broadcast and published), and their ids stay with its user.
   */
  leave(conn: RoomConnection): void {
    const ids = [...conn.awarenessIds];
    // Origin: the closing connection, so the removal is published to other replicas.
    if (ids.length > 0 && !this.destroyed) awarenessProtocol.removeAwarenessStates(this.awareness, ids, conn);
    for (const id of ids) this.owners.released(id, conn);
    conn.awarenessIds.clear();
  }

  /**
   * Applies an awareness update from another replica's clients, except for ids a local connection
   * holds: another replica has no say over those (two replicas can only both think they hold an
   * id in a race of a reconnecting client; the local connection's next renewal settles it).
   */
  applyRemote(update: Uint8Array): void {
    if (this.destroyed) return;
    const entries = decodeAwarenessEntries(update);
    const kept = entries.filter((e) => !this.owners.heldHere(e.id));
    if (kept.length === 0) return;
    awarenessProtocol.applyAwarenessUpdate(this.awareness, kept.length === entries.length ? update : encodeAwarenessEntries(kept), RELAY_ORIGIN);
  }

  /** The awareness states of this replica's own clients (y-protocols encoding), or null if none. */
  localStates(): Uint8Array | null {
    const ids: number[] = [];
    for (const c of this.conns) for (const id of c.awarenessIds) if (this.awareness.getStates().has(id)) ids.push(id);
    return ids.length > 0 ? awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids) : null;
  }

  destroy(): void {
    this.destroyed = true;
    if (this.renewalTimer) clearTimeout(this.renewalTimer);
    this.awareness.destroy();
  }

  /**
   * Stock clients renew their awareness state every 15 s (peers drop a state not renewed for 30 s),
   * and echo every remote renewal they receive back to the server. Clients that connected together
   * (every client after a restart) renew together: one message per renewal and room member, each
   * echoed by every member, is a burst of n² messages every 15 s. Renewals wait up to
   * AWARENESS_RENEWAL_BATCH_MS and go out as one message per room (and one relay message), which
   * each member echoes once; changes still go out at once. The server's own copy is renewed when the
   * message arrives, so nobody times out.
   */
  private queueRenewal(id: number, local: boolean) {
    this.renewals.add(id);
    if (local) this.localRenewals.add(id);
    if (this.renewalTimer) return;
    this.renewalTimer = setTimeout(() => this.flushRenewals(), AWARENESS_RENEWAL_BATCH_MS);
    this.renewalTimer.unref();
  }

  private flushRenewals() {
    this.renewalTimer = null;
    if (this.destroyed) return;
    // A client that left meanwhile: its removal went out already.
    const states = this.awareness.getStates();
    const ids = [...this.renewals].filter((id) => states.has(id));
    const local = [...this.localRenewals].filter((id) => states.has(id));
    this.renewals.clear();
    this.localRenewals.clear();
    if (ids.length > 0) this.broadcast(ids);
    if (local.length > 0) this.publish(awarenessProtocol.encodeAwarenessUpdate(this.awareness, local));
  }

  /** Everyone, the sender too: a lone client's awareness watchdog needs its own echo. */
  private broadcast(clients: number[]) {
    const msg = awarenessMessage(this.awareness, clients);
    const private_ = carriesPosition(this.awareness, clients);
    let redacted: Uint8Array | undefined;
    for (const c of this.conns) c.socket.send(!private_ || c.seesPositions ? msg : (redacted ??= awarenessMessage(this.awareness, clients, false)));
  }
}

/** Local: a connection object (its message, or its close). Not local: relay, 'timeout', 'local'. */
function isLocalAwarenessOrigin(origin: unknown): boolean {
  return typeof origin === 'object' && origin !== null && origin !== RELAY_ORIGIN;
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}
