/**
 * SQLite board store: boards, memberships and invites. Membership changes that must respect the
 * "last coordinator" rule run in one transaction (SQLite has a single writer, so the count and the
 * change cannot interleave with another writer's). Each change writes its audit row in its own
 * transaction, only when it happens.
 */
import { and, asc, eq, gt, isNull, sql, count } from 'drizzle-orm';
import { boards, invites, memberships, users } from '@delivery-board/schema/sqlite';
import type { SqliteDb } from '../../db/sqlite.ts';
import { ROLE_RANK, type Role } from '@delivery-board/schema/types';
import type { BoardStore } from '../types.ts';
import { insertAudit } from './bookingStore.ts';

export function createSqliteBoardStore(db: SqliteDb): BoardStore {
  const memberQuery = (tx: SqliteDb, boardId: string, userId?: string) =>
    tx
      .select({ userId: memberships.userId, name: users.name, email: users.email, role: memberships.role, joinedAt: memberships.createdAt })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(userId === undefined ? eq(memberships.boardId, boardId) : and(eq(memberships.boardId, boardId), eq(memberships.userId, userId)));

  const coordinatorCount = (tx: SqliteDb, boardId: string) =>
    tx
      .select({ n: count() })
      .from(memberships)
      .where(and(eq(memberships.boardId, boardId), eq(memberships.role, 'coordinator')))
      .get()!.n;

  const roleOf = db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.boardId, sql.placeholder('boardId')), eq(memberships.userId, sql.placeholder('userId'))))
    .prepare();
  const boardById = db.select().from(boards).where(eq(boards.id, sql.placeholder('id'))).prepare();

  return {
    async create(board, audit) {
      db.transaction((tx) => {
        tx.insert(boards).values(board).run();
        tx.insert(memberships).values({ boardId: board.id, userId: board.createdBy, role: 'coordinator', createdAt: board.createdAt }).run();
        insertAudit(tx, audit);
      });
    },

    async get(id) {
      return boardById.get({ id }) ?? null;
    },

    async listForUser(userId) {
      return db
        .select({ id: boards.id, name: boards.name, role: memberships.role })
        .from(memberships)
        .innerJoin(boards, eq(boards.id, memberships.boardId))
        .where(eq(memberships.userId, userId))
        .orderBy(asc(boards.name))
        .all();
    },

    async getRole(boardId, userId) {
      return roleOf.get({ boardId, userId })?.role ?? null;
    },

    async listMembers(boardId) {
      return memberQuery(db, boardId).orderBy(asc(users.name)).all();
    },

    async setRole(boardId, userId, role, audit) {
      return db.transaction((tx) => {
        const current = memberQuery(tx, boardId, userId).get();
        if (!current) return { ok: false, reason: 'not_found' } as const;
        if (current.role === 'coordinator' && role !== 'coordinator' && coordinatorCount(tx, boardId) <= 1) {
          return { ok: false, reason: 'last_coordinator' } as const;
        }
        tx.update(memberships).set({ role }).where(and(eq(memberships.boardId, boardId), eq(memberships.userId, userId))).run();
        const member = { ...current, role };
        insertAudit(tx, audit(member));
        return { ok: true, member } as const;
      });
    },

    async removeMember(boardId, userId, audit) {
      return db.transaction((tx) => {
        const where = and(eq(memberships.boardId, boardId), eq(memberships.userId, userId));
        const current = tx.select({ role: memberships.role }).from(memberships).where(where).get();
        if (!current) return { ok: false, reason: 'not_found' } as const;
        if (current.role === 'coordinator' && coordinatorCount(tx, boardId) <= 1) {
          return { ok: false, reason: 'last_coordinator' } as const;
        }
        tx.delete(memberships).where(where).run();
        insertAudit(tx, audit);
        return { ok: true } as const;
      });
    },

    async createInvite(invite, audit) {
      db.transaction((tx) => {
        tx.insert(invites).values({ ...invite, uses: 0 }).run();
        insertAudit(tx, audit);
      });
    },

    async listInvites(boardId, now) {
      return db
        .select({ id: invites.id, role: invites.role, expiresAt: invites.expiresAt, maxUses: invites.maxUses, uses: invites.uses, createdAt: invites.createdAt })
        .from(invites)
        .where(
          and(
            eq(invites.boardId, boardId),
            isNull(invites.revokedAt),
            gt(invites.expiresAt, now),
            sql`(${invites.maxUses} is null or ${invites.uses} < ${invites.maxUses})`,
          ),
        )
        .orderBy(asc(invites.createdAt))
        .all();
    },

    async getInviteByTokenHash(tokenHash) {
      return db.select().from(invites).where(eq(invites.tokenHash, tokenHash)).get() ?? null;
    },

    async revokeInvite(boardId, inviteId, now, audit) {
      return db.transaction((tx) => {
        const res = tx
          .update(invites)
          .set({ revokedAt: now })
          .where(and(eq(invites.id, inviteId), eq(invites.boardId, boardId), isNull(invites.revokedAt)))
          .run();
        if (res.changes !== 1) return false;
        insertAudit(tx, audit);
        return true;
      });
    },

    async acceptInvite(tokenHash, userId, now, audit) {
      return db.transaction((tx) => {
        const inv = tx.select().from(invites).where(eq(invites.tokenHash, tokenHash)).get();
        if (!inv) return { ok: false, reason: 'not_found' } as const;
        if (inv.revokedAt !== null) return { ok: false, reason: 'revoked' } as const;
        if (inv.expiresAt <= now) return { ok: false, reason: 'expired' } as const;
        const where = and(eq(memberships.boardId, inv.boardId), eq(memberships.userId, userId));
        const existing = tx.select({ role: memberships.role }).from(memberships).where(where).get();
        // A member following an invite again is not a new use, never loses a higher role, and
        // changes nothing, so nothing goes into the audit trail either.
        if (existing && ROLE_RANK[existing.role] >= ROLE_RANK[inv.role]) {
          return { ok: true, changed: false, boardId: inv.boardId, role: existing.role as Role } as const;
        }
        if (inv.maxUses !== null && inv.uses >= inv.maxUses) return { ok: false, reason: 'used_up' } as const;
        tx.update(invites).set({ uses: sql`${invites.uses} + 1` }).where(eq(invites.id, inv.id)).run();
        if (existing) tx.update(memberships).set({ role: inv.role }).where(where).run();
        else tx.insert(memberships).values({ boardId: inv.boardId, userId, role: inv.role, createdAt: now }).run();
        const accepted = { boardId: inv.boardId, role: inv.role };
        insertAudit(tx, audit(accepted));
        return { ok: true, changed: true, ...accepted } as const;
      });
    },
  };
}
