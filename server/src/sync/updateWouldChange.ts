import * as Y from 'yjs';

/**
 * Whether applying a decoded update to `doc` would change it: structs beyond what the document
 * holds, or deletions of items it has not deleted (or does not have). Redundant content (what a
 * client echoes back of the document it was sent, its full delete set included) changes nothing.
 */
export function updateWouldChange(doc: Y.Doc, update: ReturnType<typeof Y.decodeUpdate>): boolean {
  for (const struct of update.structs) {
    if (struct instanceof Y.Skip) continue; // a gap marker, no content
    if (struct.id.clock + struct.length > Y.getState(doc.store, struct.id.client)) return true;
  }
  for (const [client, deletes] of update.ds.clients) {
    const structs = doc.store.clients.get(client) ?? [];
    const state = Y.getState(doc.store, client);
    for (const { clock, len } of deletes) {
      if (len <= 0) continue;
      const end = clock + len;
      if (end > state) return true; // deletes items the document does not have
      // Structs cover a client's clocks without gaps, each wholly deleted or not (GC'd ones are).
      for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i]!.id.clock < end; i++) {
        if (!structs[i]!.deleted) return true;
      }
    }
  }
  return false;
}
