/**
 * Every Postgres store over one opened pool: what server.ts wires together when DATABASE_URL is
 * set. Typed as the SQLite set, so the two cannot drift apart.
 */
import type { PgDb } from '../../db/pg.ts';
import type { createSqliteStores } from '../sqlite/createSqliteStores.ts';
import { createPgBoardStore } from './boardStore.ts';
import { createPgBookingStore } from './bookingStore.ts';
import { createPgCardStore } from './cardStore.ts';
import { createPgDocumentStore } from './documentStore.ts';
import { createPgSessionStore, createPgUserStore } from './userStore.ts';

export type Stores = ReturnType<typeof createSqliteStores>;

export function createPgStores(db: PgDb, now: () => number = Date.now): Stores {
  return {
    users: createPgUserStore(db),
    sessions: createPgSessionStore(db),
    boards: createPgBoardStore(db),
    bookings: createPgBookingStore(db),
    cards: createPgCardStore(db),
    documents: createPgDocumentStore(db, now),
  };
}
