/**
 * Opens the SQLite database (a file under DATA_DIR, or ':memory:' in tests) and applies the
 * migrations in schema/migrations/sqlite. WAL mode: readers never block the single writer, and a
 * committed transaction survives a killed process (synchronous=NORMAL only risks the last
 * transactions on power loss, not on a crash of this process).
 */
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { fileURLToPath } from 'node:url';
import * as schema from '@delivery-board/schema/sqlite';

export type SqliteDb = BetterSQLite3Database<typeof schema>;
/** The database as opened (not a transaction): also gives the raw better-sqlite3 handle. */
export type SqliteClientDb = SqliteDb & { $client: Database.Database };

export const SQLITE_MIGRATIONS = fileURLToPath(new URL('../../../schema/migrations/sqlite', import.meta.url));

export interface OpenedSqlite {
  db: SqliteClientDb;
  sqlite: Database.Database;
  close(): void;
}

export function openSqlite(file: string): OpenedSqlite {
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: SQLITE_MIGRATIONS });
  return { db, sqlite, close: () => sqlite.close() };
}
