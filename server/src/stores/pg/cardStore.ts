/** Postgres card store: private details and tracking links (never part of a Yjs document). Single statements. */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { cardPrivate, trackingTokens } from '@delivery-board/schema/pg';
import type { PgDb } from '../../db/pg.ts';
import type { CardStore } from '../types.ts';

export function createPgCardStore(db: PgDb): CardStore {
  const link = {
    id: trackingTokens.id,
    boardId: trackingTokens.boardId,
    cardId: trackingTokens.cardId,
    createdBy: trackingTokens.createdBy,
    createdAt: trackingTokens.createdAt,
    revokedAt: trackingTokens.revokedAt,
  };
  return {
    async getPrivate(boardId, cardId) {
      const [row] = await db.select().from(cardPrivate).where(and(eq(cardPrivate.boardId, boardId), eq(cardPrivate.cardId, cardId)));
      return row
        ? { recipientName: row.recipientName, phone: row.phone, accessNotes: row.accessNotes, updatedBy: row.updatedBy, updatedAt: row.updatedAt }
        : { recipientName: '', phone: '', accessNotes: '', updatedBy: null, updatedAt: null };
    },
    async putPrivate(boardId, cardId, details, by, now) {
      const row = { boardId, cardId, ...details, updatedBy: by, updatedAt: now };
      // One upsert statement: concurrent writers of the same card serialize on its row; last one wins.
      await db.insert(cardPrivate).values(row).onConflictDoUpdate({ target: [cardPrivate.boardId, cardPrivate.cardId], set: row });
      return { ...details, updatedBy: by, updatedAt: now };
    },
    async createTracking(l) {
      await db.insert(trackingTokens).values({ ...l, revokedAt: null });
    },
    async listTracking(boardId, cardId) {
      return db
        .select(link)
        .from(trackingTokens)
        .where(and(eq(trackingTokens.boardId, boardId), eq(trackingTokens.cardId, cardId), isNull(trackingTokens.revokedAt)))
        .orderBy(asc(trackingTokens.createdAt));
    },
    async revokeTracking(boardId, cardId, id, now) {
      const rows = await db
        .update(trackingTokens)
        .set({ revokedAt: now })
        .where(and(eq(trackingTokens.id, id), eq(trackingTokens.boardId, boardId), eq(trackingTokens.cardId, cardId), isNull(trackingTokens.revokedAt)))
        .returning({ id: trackingTokens.id });
      return rows.length === 1;
    },
    async getTracking(tokenHash) {
      const [row] = await db.select(link).from(trackingTokens).where(and(eq(trackingTokens.tokenHash, tokenHash), isNull(trackingTokens.revokedAt)));
      return row ?? null;
    },
  };
}
