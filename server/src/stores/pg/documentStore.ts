/**
 * Postgres document store: update log + one snapshot row per document (see DocumentStore).
 *
 * Ordering: `doc_updates.seq` is an identity, and identities are handed out when a row is inserted,
 * not when it commits. Two transactions appending to the same document could commit seq 11 before
 * seq 10; a reader between the commits would see 11 without 10, compact up to 11, and delete 10 when
 * it commits a moment later, without it being in the snapshot: a lost edit. So an append takes
 * `pg_advisory_xact_lock(DOC_LOCK_NS, hashtext(docName))` first: one appender per document at a
 * time, and within a document seq order is commit order. Every committed update with seq <= N is
 * then visible to anyone who sees N. (A hash collision only makes two documents share a lock:
 * slower, never wrong.)
 *
 * Compaction needs no lock for the same reason: compact(upToSeq) is only called with a seq the
 * caller has seen, so every update of the document up to it has committed and is in the caller's
 * snapshot, and later appends get higher seqs. It is one statement, so it holds up no edit.
 *
 * `load` runs in one REPEATABLE READ, read-only transaction and `loadSince` is one statement, so
 * snapshot and log come from the same instant even when a compaction commits between the reads.
 */
import { and, asc, eq, gt } from 'drizzle-orm';
import { docSnapshots, docUpdates } from '@delivery-board/schema/pg';
import { DOC_LOCK_NS, type PgDb } from '../../db/pg.ts';
import type { DocumentStore } from '../types.ts';
import type { Pool } from 'pg';

/** The hot paths skip drizzle's query building: named (server-side prepared) statements on the pool. */
const pool = (db: PgDb) => (db as PgDb & { $client: Pool }).$client;

interface QueuedAppend {
  docName: string;
  bytes: Buffer[];
  resolve: (seqs: number[]) => void;
  reject: (err: unknown) => void;
}

export function createPgDocumentStore(db: PgDb, now: () => number = Date.now): DocumentStore {
  /**
   * Appends asked for in one turn of the event loop (edits of several documents read from several
   * sockets at once, typically after the process waited for the CPU) go to Postgres as ONE statement:
   * one round trip, one commit, one backend woken, instead of one each. Each caller still gets the
   * seqs of its own updates, in its order.
   */
  let queued: QueuedAppend[] = [];
  const flushQueued = () => {
    const batch = queued;
    queued = [];
    insertAppends(batch).then(
      (seqs) => {
        let at = 0;
        for (const a of batch) {
          a.resolve(seqs.slice(at, at + a.bytes.length));
          at += a.bytes.length;
        }
      },
      (err) => batch.forEach((a) => a.reject(err)),
    );
  };

  /** The seqs of all rows, in the order of `batch` and of each one's updates. */
  async function insertAppends(batch: QueuedAppend[]): Promise<number[]> {
    // The hot path of every edit, in ONE round trip (one autocommit statement instead of begin,
    // lock, insert, commit): the CTE takes the documents' transaction-scoped advisory locks before
    // the first row is inserted, and holds them until the statement's implicit transaction commits.
    // Rows are inserted in order and identities are drawn in insertion order, so within a document
    // seq order is append order, and ascending seqs are the rows' order.
    const query =
      batch.length === 1 && batch[0]!.bytes.length === 1
        ? {
            // Usually one update: it travels as a binary parameter, not inside a bytea[] literal
            // that node-postgres writes as hex text and Postgres parses back.
            name: 'doc_append_one',
            text: `with l as (select pg_advisory_xact_lock($1::int, hashtext($2)))
                   insert into doc_updates (doc_name, "update", created_at) select $2, $3::bytea, $4 from l
                   returning seq`,
            values: [DOC_LOCK_NS, batch[0]!.docName, batch[0]!.bytes[0], now()],
          }
        : {
            // Locks in key order, so that two replicas' statements cannot deadlock; the insert
            // waits for all of them through the scalar subquery (evaluated once, before any row).
            name: 'doc_append_many',
            text: `with r as (select d, u, ord from unnest($2::text[], $3::bytea[]) with ordinality as t(d, u, ord)),
                        l as (select pg_advisory_xact_lock($1::int, k) from (select distinct hashtext(d) as k from r order by k) s)
                   insert into doc_updates (doc_name, "update", created_at)
                   select d, u, $4 from r where (select count(*) from l) >= 0 order by ord
                   returning seq`,
            values: [DOC_LOCK_NS, batch.flatMap((a) => a.bytes.map(() => a.docName)), batch.flatMap((a) => a.bytes), now()],
          };
    const result = await pool(db).query<{ seq: string | number }>(query);
    return result.rows.map((r) => Number(r.seq)).sort((a, b) => a - b);
  }

  return {
    async load(docName) {
      return db.transaction(
        async (tx) => {
          const [snap] = await tx.select().from(docSnapshots).where(eq(docSnapshots.docName, docName));
          const from = snap?.upToSeq ?? 0;
          const rows = await tx
            .select({ seq: docUpdates.seq, update: docUpdates.update })
            .from(docUpdates)
            .where(and(eq(docUpdates.docName, docName), gt(docUpdates.seq, from)))
            .orderBy(asc(docUpdates.seq));
          return {
            snapshot: snap ? new Uint8Array(snap.snapshot) : null,
            updates: rows.map((r) => new Uint8Array(r.update)),
            lastSeq: rows.length ? rows[rows.length - 1]!.seq : from,
          };
        },
        { isolationLevel: 'repeatable read', accessMode: 'read only' },
      );
    },

    async loadSince(docName, afterSeq, except = []) {
      // The periodic catch-up of every loaded document on every replica: ONE statement (one
      // snapshot of the database, so the snapshot row and the log agree), usually returning no row
      // because the caller holds everything (`except`). Snapshot first, then the log in seq order.
      const { rows } = await pool(db).query<{ seq: string | number; data: Buffer; is_snapshot: boolean }>({
        name: 'doc_load_since',
        text: `select seq, "update" as data, false as is_snapshot from doc_updates
                 where doc_name = $1 and seq > $2 and seq <> all($3::bigint[])
               union all
               select up_to_seq, snapshot, true from doc_snapshots where doc_name = $1 and up_to_seq > $2
               order by is_snapshot desc, seq`,
        values: [docName, afterSeq, except],
      });
      const snap = rows[0]?.is_snapshot ? rows[0] : undefined;
      const updates = snap ? rows.slice(1) : rows;
      return {
        snapshot: snap ? new Uint8Array(snap.data) : null,
        updates: updates.map((r) => new Uint8Array(r.data)),
        lastSeq: rows.reduce((max, r) => Math.max(max, Number(r.seq)), afterSeq),
      };
    },

    async append(docName, updates) {
      if (updates.length === 0) throw new Error('append needs at least one update');
      const bytes = updates.map((u) => Buffer.from(u.buffer, u.byteOffset, u.byteLength));
      return new Promise<number[]>((resolve, reject) => {
        queued.push({ docName, bytes, resolve, reject });
        if (queued.length === 1) setImmediate(flushQueued);
      });
    },

    async compact(docName, snapshot, upToSeq) {
      // One round trip. The upsert replaces the snapshot only with a newer one (two compactions
      // racing, e.g. on two replicas: the row lock orders them and the loser's `where` is false),
      // and the log is trimmed only when it did.
      await pool(db).query({
        name: 'doc_compact',
        text: `with s as (
                 insert into doc_snapshots (doc_name, snapshot, up_to_seq, updated_at) values ($1, $2, $3, $4)
                 on conflict (doc_name) do update
                   set snapshot = excluded.snapshot, up_to_seq = excluded.up_to_seq, updated_at = excluded.updated_at
                   where doc_snapshots.up_to_seq < excluded.up_to_seq
                 returning 1)
               delete from doc_updates where doc_name = $1 and seq <= $3 and exists (select 1 from s)`,
        values: [docName, Buffer.from(snapshot.buffer, snapshot.byteOffset, snapshot.byteLength), upToSeq, now()],
      });
    },
  };
}
