/**
 * Postgres card store: private details and tracking links (never part of a Yjs document). Each change
 * is one statement plus its audit row, in one transaction; the row only when something changed.
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { cardPrivate, trackingTokens } from '@delivery-board/schema/pg';
import type { PgDb } from '../../db/pg.ts';
import type { CardStore } from '../types.ts';
import { privateDetailsUpsert } from '../privateDetails.ts';
import { insertAudit } from './bookingStore.ts';

export function createPgCardStore(db: PgDb): CardStore {
  const link = {
    id: trackingTokens.id,
    boardId: trackingTokens.boardId,
    cardId: trackingTokens.cardId,
    createdBy: trackingTokens.createdBy,
    createdAt: trackingTokens.createdAt,
    revokedAt: trackingTokens.revokedAt,
  };
  const privateFields = { recipientName: cardPrivate.recipientName, phone: cardPrivate.phone, accessNotes: cardPrivate.accessNotes };
  return {
    async getPrivate(boardId, cardId) {
      const [row] = await db.select().from(cardPrivate).where(and(eq(cardPrivate.boardId, boardId), eq(cardPrivate.cardId, cardId)));
      return row
        ? { recipientName: row.recipientName, phone: row.phone, accessNotes: row.accessNotes, updatedBy: row.updatedBy, updatedAt: row.updatedAt }
        : { recipientName: '', phone: '', accessNotes: '', updatedBy: null, updatedAt: null };
    },
    async putPrivate(boardId, cardId, details, by, now, audit) {
      const { insert, set } = privateDetailsUpsert(boardId, cardId, details, by, now);
      // One upsert statement: concurrent writers of the same card serialize on its row, each
      // changing only the fields it was given.
      const saved = await db.transaction(async (tx) => {
        const [row] = await tx.insert(cardPrivate).values(insert).onConflictDoUpdate({ target: [cardPrivate.boardId, cardPrivate.cardId], set }).returning(privateFields);
        await insertAudit(tx, audit);
        return row!;
      });
      return { ...saved, updatedBy: by, updatedAt: now };
    },
    async createTracking(l, audit) {
      await db.transaction(async (tx) => {
        await tx.insert(trackingTokens).values({ ...l, revokedAt: null });
        await insertAudit(tx, audit);
      });
    },
    async listTracking(boardId, cardId) {
      return db
        .select(link)
        .from(trackingTokens)
        .where(and(eq(trackingTokens.boardId, boardId), eq(trackingTokens.cardId, cardId), isNull(trackingTokens.revokedAt)))
        .orderBy(asc(trackingTokens.createdAt));
    },
    async revokeTracking(boardId, cardId, id, now, audit) {
      return db.transaction(async (tx) => {
        const rows = await tx
          .update(trackingTokens)
          .set({ revokedAt: now })
          .where(and(eq(trackingTokens.id, id), eq(trackingTokens.boardId, boardId), eq(trackingTokens.cardId, cardId), isNull(trackingTokens.revokedAt)))
          .returning({ id: trackingTokens.id });
        if (rows.length !== 1) return false;
        await insertAudit(tx, audit);
        return true;
      });
    },
    async getTracking(tokenHash) {
      const [row] = await db.select(link).from(trackingTokens).where(and(eq(trackingTokens.tokenHash, tokenHash), isNull(trackingTokens.revokedAt)));
      return row ?? null;
    },
  };
}
