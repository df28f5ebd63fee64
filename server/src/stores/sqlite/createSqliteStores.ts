/** Every SQLite store over one opened database: what server.ts and the tests wire together. */
import type { SqliteClientDb } from '../../db/sqlite.ts';
import { createSqliteBoardStore } from './boardStore.ts';
import { createSqliteBookingStore } from './bookingStore.ts';
import { createSqliteCardStore } from './cardStore.ts';
import { createSqliteDocumentStore } from './documentStore.ts';
import { createSqliteSessionStore, createSqliteUserStore } from './userStore.ts';

export function createSqliteStores(db: SqliteClientDb, now: () => number = Date.now) {
  return {
    users: createSqliteUserStore(db),
    sessions: createSqliteSessionStore(db),
    boards: createSqliteBoardStore(db),
    bookings: createSqliteBookingStore(db),
    cards: createSqliteCardStore(db),
    documents: createSqliteDocumentStore(db, now),
  };
}
