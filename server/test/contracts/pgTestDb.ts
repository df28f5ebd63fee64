/**
 * Postgres for tests: one fresh database per test file (`dboard_test_<random>`, created through a
 * maintenance connection to TEST_DATABASE_URL, dropped when the file ends), migrated by the same
 * openPg the server uses. Tests that need Postgres FAIL when it is unreachable, in CI and locally
 * alike: a skipped suite would read as a passing one.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { getTableName } from 'drizzle-orm';
import * as schema from '@delivery-board/schema/pg';
import { openPg, type OpenedPg } from '../../src/db/pg.ts';
import { createPgStores } from '../../src/stores/pg/createPgStores.ts';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

const TABLES = Object.values(schema).map((t) => getTableName(t));

function withDatabase(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

async function maintenance<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    return await fn(client);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || /timeout/i.test(String(err))) {
      throw new Error(
        `Postgres is unreachable at ${TEST_DATABASE_URL.replace(/:[^:@/]*@/, ':***@')} (${code ?? err}). These tests need it` +
          `${process.env.CI === 'true' ? ' (CI=true)' : ''}: start it with ` +
          '`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` or set TEST_DATABASE_URL.',
        { cause: err },
      );
    }
    throw err;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Creates an empty database and returns its URL. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `dboard_test_${randomBytes(6).toString('hex')}`;
  // Identifiers cannot be parameters; the name is ours (hex), and quoted anyway.
  await maintenance((c) => c.query(`create database ${c.escapeIdentifier(name)}`));
  return {
    url: withDatabase(TEST_DATABASE_URL, name),
    drop: () => maintenance((c) => c.query(`drop database if exists ${c.escapeIdentifier(name)} with (force)`)).then(() => undefined),
  };
}

export interface PgTestContext {
  /** The file's database URL (after beforeAll). */
  readonly url: string;
  /** The pool opened on it (after beforeAll). */
  readonly pg: OpenedPg;
  /** Empties every table, then returns stores on the shared pool. */
  freshStores(now?: () => number): Promise<ReturnType<typeof createPgStores>>;
  /** Another pool on the same database (another "replica"); closed with the file. */
  openPool(): Promise<OpenedPg>;
}

/** Registers beforeAll/afterAll: a database for this file, migrated, and a pool on it. */
export function usePgDatabase(): PgTestContext {
  let database: Awaited<ReturnType<typeof createTestDatabase>> | null = null;
  let pg: OpenedPg | null = null;
  const pools: OpenedPg[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
    pg = await openPg(database.url, { max: 4 });
  });
  afterAll(async () => {
    for (const p of [...pools, ...(pg ? [pg] : [])]) await p.close();
    await database?.drop();
  });
  return {
    get url() {
      return database!.url;
    },
    get pg() {
      return pg!;
    },
    async freshStores(now) {
      await pg!.pool.query(`truncate table ${TABLES.map((t) => `"${t}"`).join(', ')} restart identity cascade`);
      return createPgStores(pg!.db, now);
    },
    async openPool() {
      const p = await openPg(database!.url, { max: 4 });
      pools.push(p);
      return p;
    },
  };
}
