/**
 * Postgres board store: boards, memberships and invites.
 *
 * Locking. Under READ COMMITTED, "count the coordinators, then demote" in two transactions on two
 * connections (two replicas) could both count 2 and leave the board with none. Every membership
 * change therefore first locks the board's row (`select ... for no key update`): one membership
 * change per board at a time, across all connections, so the count and the change cannot
 * interleave. NO KEY UPDATE rather than UPDATE: it still conflicts with itself, but not with the
 * KEY SHARE locks that foreign-key checks take, so inserting rows that reference the board
 * (bookings, card details, memberships) is never blocked by it. Membership changes are rare; a per-board mutex costs nothing noticeable.
 *
 * Invite acceptance takes the board lock too (it inserts or upgrades a membership; two invites
 * accepted at once by the same user must not both insert), then re-reads the invite `for update`
 * so `uses < maxUses` is checked and incremented atomically. Lock order everywhere: board, then
 * invite; revoke locks only the invite, so there is no deadlock cycle.
 *
 * Each change writes its audit row in its own transaction, only when it happens.
 */
import { and, asc, eq, gt, isNull, sql, count } from 'drizzle-orm';
import { boards, invites, memberships, users } from '@delivery-board/schema/pg';
import type { PgDb, PgExecutor, PgTx } from '../../db/pg.ts';
import { ROLE_RANK } from '@delivery-board/schema/types';
import type { BoardStore } from '../types.ts';
import { insertAudit } from './bookingStore.ts';

/** Serializes membership changes of one board across connections (see the header). */
async function lockBoard(tx: PgTx, boardId: string): Promise<boolean> {
  const rows = await tx.select({ id: boards.id }).from(boards).where(eq(boards.id, boardId)).for('no key update');
  return rows.length === 1;
}

export function createPgBoardStore(db: PgDb): BoardStore {
  const memberQuery = (tx: PgExecutor, boardId: string, userId?: string) =>
    tx
      .select({ userId: memberships.userId, name: users.name, email: users.email, role: memberships.role, joinedAt: memberships.createdAt })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(userId === undefined ? eq(memberships.boardId, boardId) : and(eq(memberships.boardId, boardId), eq(memberships.userId, userId)));

  const coordinatorCount = async (tx: PgTx, boardId: string) => {
    const [row] = await tx
      .select({ n: count() })
      .from(memberships)
      .where(and(eq(memberships.boardId, boardId), eq(memberships.role, 'coordinator')));
    return row!.n;
  };

  const roleOf = db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.boardId, sql.placeholder('boardId')), eq(memberships.userId, sql.placeholder('userId'))))
    .prepare('membership_role');
  const boardById = db.select().from(boards).where(eq(boards.id, sql.placeholder('id'))).prepare('board_by_id');

  return {
    async create(board, audit) {
      await db.transaction(async (tx) => {
        await tx.insert(boards).values(board);
        await tx.insert(memberships).values({ boardId: board.id, userId: board.createdBy, role: 'coordinator', createdAt: board.createdAt });
        await insertAudit(tx, audit);
      });
    },

    async get(id) {
      const [row] = await boardById.execute({ id });
      return row ?? null;
    },

    async listForUser(userId) {
      return db
        .select({ id: boards.id, name: boards.name, role: memberships.role })
        .from(memberships)
        .innerJoin(boards, eq(boards.id, memberships.boardId))
        .where(eq(memberships.userId, userId))
        .orderBy(asc(boards.name));
    },

    async getRole(boardId, userId) {
      const [row] = await roleOf.execute({ boardId, userId });
      return row?.role ?? null;
    },

    async listMembers(boardId) {
      return memberQuery(db, boardId).orderBy(asc(users.name));
    },

    async setRole(boardId, userId, role, audit) {
      return db.transaction(async (tx) => {
        if (!(await lockBoard(tx, boardId))) return { ok: false, reason: 'not_found' } as const;
        const [current] = await memberQuery(tx, boardId, userId);
        if (!current) return { ok: false, reason: 'not_found' } as const;
        if (current.role === 'coordinator' && role !== 'coordinator' && (await coordinatorCount(tx, boardId)) <= 1) {
          return { ok: false, reason: 'last_coordinator' } as const;
        }
        await tx.update(memberships).set({ role }).where(and(eq(memberships.boardId, boardId), eq(memberships.userId, userId)));
        const member = { ...current, role };
        await insertAudit(tx, audit(member));
        return { ok: true, member } as const;
      });
    },

    async removeMember(boardId, userId, audit) {
      return db.transaction(async (tx) => {
        if (!(await lockBoard(tx, boardId))) return { ok: false, reason: 'not_found' } as const;
        const where = and(eq(memberships.boardId, boardId), eq(memberships.userId, userId));
        const [current] = await tx.select({ role: memberships.role }).from(memberships).where(where);
        if (!current) return { ok: false, reason: 'not_found' } as const;
        if (current.role === 'coordinator' && (await coordinatorCount(tx, boardId)) <= 1) {
          return { ok: false, reason: 'last_coordinator' } as const;
        }
        await tx.delete(memberships).where(where);
        await insertAudit(tx, audit);
        return { ok: true } as const;
      });
    },

    async createInvite(invite, audit) {
      await db.transaction(async (tx) => {
        await tx.insert(invites).values({ ...invite, uses: 0 });
        await insertAudit(tx, audit);
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
        .orderBy(asc(invites.createdAt));
    },

    async getInviteByTokenHash(tokenHash) {
      const [row] = await db.select().from(invites).where(eq(invites.tokenHash, tokenHash));
      return row ?? null;
    },

    async revokeInvite(boardId, inviteId, now, audit) {
      return db.transaction(async (tx) => {
        const rows = await tx
          .update(invites)
          .set({ revokedAt: now })
          .where(and(eq(invites.id, inviteId), eq(invites.boardId, boardId), isNull(invites.revokedAt)))
          .returning({ id: invites.id });
        if (rows.length !== 1) return false;
        await insertAudit(tx, audit);
        return true;
      });
    },

    async acceptInvite(tokenHash, userId, now, audit) {
      return db.transaction(async (tx) => {
        const [found] = await tx.select({ boardId: invites.boardId }).from(invites).where(eq(invites.tokenHash, tokenHash));
        if (!found || !(await lockBoard(tx, found.boardId))) return { ok: false, reason: 'not_found' } as const;
        // Re-read under a row lock: a concurrent acceptance or revocation has committed by now.
        const [inv] = await tx.select().from(invites).where(eq(invites.tokenHash, tokenHash)).for('update');
        if (!inv) return { ok: false, reason: 'not_found' } as const;
        if (inv.revokedAt !== null) return { ok: false, reason: 'revoked' } as const;
        if (inv.expiresAt <= now) return { ok: false, reason: 'expired' } as const;
        const where = and(eq(memberships.boardId, inv.boardId), eq(memberships.userId, userId));
        const [existing] = await tx.select({ role: memberships.role }).from(memberships).where(where);
        // A member following an invite again is not a new use, never loses a higher role, and
        // changes nothing, so nothing goes into the audit trail either.
        if (existing && ROLE_RANK[existing.role] >= ROLE_RANK[inv.role]) {
          return { ok: true, changed: false, boardId: inv.boardId, role: existing.role } as const;
        }
        if (inv.maxUses !== null && inv.uses >= inv.maxUses) return { ok: false, reason: 'used_up' } as const;
        await tx.update(invites).set({ uses: sql`${invites.uses} + 1` }).where(eq(invites.id, inv.id));
        if (existing) await tx.update(memberships).set({ role: inv.role }).where(where);
        else await tx.insert(memberships).values({ boardId: inv.boardId, userId, role: inv.role, createdAt: now });
        const accepted = { boardId: inv.boardId, role: inv.role };
        await insertAudit(tx, audit(accepted));
        return { ok: true, changed: true, ...accepted } as const;
      });
    },
  };
}
