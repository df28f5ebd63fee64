/**
 * SQLite card store: private details and tracking links (never part of a Yjs document). Each change
 * writes its audit row in its own transaction, only when it happens.
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { cardPrivate, trackingTokens } from '@delivery-board/schema/sqlite';
import type { SqliteDb } from '../../db/sqlite.ts';
import type { CardStore } from '../types.ts';
import { privateDetailsUpsert } from '../privateDetails.ts';
import { insertAudit } from './bookingStore.ts';

export function createSqliteCardStore(db: SqliteDb): CardStore {
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
      const row = db.select().from(cardPrivate).where(and(eq(cardPrivate.boardId, boardId), eq(cardPrivate.cardId, cardId))).get();
      return row
        ? { recipientName: row.recipientName, phone: row.phone, accessNotes: row.accessNotes, updatedBy: row.updatedBy, updatedAt: row.updatedAt }
        : { recipientName: '', phone: '', accessNotes: '', updatedBy: null, updatedAt: null };
    },
    async putPrivate(boardId, cardId, details, by, now, audit) {
      const { insert, set } = privateDetailsUpsert(boardId, cardId, details, by, now);
      const saved = db.transaction((tx) => {
        const row = tx.insert(cardPrivate).values(insert).onConflictDoUpdate({ target: [cardPrivate.boardId, cardPrivate.cardId], set }).returning(privateFields).get();
        insertAudit(tx, audit);
        return row;
      });
      return { ...saved, updatedBy: by, updatedAt: now };
    },
    async createTracking(l, audit) {
      db.transaction((tx) => {
        tx.insert(trackingTokens).values({ ...l, revokedAt: null }).run();
        insertAudit(tx, audit);
      });
    },
    async listTracking(boardId, cardId) {
      return db
        .select(link)
        .from(trackingTokens)
        .where(and(eq(trackingTokens.boardId, boardId), eq(trackingTokens.cardId, cardId), isNull(trackingTokens.revokedAt)))
        .orderBy(asc(trackingTokens.createdAt))
        .all();
    },
    async revokeTracking(boardId, cardId, id, now, audit) {
      return db.transaction((tx) => {
        const res = tx
          .update(trackingTokens)
          .set({ revokedAt: now })
          .where(and(eq(trackingTokens.id, id), eq(trackingTokens.boardId, boardId), eq(trackingTokens.cardId, cardId), isNull(trackingTokens.revokedAt)))
          .run();
        if (res.changes !== 1) return false;
        insertAudit(tx, audit);
        return true;
      });
    },
    async getTracking(tokenHash) {
      return db.select(link).from(trackingTokens).where(and(eq(trackingTokens.tokenHash, tokenHash), isNull(trackingTokens.revokedAt))).get() ?? null;
    },
  };
}
