/**
 * Time-based compaction on the room core (in-memory store, fake clock): a room compacts once its
 * snapshot is about COMPACT_EVERY_MS old (±25%) and it has newer updates, and rooms that loaded
 * together do not all compact at the same moment.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createMemoryDocumentStore } from '../src/stores/memory/documentStore.ts';
import { Room } from '../src/sync/room.ts';
import type { TransactionOrigin } from '../src/sync/types.ts';
import { silentLogger } from './helpers.ts';

const EVERY_MS = 60_000;
const options = { compactEveryUpdates: 1_000_000, compactEveryMs: EVERY_MS, retryMs: 10 };
const LOCAL: TransactionOrigin = { type: 'connection', conn: null };

async function loadedRoom(name: string, store = createMemoryDocumentStore()) {
  const room = new Room(name, { store, logger: silentLogger, options });
  await room.load();
  return { room, store };
}

/** One local edit, stored (and, when due, compacted) before this resolves. */
async function edit(room: Room, key: string) {
  room.doc.transact(() => room.doc.getMap('m').set(key, key), LOCAL);
  await room.flushed();
  // flush() compacts after it has run the flushed callbacks; the in-memory store answers within
  // microtasks, so a macrotask later it is done (only Date is faked: timers are real).
  await new Promise((r) => setTimeout(r, 0));
}

const hasSnapshot = async (store: ReturnType<typeof createMemoryDocumentStore>, name: string) => (await store.load(name)).snapshot !== null;

describe('time-based compaction', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['Date'] }));
  afterEach(() => vi.useRealTimers());

  it('not before 0.75 × COMPACT_EVERY_MS; by 1.25 × at the latest, at the next edit, and the snapshot holds everything', async () => {
    const { room, store } = await loadedRoom('doc');
    await edit(room, 'a');
    vi.advanceTimersByTime(EVERY_MS * 0.74);
    await edit(room, 'b');
    expect(await hasSnapshot(store, 'doc')).toBe(false);
    vi.advanceTimersByTime(EVERY_MS * 0.52); // 1.26 × since the load
    await edit(room, 'c');
    const stored = await store.load('doc');
    expect(stored.snapshot).not.toBeNull();
    expect(stored.updates).toEqual([]);
    const restored = new Y.Doc();
    Y.applyUpdate(restored, stored.snapshot!);
    expect(restored.getMap('m').toJSON()).toEqual({ a: 'a', b: 'b', c: 'c' });
    room.destroy();
  });

  it('without newer updates nothing is compacted, however old the snapshot', async () => {
    const { room, store } = await loadedRoom('doc');
    vi.advanceTimersByTime(EVERY_MS * 10);
    await room.flushed();
    await new Promise((r) => setTimeout(r, 0));
    expect(await hasSnapshot(store, 'doc')).toBe(false);
    room.destroy();
  });

  it('rooms loaded at the same moment come due at different moments', async () => {
    const store = createMemoryDocumentStore();
    const rooms = await Promise.all(Array.from({ length: 20 }, (_, i) => loadedRoom(`doc${i}`, store).then((r) => r.room)));
    for (const [i, room] of rooms.entries()) await edit(room, `k${i}`);
    // Step through the ±25% band and record when each room first compacts. Step s > 0 edits at
    // (0.74 + s/100) × EVERY_MS, so the last steps reach past the band's end at 1.25 ×.
    const dueStep = new Map<string, number>();
    for (let step = 0; step <= 52; step++) {
      for (const [i, room] of rooms.entries()) {
        if (dueStep.has(room.name)) continue;
        await edit(room, `s${step}-${i}`);
        if (await hasSnapshot(store, room.name)) dueStep.set(room.name, step);
      }
      vi.advanceTimersByTime((EVERY_MS * 0.5) / 50);
      if (step === 0) vi.advanceTimersByTime(EVERY_MS * 0.75 - (EVERY_MS * 0.5) / 50); // jump to the band's start
    }
    expect(dueStep.size).toBe(20); // all compacted within the band
    expect(new Set(dueStep.values()).size).toBeGreaterThan(5); // spread out, not in step
    for (const room of rooms) room.destroy();
  });
});
