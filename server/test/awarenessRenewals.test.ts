/**
 * Awareness renewals (a client re-sending its unchanged state with a higher clock, which stock
 * clients do every 15 s) are broadcast and published together, once per room and batch window;
 * changes go out at once. Checked on the room with hand-made connections and fake timers.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as decoding from 'lib0/decoding';
import { createMemoryDocumentStore } from '../src/stores/memory/documentStore.ts';
import { Room, type RoomConnection } from '../src/sync/room.ts';
import { AWARENESS_RENEWAL_BATCH_MS } from '../src/sync/roomPresence.ts';
import { MESSAGE_AWARENESS } from '../src/sync/syncMessages.ts';
import { RELAY_ORIGIN } from '../src/sync/types.ts';
import { silentLogger } from './helpers.ts';

const options = { compactEveryUpdates: 1000, compactEveryMs: 3_600_000, retryMs: 10 };

function fakeConn(): RoomConnection & { sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  return { socket: { send: (d) => sent.push(d), close: () => {} }, awarenessIds: new Set(), wantsDurable: false, seesPositions: true, sent };
}

/** (clientID, clock) entries of an awareness update (y-protocols encoding). */
function entries(update: Uint8Array): [number, number][] {
  const d = decoding.createDecoder(update);
  const out: [number, number][] = [];
  for (let n = decoding.readVarUint(d); n > 0; n--) {
    const id = decoding.readVarUint(d);
    const clock = decoding.readVarUint(d);
    decoding.readVarString(d);
    out.push([id, clock]);
  }
  return out;
}

/** The entries of each awareness message a connection was sent, and empties its inbox. */
function awarenessSent(conn: { sent: Uint8Array[] }): [number, number][][] {
  const got = conn.sent.flatMap((m) => {
    const d = decoding.createDecoder(m);
    return decoding.readVarUint(d) === MESSAGE_AWARENESS ? [entries(decoding.readVarUint8Array(d))] : [];
  });
  conn.sent.length = 0;
  return got;
}

/** A client's own awareness, and what it sends the server. */
function client(state: Record<string, unknown>) {
  const awareness = new awarenessProtocol.Awareness(new Y.Doc());
  awareness.setLocalState(state);
  const message = () => awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID]);
  return {
    awareness,
    id: awareness.clientID,
    clock: () => awareness.meta.get(awareness.clientID)!.clock,
    /** Same state, clock + 1: what the client's 15-s timer sends. */
    renew: () => (awareness.setLocalState(awareness.getLocalState()), message()),
    change: (next: Record<string, unknown>) => (awareness.setLocalState(next), message()),
    message,
  };
}

describe('room: awareness renewals', () => {
  let room: Room;
  let published: [number, number][][];
  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    published = [];
    room = new Room('doc', {
      store: createMemoryDocumentStore(),
      logger: silentLogger,
      options,
      multiWriter: true,
      onLocalAwareness: (_r, update) => published.push(entries(update)),
    });
    await room.load();
  });
  afterEach(() => {
    room.destroy();
    vi.useRealTimers();
  });

  it('wait, and then go out as one message to every connection and one relay message', () => {
    const [c1, c2, watcher] = [fakeConn(), fakeConn(), fakeConn()];
    room.conns.add(c1).add(c2).add(watcher);
    const [a, b] = [client({ user: 'a' }), client({ user: 'b' })];
    awarenessProtocol.applyAwarenessUpdate(room.awareness, a.message(), c1);
    awarenessProtocol.applyAwarenessUpdate(room.awareness, b.message(), c2);
    expect(awarenessSent(watcher)).toEqual([[[a.id, a.clock()]], [[b.id, b.clock()]]]); // joining is a change: at once
    awarenessSent(c1);
    awarenessSent(c2);
    published.length = 0;

    awarenessProtocol.applyAwarenessUpdate(room.awareness, a.renew(), c1);
    awarenessProtocol.applyAwarenessUpdate(room.awareness, b.renew(), c2);
    expect(room.awareness.meta.get(a.id)!.clock).toBe(a.clock()); // the server's own copy is renewed at once
    expect(awarenessSent(watcher)).toEqual([]);
    expect(published).toEqual([]);

    vi.advanceTimersByTime(AWARENESS_RENEWAL_BATCH_MS);
    const batch = [
      [a.id, a.clock()],
      [b.id, b.clock()],
    ];
    for (const conn of [c1, c2, watcher]) expect(awarenessSent(conn)).toEqual([batch]); // the senders too
    expect(published).toEqual([batch]);
  });

  it('a change goes out at once, carrying the newest clock, and replaces a queued renewal', () => {
    const [c1, watcher] = [fakeConn(), fakeConn()];
    room.conns.add(c1).add(watcher);
    const a = client({ user: 'a' });
    awarenessProtocol.applyAwarenessUpdate(room.awareness, a.message(), c1);
    awarenessSent(watcher);
    awarenessProtocol.applyAwarenessUpdate(room.awareness, a.renew(), c1);
    awarenessProtocol.applyAwarenessUpdate(room.awareness, a.change({ user: 'a', editing: 'card-1' }), c1);
    expect(awarenessSent(watcher)).toEqual([[[a.id, a.clock()]]]);
    vi.advanceTimersByTime(AWARENESS_RENEWAL_BATCH_MS);
    expect(awarenessSent(watcher)).toEqual([]);
  });

  it('renewals from the relay are broadcast in the batch but not published again; a client gone meanwhile is left out', () => {
    const [local, watcher] = [fakeConn(), fakeConn()];
    room.conns.add(local).add(watcher);
    const [remote, leaving] = [client({ user: 'r' }), client({ user: 'l' })];
    awarenessProtocol.applyAwarenessUpdate(room.awareness, remote.message(), RELAY_ORIGIN);
    awarenessProtocol.applyAwarenessUpdate(room.awareness, leaving.message(), local);
    awarenessSent(watcher);
    published.length = 0;

    awarenessProtocol.applyAwarenessUpdate(room.awareness, remote.renew(), RELAY_ORIGIN);
    awarenessProtocol.applyAwarenessUpdate(room.awareness, leaving.renew(), local);
    awarenessProtocol.removeAwarenessStates(room.awareness, [leaving.id], local); // its socket closed
    expect(awarenessSent(watcher)).toHaveLength(1); // the removal, at once
    vi.advanceTimersByTime(AWARENESS_RENEWAL_BATCH_MS);
    expect(awarenessSent(watcher)).toEqual([[[remote.id, remote.clock()]]]);
    expect(published.flat().map(([id]) => id)).toEqual([leaving.id]); // only the removal
  });
});
