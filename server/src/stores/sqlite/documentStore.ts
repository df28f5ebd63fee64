/** SQLite document store: update log + one snapshot row per document (see DocumentStore). */
import { and, asc, eq, lte, gt } from 'drizzle-orm';
import { docSnapshots, docUpdates } from '@delivery-board/schema/sqlite';
import type { SqliteClientDb } from '../../db/sqlite.ts';
import type { DocumentStore } from '../types.ts';

export function createSqliteDocumentStore(db: SqliteClientDb, now: () => number = Date.now): DocumentStore {
  const insert = db.$client.prepare<[string, Buffer, number], { seq: number }>(
    'insert into doc_updates (doc_name, "update", created_at) values (?, ?, ?) returning seq',
  );
  const appendAll = db.$client.transaction((rows: (readonly [string, Buffer, number])[]) => rows.map((row) => insert.get(...row)!.seq));
  // `except` travels as one JSON array parameter (json_each), whatever its length.
  const updatesSince = db.$client.prepare<[string, number, string], { seq: number; update: Buffer }>(
    'select seq, "update" from doc_updates where doc_name = ? and seq > ? and seq not in (select value from json_each(?)) order by seq',
  );
  return {
    async load(docName) {
      // One read transaction, so a concurrent compaction cannot fall between the two reads.
      return db.transaction((tx) => {
        const snap = tx.select().from(docSnapshots).where(eq(docSnapshots.docName, docName)).get();
        const from = snap?.upToSeq ?? 0;
        const rows = tx
          .select({ seq: docUpdates.seq, update: docUpdates.update })
          .from(docUpdates)
          .where(and(eq(docUpdates.docName, docName), gt(docUpdates.seq, from)))
          .orderBy(asc(docUpdates.seq))
          .all();
        return {
          snapshot: snap ? new Uint8Array(snap.snapshot) : null,
          updates: rows.map((r) => new Uint8Array(r.update)),
          lastSeq: rows.length ? rows[rows.length - 1]!.seq : from,
        };
      });
    },

    async loadSince(docName, afterSeq, except = []) {
      return db.transaction((tx) => {
        // The periodic catch-up's usual answer is "nothing": two index lookups, no blob read.
        const snap = tx
          .select({ snapshot: docSnapshots.snapshot, upToSeq: docSnapshots.upToSeq })
          .from(docSnapshots)
          .where(and(eq(docSnapshots.docName, docName), gt(docSnapshots.upToSeq, afterSeq)))
          .get();
        const rows = updatesSince.all(docName, afterSeq, JSON.stringify(except));
        return {
          snapshot: snap ? new Uint8Array(snap.snapshot) : null,
          updates: rows.map((r) => new Uint8Array(r.update)),
          lastSeq: Math.max(afterSeq, snap?.upToSeq ?? 0, rows.at(-1)?.seq ?? 0),
        };
      });
    },

    async append(docName, updates) {
      if (updates.length === 0) throw new Error('append needs at least one update');
      const at = now();
      // The hot path of every edit: one prepared statement, no query building per call.
      return appendAll(updates.map((u) => [docName, Buffer.from(u.buffer, u.byteOffset, u.byteLength), at] as const));
    },

    async compact(docName, snapshot, upToSeq) {
      db.transaction((tx) => {
        const current = tx.select({ upToSeq: docSnapshots.upToSeq }).from(docSnapshots).where(eq(docSnapshots.docName, docName)).get();
        // An older snapshot never replaces a newer one (two compactions racing).
        if (current && current.upToSeq >= upToSeq) return;
        const row = { docName, snapshot: Buffer.from(snapshot), upToSeq, updatedAt: now() };
        tx.insert(docSnapshots).values(row).onConflictDoUpdate({ target: docSnapshots.docName, set: row }).run();
        tx.delete(docUpdates).where(and(eq(docUpdates.docName, docName), lte(docUpdates.seq, upToSeq))).run();
      });
    },
  };
}
