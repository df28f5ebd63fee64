/** Postgres user and session stores. Single statements: no locking needed. */
import { eq, sql } from 'drizzle-orm';
import { users, sessions } from '@delivery-board/schema/pg';
import type { PgDb } from '../../db/pg.ts';
import type { SessionStore, UserStore } from '../types.ts';

// Queries on every request are prepared once (named statements, parsed once per connection).

export function createPgUserStore(db: PgDb): UserStore {
  const byId = db.select().from(users).where(eq(users.id, sql.placeholder('id'))).prepare('user_by_id');
  return {
    async create(user) {
      const rows = await db.insert(users).values(user).onConflictDoNothing({ target: users.email }).returning({ id: users.id });
      return rows.length === 1;
    },
    async getByEmail(email) {
      const [row] = await db.select().from(users).where(eq(users.email, email));
      return row ?? null;
    },
    async getById(id) {
      const [row] = await byId.execute({ id });
      return row ?? null;
    },
  };
}

export function createPgSessionStore(db: PgDb): SessionStore {
  const withUser = db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sql.placeholder('id')))
    .prepare('session_with_user');
  return {
    async create(session) {
      await db.insert(sessions).values(session);
    },
    async getWithUser(id) {
      const [row] = await withUser.execute({ id });
      return row ?? null;
    },
    async setExpiry(id, expiresAt) {
      await db.update(sessions).set({ expiresAt }).where(eq(sessions.id, id));
    },
    async delete(id) {
      await db.delete(sessions).where(eq(sessions.id, id));
    },
  };
}
