/** SQLite user and session stores. */
import { eq, sql } from 'drizzle-orm';
import { users, sessions } from '@delivery-board/schema/sqlite';
import type { SqliteDb } from '../../db/sqlite.ts';
import type { SessionStore, UserStore } from '../types.ts';

// Queries on every request are prepared once (drizzle builds and SQLite compiles them only here).

export function createSqliteUserStore(db: SqliteDb): UserStore {
  const byId = db.select().from(users).where(eq(users.id, sql.placeholder('id'))).prepare();
  return {
    async create(user) {
      const res = db.insert(users).values(user).onConflictDoNothing({ target: users.email }).run();
      return res.changes === 1;
    },
    async getByEmail(email) {
      return db.select().from(users).where(eq(users.email, email)).get() ?? null;
    },
    async getById(id) {
      return byId.get({ id }) ?? null;
    },
  };
}

export function createSqliteSessionStore(db: SqliteDb): SessionStore {
  const withUser = db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sql.placeholder('id')))
    .prepare();
  return {
    async create(session) {
      db.insert(sessions).values(session).run();
    },
    async getWithUser(id) {
      return withUser.get({ id }) ?? null;
    },
    async setExpiry(id, expiresAt) {
      db.update(sessions).set({ expiresAt }).where(eq(sessions.id, id)).run();
    },
    async delete(id) {
      db.delete(sessions).where(eq(sessions.id, id)).run();
    },
  };
}
