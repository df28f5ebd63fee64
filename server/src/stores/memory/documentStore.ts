/** In-memory document store: the reference implementation of the DocumentStore contract. */
import type { DocumentStore } from '../types.ts';

export function createMemoryDocumentStore(): DocumentStore {
  let nextSeq = 1;
  const docs = new Map<string, { snapshot: Uint8Array | null; snapshotSeq: number; updates: { seq: number; update: Uint8Array }[] }>();
  const entry = (name: string) => {
    let d = docs.get(name);
    if (!d) docs.set(name, (d = { snapshot: null, snapshotSeq: 0, updates: [] }));
    return d;
  };
  return {
    async load(docName) {
      const d = entry(docName);
      const last = d.updates.at(-1);
      return {
        snapshot: d.snapshot && d.snapshot.slice(),
        updates: d.updates.map((u) => u.update.slice()),
        lastSeq: last ? last.seq : d.snapshotSeq,
      };
    },
    async loadSince(docName, afterSeq, except = []) {
      const d = docs.get(docName);
      if (!d) return { snapshot: null, updates: [], lastSeq: afterSeq };
      const snapshot = d.snapshotSeq > afterSeq ? d.snapshot!.slice() : null;
      const held = new Set(except);
      const updates = d.updates.filter((u) => u.seq > afterSeq && !held.has(u.seq));
      return {
        snapshot,
        updates: updates.map((u) => u.update.slice()),
        lastSeq: Math.max(afterSeq, snapshot ? d.snapshotSeq : 0, updates.at(-1)?.seq ?? 0),
      };
    },
    async append(docName, updates) {
      if (updates.length === 0) throw new Error('append needs at least one update');
      const d = entry(docName);
      return updates.map((update) => {
        d.updates.push({ seq: nextSeq, update: update.slice() });
        return nextSeq++;
      });
    },
    async compact(docName, snapshot, upToSeq) {
      const d = entry(docName);
      if (d.snapshotSeq >= upToSeq) return;
      d.snapshot = snapshot.slice();
      d.snapshotSeq = upToSeq;
      d.updates = d.updates.filter((u) => u.seq > upToSeq);
    },
  };
}
