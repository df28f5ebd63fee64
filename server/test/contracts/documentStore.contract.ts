/**
 * Contract suite for DocumentStore implementations. Every implementation (memory, SQLite,
 * Postgres) runs these rules; a test names the rule it checks. Cross-connection races on Postgres
 * are in pgConcurrency.test.ts.
 *
 * D1. A document never written loads as empty: no snapshot, no updates, lastSeq 0.
 * D2. Appended updates load back byte-for-byte, in append order.
 * D3. append returns one seq per update, each greater than every earlier seq of that store (across
 *     documents).
 * D4. Documents are independent: writing one never changes another.
 * D5. compact(snapshot, upToSeq) makes load return that snapshot and only the updates after upToSeq.
 * D6. A compaction older than the stored snapshot (lower upToSeq) is ignored.
 * D7. Loading snapshot + later updates reproduces the same Yjs state as the full log.
 * D8. append of an empty list is an error, not a silent no-op.
 * D9. An update appended concurrently with a compaction is never lost.
 * D10. Data survives re-opening the store (persistent implementations only).
 * D11. One append of many updates keeps their order and returns their seqs, ascending, in that order.
 * D12. Concurrent appends to one document all load back; each append's updates stay in order, and
 *      lastSeq is the highest seq any of them returned.
 * D13. loadSince(afterSeq) returns the updates with seq > afterSeq, in order, and no snapshot
 *      while the stored snapshot covers no seq after afterSeq; lastSeq is the highest seq returned.
 * D14. loadSince with nothing newer (or an unknown document) returns nothing, lastSeq = afterSeq.
 * D15. When a compaction has covered seqs after afterSeq, loadSince includes the snapshot (those
 *      updates are gone from the log) and the updates after it; lastSeq is at least its upToSeq.
 * D16. loadSince leaves out the updates whose seqs are in `except` (the caller holds them);
 *      lastSeq is the highest seq it returns (or afterSeq), and the snapshot still comes when due.
 * D17. Appends to several documents made at once (one turn of the event loop, which a store may
 *      write together) each return their own seqs, in their order, and load back per document.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocumentStore } from '../../src/stores/types.ts';

const bytes = (...xs: number[]) => new Uint8Array(xs);
const last = (seqs: number[]) => seqs.at(-1)!;

function cardUpdate(doc: Y.Doc, key: string, value: string): Uint8Array {
  let captured: Uint8Array | null = null;
  const handler = (u: Uint8Array) => (captured = u);
  doc.on('update', handler);
  doc.getMap('cards').set(key, value);
  doc.off('update', handler);
  return captured!;
}

export function documentStoreContract(name: string, make: () => Promise<{ store: DocumentStore; reopen?: () => Promise<DocumentStore> }>) {
  describe(`DocumentStore contract: ${name}`, () => {
    it('D1: an unknown document loads empty', async () => {
      const { store } = await make();
      expect(await store.load('nothing-here')).toEqual({ snapshot: null, updates: [], lastSeq: 0 });
    });

    it('D2: updates load back in order, byte for byte', async () => {
      const { store } = await make();
      await store.append('a', [bytes(1, 2, 3)]);
      await store.append('a', [bytes(4), bytes(5, 6)]);
      const loaded = await store.load('a');
      expect(loaded.snapshot).toBeNull();
      expect(loaded.updates.map((u) => Array.from(u))).toEqual([[1, 2, 3], [4], [5, 6]]);
    });

    it('D3: seqs increase across appends and documents', async () => {
      const { store } = await make();
      const s1 = last(await store.append('a', [bytes(1)]));
      const s2 = last(await store.append('b', [bytes(2), bytes(3)]));
      const s3 = last(await store.append('a', [bytes(4)]));
      const [b1, b2] = await store.append('b', [bytes(5), bytes(6)]);
      expect(s2).toBeGreaterThan(s1);
      expect(b1).toBeGreaterThan(s3);
      expect(b2).toBeGreaterThan(b1!);
      expect(s3).toBeGreaterThan(s2);
      expect((await store.load('a')).lastSeq).toBe(s3);
      expect((await store.load('b')).lastSeq).toBe(b2);
    });

    it('D4: documents are independent', async () => {
      const { store } = await make();
      await store.append('a', [bytes(1)]);
      await store.append('b', [bytes(2)]);
      await store.compact('b', bytes(9), (await store.load('b')).lastSeq);
      expect((await store.load('a')).updates.map((u) => Array.from(u))).toEqual([[1]]);
      expect((await store.load('a')).snapshot).toBeNull();
    });

    it('D5: compaction replaces the covered updates with the snapshot', async () => {
      const { store } = await make();
      await store.append('a', [bytes(1), bytes(2)]);
      const upTo = last(await store.append('a', [bytes(3)]));
      const later = last(await store.append('a', [bytes(4)]));
      await store.compact('a', bytes(7, 7), upTo);
      const loaded = await store.load('a');
      expect(Array.from(loaded.snapshot!)).toEqual([7, 7]);
      expect(loaded.updates.map((u) => Array.from(u))).toEqual([[4]]);
      expect(loaded.lastSeq).toBe(later);
    });

    it('D6: an older compaction never replaces a newer one', async () => {
      const { store } = await make();
      const s1 = last(await store.append('a', [bytes(1)]));
      const s2 = last(await store.append('a', [bytes(2)]));
      await store.compact('a', bytes(2, 2), s2);
      await store.compact('a', bytes(1, 1), s1);
      const loaded = await store.load('a');
      expect(Array.from(loaded.snapshot!)).toEqual([2, 2]);
      expect(loaded.updates).toEqual([]);
      expect(loaded.lastSeq).toBe(s2);
    });

    it('D7: snapshot + later updates reproduce the full state', async () => {
      const { store } = await make();
      const doc = new Y.Doc();
      for (let i = 0; i < 20; i++) await store.append('y', [cardUpdate(doc, `k${i % 5}`, `v${i}`)]);
      const mid = await store.load('y');
      const snapDoc = new Y.Doc();
      for (const u of mid.updates) Y.applyUpdate(snapDoc, u);
      await store.compact('y', Y.encodeStateAsUpdate(snapDoc), mid.lastSeq);
      for (let i = 20; i < 30; i++) await store.append('y', [cardUpdate(doc, `k${i % 7}`, `v${i}`)]);
      const loaded = await store.load('y');
      const restored = new Y.Doc();
      Y.applyUpdate(restored, loaded.snapshot!);
      for (const u of loaded.updates) Y.applyUpdate(restored, u);
      expect(restored.getMap('cards').toJSON()).toEqual(doc.getMap('cards').toJSON());
      expect(loaded.updates).toHaveLength(10);
    });

    it('D8: appending nothing is an error', async () => {
      const { store } = await make();
      await expect(store.append('a', [])).rejects.toThrow();
    });

    it('D9: updates appended around a compaction are all kept', async () => {
      const { store } = await make();
      const doc = new Y.Doc();
      const upTo = last(await store.append('c', [cardUpdate(doc, 'a', '1')]));
      const snapshot = Y.encodeStateAsUpdate(doc);
      const [, [after]] = await Promise.all([store.compact('c', snapshot, upTo), store.append('c', [cardUpdate(doc, 'b', '2')])]);
      const loaded = await store.load('c');
      const restored = new Y.Doc();
      if (loaded.snapshot) Y.applyUpdate(restored, loaded.snapshot);
      for (const u of loaded.updates) Y.applyUpdate(restored, u);
      expect(restored.getMap('cards').toJSON()).toEqual({ a: '1', b: '2' });
      expect(loaded.lastSeq).toBe(after);
    });

    it('D10: data survives re-opening', async () => {
      const { store, reopen } = await make();
      if (!reopen) return; // in-memory: nothing to reopen
      const s = last(await store.append('p', [bytes(1)]));
      await store.compact('p', bytes(5), s);
      await store.append('p', [bytes(2)]);
      const again = await reopen();
      const loaded = await again.load('p');
      expect(Array.from(loaded.snapshot!)).toEqual([5]);
      expect(loaded.updates.map((u) => Array.from(u))).toEqual([[2]]);
    });

    it('D11: a batch keeps its order', async () => {
      const { store } = await make();
      const batch = Array.from({ length: 50 }, (_, i) => bytes(i, 255 - i));
      const seqs = await store.append('batch', batch);
      const loaded = await store.load('batch');
      expect(loaded.updates.map((u) => Array.from(u))).toEqual(batch.map((u) => Array.from(u)));
      expect(seqs).toHaveLength(50);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(50);
      expect(loaded.lastSeq).toBe(last(seqs));
    });

    it('D12: concurrent appends to one document are all kept, each in order', async () => {
      const { store } = await make();
      const seqs = await Promise.all(Array.from({ length: 20 }, (_, i) => store.append('busy', [bytes(i, 0), bytes(i, 1)])));
      const loaded = await store.load('busy');
      expect(loaded.updates).toHaveLength(40);
      const pairs = loaded.updates.map((u) => Array.from(u));
      for (let i = 0; i < pairs.length; i += 2) expect([pairs[i]![1], pairs[i + 1]![1], pairs[i]![0]]).toEqual([0, 1, pairs[i + 1]![0]]);
      expect(new Set(pairs.map((p) => p[0])).size).toBe(20);
      expect(loaded.lastSeq).toBe(Math.max(...seqs.flat()));
    });

    it('D13: loadSince returns what came after', async () => {
      const { store } = await make();
      const s1 = last(await store.append('l', [bytes(1)]));
      await store.compact('l', bytes(9), s1);
      const s2 = last(await store.append('l', [bytes(2)]));
      await store.append('other', [bytes(7)]);
      const s3 = last(await store.append('l', [bytes(3), bytes(4)]));
      expect(await store.loadSince('l', s1)).toEqual({ snapshot: null, updates: [bytes(2), bytes(3), bytes(4)], lastSeq: s3 });
      expect(await store.loadSince('l', s2)).toEqual({ snapshot: null, updates: [bytes(3), bytes(4)], lastSeq: s3 });
    });

    it('D14: loadSince with nothing newer returns nothing', async () => {
      const { store } = await make();
      const s1 = last(await store.append('l', [bytes(1)]));
      expect(await store.loadSince('l', s1)).toEqual({ snapshot: null, updates: [], lastSeq: s1 });
      expect(await store.loadSince('never-written', 42)).toEqual({ snapshot: null, updates: [], lastSeq: 42 });
    });

    it('D15: loadSince includes a snapshot that covers newer seqs', async () => {
      const { store } = await make();
      const s1 = last(await store.append('l', [bytes(1)]));
      const s2 = last(await store.append('l', [bytes(2)]));
      await store.compact('l', bytes(8, 8), s2);
      expect(await store.loadSince('l', s1)).toEqual({ snapshot: bytes(8, 8), updates: [], lastSeq: s2 });
      const s3 = last(await store.append('l', [bytes(3)]));
      expect(await store.loadSince('l', s1)).toEqual({ snapshot: bytes(8, 8), updates: [bytes(3)], lastSeq: s3 });
    });

    it('D17: appends to several documents at once each get their own seqs', async () => {
      const { store } = await make();
      const calls = Array.from({ length: 12 }, (_, i) => ({ doc: `multi-${i % 4}`, updates: Array.from({ length: 1 + (i % 3) }, (_, j) => bytes(i, j)) }));
      const results = await Promise.all(calls.map((c) => store.append(c.doc, c.updates)));
      results.forEach((seqs, i) => {
        expect(seqs).toHaveLength(calls[i]!.updates.length);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      });
      expect(new Set(results.flat()).size).toBe(results.flat().length);
      for (let d = 0; d < 4; d++) {
        const mine = calls.flatMap((c, i) => (c.doc === `multi-${d}` ? [{ updates: c.updates, seqs: results[i]! }] : []));
        const loaded = await store.load(`multi-${d}`);
        // In seq order, which is each caller's order; and every caller's updates, byte for byte.
        const bySeq = mine.flatMap((m) => m.seqs.map((seq, j) => ({ seq, u: Array.from(m.updates[j]!) }))).sort((a, b) => a.seq - b.seq);
        expect(loaded.updates.map((u) => Array.from(u))).toEqual(bySeq.map((x) => x.u));
        expect(loaded.lastSeq).toBe(bySeq.at(-1)!.seq);
      }
    });

    it('D16: loadSince leaves out the seqs the caller holds', async () => {
      const { store } = await make();
      const [s1] = await store.append('l', [bytes(1)]);
      const [s2, s3] = await store.append('l', [bytes(2), bytes(3)]);
      const [s4] = await store.append('l', [bytes(4)]);
      expect(await store.loadSince('l', s1!, [s2!, s4!])).toEqual({ snapshot: null, updates: [bytes(3)], lastSeq: s3 });
      expect(await store.loadSince('l', s1!, [s2!, s3!, s4!])).toEqual({ snapshot: null, updates: [], lastSeq: s1 });
      expect(await store.loadSince('l', s1!, [])).toEqual({ snapshot: null, updates: [bytes(2), bytes(3), bytes(4)], lastSeq: s4 });
      // Held seqs that a compaction covered: the snapshot still comes, with what the caller lacks.
      await store.compact('l', bytes(9, 9), s3!);
      const [s5] = await store.append('l', [bytes(5)]);
      expect(await store.loadSince('l', s1!, [s2!, s3!, s4!])).toEqual({ snapshot: bytes(9, 9), updates: [bytes(5)], lastSeq: s5 });
      expect(await store.loadSince('l', s1!, [s2!, s3!, s4!, s5!])).toEqual({ snapshot: bytes(9, 9), updates: [], lastSeq: s3 });
    });
  });
}
