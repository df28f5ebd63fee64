/**
 * Opens the Postgres database named by DATABASE_URL: a postgres.js connection pool wrapped by
 * drizzle, after applying the migrations in schema/migrations/pg.
 *
 * Several replicas may start at once against one database. drizzle's migrator is not safe for
 * that (two replicas would both see "not applied yet" and run the same DDL), so migrations run on a
 * dedicated single connection holding a session-level advisory lock: the second replica waits,
 * then finds everything applied. The lock dies with its connection, so a replica killed mid-way
 * never leaves it held; each migration runs in drizzle's transaction, so it never half-applies.
 *
 * Every query goes through drizzle or postgres.js tagged templates: always parameterised (the
 * extended protocol), never string-built.
 */
import postgres from 'postgres';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { fileURLToPath } from 'node:url';
import * as schema from '@delivery-board/schema/pg';

export type PgDb = PostgresJsDatabase<typeof schema>;
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
  sql: postgres.Sql;
  close(): Promise<void>;
}

export interface PgOptions {
  /** Pool size (default 10). */
  max?: number;
}

const quiet = { onnotice: () => {} }; // "schema already exists, skipping" and the like

/** Applies pending migrations, one replica at a time. */
export async function migratePg(url: string): Promise<void> {
  const conn = postgres(url, { max: 1, ...quiet });
  try {
    await conn`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    try {
      await migrate(drizzle(conn), { migrationsFolder: PG_MIGRATIONS });
    } finally {
      await conn`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    }
  } finally {
    await conn.end();
  }
}

/** Migrates, then opens the pool. Rejects (no pool left open) when the database is unreachable. */
export async function openPg(url: string, opts: PgOptions = {}): Promise<OpenedPg> {
  await migratePg(url);
  const sql = postgres(url, { max: opts.max ?? 10, ...quiet });
  const db = drizzle(sql, { schema });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

/** Unique violation on the named constraint (drizzle wraps driver errors in `cause`). */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  for (let e = err as { code?: string; constraint_name?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === '23505') return constraint === undefined || e.constraint_name === constraint;
  }
  return false;
}
