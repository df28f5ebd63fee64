/**
 * Opens the Postgres database named by DATABASE_URL: a node-postgres (`pg`) pool wrapped by
 * drizzle, after applying the migrations in schema/migrations/pg.
 *
 * Why `pg` and not postgres.js: postgres.js 3.4.9 (the latest) can send a transaction's BEGIN
 * without reserving its connection when the socket applies backpressure (porsager/postgres#1189,
 * #823); the connection then goes back to the pool inside an open transaction and unrelated
 * queries run in it. Its signature showed up in our claims benchmark (one 500, and Postgres logging
 * "there is already a transaction in progress"). node-postgres checks a client out of the pool for the whole
 * transaction, so a transaction always owns its connection.
 *
 * Several replicas may start at once against one database. drizzle's migrator is not safe for
 * that (two replicas would both see "not applied yet" and run the same DDL), so migrations run on a
 * dedicated single connection holding a session-level advisory lock: the second replica waits,
 * then finds everything applied. The lock dies with its connection, so a replica killed mid-way
 * never leaves it held; each migration runs in drizzle's transaction, so it never half-applies.
 *
 * Every query goes through drizzle or parameterised `query(text, values)` calls: never string-built.
 */
import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { fileURLToPath } from 'node:url';
import * as schema from '@delivery-board/schema/pg';

export type PgDb = NodePgDatabase<typeof schema>;
/** A transaction handed to `db.transaction(fn)`: same query API as PgDb, on one connection. */
export type PgTx = Parameters<Parameters<PgDb['transaction']>[0]>[0];
/** Where a query can run: the pool or a transaction. */
export type PgExecutor = PgDb | PgTx;

export const PG_MIGRATIONS = fileURLToPath(new URL('../../../schema/migrations/pg', import.meta.url));

/**
 * Advisory lock keys. The single-bigint key space (migrations) and the two-int key space
 * (per-row namespaces, see the stores) never overlap in Postgres.
 */
export const MIGRATION_LOCK_KEY = 0x64626f617264; // "dboard"
/** First key of `pg_advisory_xact_lock(ns, hashtext(docName))`: serializes one document's log. */
export const DOC_LOCK_NS = 0x646f63; // "doc"

export interface OpenedPg {
  db: PgDb;
  pool: pg.Pool;
  close(): Promise<void>;
}

export interface PgOptions {
  /** Pool size (default 10). */
  max?: number;
  /**
   * An idle pooled connection failed (Postgres restarted, network cut). The pool drops it and the
   * next query connects again; without a listener, node-postgres would crash the process instead.
   */
  onIdleError?: (err: Error) => void;
}

/**
 * Connection settings for every connection we open: fail a connect after 10 s instead of waiting
 * forever (node-postgres' default) on an unreachable host, so start-up, requests and /readyz
 * answer; TCP keep-alive so a dead peer is noticed; a name to find replicas in pg_stat_activity.
 */
const connection = (url: string) => ({ connectionString: url, connectionTimeoutMillis: 10_000, keepAlive: true, application_name: 'delivery-board' });

/** Applies pending migrations, one replica at a time. */
export async function migratePg(url: string): Promise<void> {
  const client = new pg.Client(connection(url));
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migrate(drizzle(client), { migrationsFolder: PG_MIGRATIONS });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

/** Migrates, then opens the pool. Rejects (no pool left open) when the database is unreachable. */
export async function openPg(url: string, opts: PgOptions = {}): Promise<OpenedPg> {
  await migratePg(url);
  const pool = new pg.Pool({ ...connection(url), max: opts.max ?? 10 });
  pool.on('error', opts.onIdleError ?? (() => {}));
  const db = drizzle(pool, { schema });
  return { db, pool, close: () => pool.end() };
}

/** Unique violation on the named constraint (drizzle wraps driver errors in `cause`). */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  for (let e = err as { code?: string; constraint?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === '23505') return constraint === undefined || e.constraint === constraint;
  }
  return false;
}
