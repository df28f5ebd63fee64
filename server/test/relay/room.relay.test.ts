/**
 * The room's rules for updates that are already stored (origin `relay`), checked on the core
 * with an in-memory store and hand-made connections: no Redis, no sockets.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { createMemoryDocumentStore } from '../../src/stores/memory/documentStore.ts';
import { Room, type RoomConnection } from '../../src/sync/room.ts';
import { MESSAGE_SYNC } from '../../src/sync/syncMessages.ts';
import type { TransactionOrigin } from '../../src/sync/types.ts';
import { silentLogger } from '../helpers.ts';

const options = { compactEveryUpdates: 1000, compactEveryMs: 3_600_000, retryMs: 10 };

function fakeConn(): RoomConnection & { sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  return { socket: { send: (d) => sent.push(d), close: () => {} }, awarenessIds: new Set(), wantsDurable: false, seesPositions: true, sent };
}

/** Sync-update payloads a connection was sent. */
const syncUpdates = (conn: { sent: Uint8Array[] }) =>
  conn.sent.flatMap((m) => {
    const d = decoding.createDecoder(m);
    if (decoding.readVarUint(d) !== MESSAGE_SYNC || decoding.readVarUint(d) !== 2) return [];
    return [decoding.readVarUint8Array(d)];
  });

async function makeRoom() {
  const store = createMemoryDocumentStore();
  const published: Uint8Array[][] = [];
  const room = new Room('doc', { store, logger: silentLogger, options, multiWriter: true, onStored: (_r, u) => published.push(u) });
  await room.load();
  return { store, room, published };
}

/** An update that adds `key` to a map on a doc of its own, and that doc. */
function edit(doc: Y.Doc, key: string): Uint8Array {
  const sv = Y.encodeStateVector(doc);
  doc.getMap('m').set(key, key);
  return Y.encodeStateAsUpdate(doc, sv);
}

describe('room: updates that are already stored', () => {
  it('are broadcast to every local connection at once, and neither stored nor published', async () => {
    const { store, room, published } = await makeRoom();
    const c = fakeConn();
    room.conns.add(c);
    const other = new Y.Doc();
    room.applyStored([edit(other, 'a')]);
    expect(syncUpdates(c)).toHaveLength(1); // no waiting for a flush: it is durable already
    await room.flushed();
    expect((await store.load('doc')).updates).toEqual([]);
    expect(published).toEqual([]);
    expect(room.doc.getMap('m').get('a')).toBe('a');
  });

  it('local updates are stored, then broadcast to the others and published, in that order', async () => {
    const { store, room, published } = await makeRoom();
    const sender = fakeConn();
    const watcher = fakeConn();
    room.conns.add(sender).add(watcher);
    const client = new Y.Doc();
    Y.applyUpdate(room.doc, edit(client, 'x'), { type: 'connection', conn: sender } satisfies TransactionOrigin);
    expect(syncUpdates(watcher)).toEqual([]); // not before the store has it
    await room.flushed();
    expect((await store.load('doc')).updates).toHaveLength(1);
    expect(syncUpdates(watcher)).toHaveLength(1);
    expect(syncUpdates(sender)).toEqual([]);
    expect(published).toHaveLength(1);
  });

  it('a relay update that completes a pending client update makes that client content stored and published', async () => {
    const { store, room, published } = await makeRoom();
    const sender = fakeConn();
    room.conns.add(sender);
    // Another replica's client types "abc"; our client, who got it some other way (a tab of the
    // same browser), types "X" after the "a" and reaches us before the relay brings "abc".
    const theirs = new Y.Doc();
    theirs.getText('t').insert(0, 'abc');
    const first = Y.encodeStateAsUpdate(theirs);
    const ours = new Y.Doc();
    Y.applyUpdate(ours, first);
    const sv = Y.encodeStateVector(ours);
    ours.getText('t').insert(1, 'X');
    const dependent = Y.encodeStateAsUpdate(ours, sv);

    Y.applyUpdate(room.doc, dependent, { type: 'connection', conn: sender } satisfies TransactionOrigin);
    await room.flushed();
    expect(room.doc.store.pendingStructs).not.toBeNull(); // "X" waits for "abc"
    expect(room.doc.getText('t').toString()).toBe('');

    room.applyStored([first]); // stored by the other replica
    await room.flushed();
    expect(room.doc.getText('t').toString()).toBe('aXbc');
    // "X" was never stored by anyone: this replica stores and publishes it now.
    const reloaded = new Y.Doc();
    for (const u of (await store.load('doc')).updates) Y.applyUpdate(reloaded, u);
    Y.applyUpdate(reloaded, first);
    expect(reloaded.getText('t').toString()).toBe('aXbc');
    expect(published).toHaveLength(1);
    const elsewhere = new Y.Doc();
    Y.applyUpdate(elsewhere, first);
    for (const u of published[0]!) Y.applyUpdate(elsewhere, u);
    expect(elsewhere.getText('t').toString()).toBe('aXbc');
  });

  it('catchUp applies what the store has beyond what the room has seen, once', async () => {
    const { store, room } = await makeRoom();
    const c = fakeConn();
    room.conns.add(c);
    const other = new Y.Doc();
    await store.append('doc', [edit(other, 'p')]);
    await store.append('doc', [edit(other, 'q')]);
    await Promise.all([room.catchUp(), room.catchUp()]);
    expect(room.doc.getMap('m').toJSON()).toEqual({ p: 'p', q: 'q' });
    const sentAfterFirst = syncUpdates(c).length;
    expect(sentAfterFirst).toBeGreaterThan(0);
    await room.catchUp(); // nothing new: nothing applied, nothing sent
    expect(syncUpdates(c).length).toBe(sentAfterFirst);
    expect((await store.load('doc')).updates).toHaveLength(2); // nothing stored twice
  });

  it('with other writers, compaction covers only what the room has read, never its own last seq blindly', async () => {
    const { store, room } = await makeRoom();
    const c = fakeConn();
    room.conns.add(c);
    const other = new Y.Doc();
    // Another replica stores an update this room has not received...
    await store.append('doc', [edit(other, 'theirs')]);
    // ...then this room stores one of its own, with a higher seq.
    const client = new Y.Doc();
    Y.applyUpdate(room.doc, edit(client, 'mine'), { type: 'connection', conn: c } satisfies TransactionOrigin);
    await room.flushed();
    await room.compact();
    const stored = await store.load('doc');
    const restored = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(restored, stored.snapshot);
    for (const u of stored.updates) Y.applyUpdate(restored, u);
    expect(restored.getMap('m').toJSON()).toEqual({ theirs: 'theirs', mine: 'mine' });
    expect(room.doc.getMap('m').toJSON()).toEqual({ theirs: 'theirs', mine: 'mine' }); // caught up first
  });

  it('catchUp reads only what the room does not hold: its own appends and relayed batches are skipped', async () => {
    const { store, room } = await makeRoom();
    const reads: { except: readonly number[]; got: number }[] = [];
    const loadSince = store.loadSince.bind(store);
    store.loadSince = async (name, after, except = []) => {
      const got = await loadSince(name, after, except);
      reads.push({ except: [...except], got: got.updates.length + (got.snapshot ? 1 : 0) });
      return got;
    };
    const c = fakeConn();
    room.conns.add(c);
    const client = new Y.Doc();
    Y.applyUpdate(room.doc, edit(client, 'mine'), { type: 'connection', conn: c } satisfies TransactionOrigin);
    await room.flushed();
    const other = new Y.Doc();
    const relayed = edit(other, 'relayed');
    room.applyStored([relayed], await store.append('doc', [relayed])); // stored, then published
    await store.append('doc', [edit(other, 'missed')]); // stored, never published

    await room.catchUp();
    expect(reads).toHaveLength(1);
    expect(reads[0]!.except).toHaveLength(2);
    expect(reads[0]!.got).toBe(1); // only the missed one
    expect(room.doc.getMap('m').toJSON()).toEqual({ mine: 'mine', relayed: 'relayed', missed: 'missed' });

    await room.catchUp(); // everything up to the last seq is seen: nothing held, nothing read
    expect(reads[1]).toEqual({ except: [], got: 0 });
  });

  it('a relayed batch that fails to apply is not held: the next catch-up reads it again', async () => {
    const { store, room } = await makeRoom();
    const other = new Y.Doc();
    const good = edit(other, 'good');
    const [seq] = await store.append('doc', [good]);
    expect(() => room.applyStored([new Uint8Array([255, 255, 255])], [seq!])).toThrow();
    await room.catchUp();
    expect(room.doc.getMap('m').get('good')).toBe('good');
  });
});
