/** SQLite card store: private details and tracking links (never part of a Yjs document). */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { cardPrivate, trackingTokens } from '@delivery-board/schema/sqlite';
import type { SqliteDb } from '../../db/sqlite.ts';
import type { CardStore } from '../types.ts';

export function createSqliteCardStore(db: SqliteDb): CardStore {
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
      const row = db.select().from(cardPrivate).where(and(eq(cardPrivate.boardId, boardId), eq(cardPrivate.cardId, cardId))).get();
      return row
        ? { recipientName: row.recipientName, phone: row.phone, accessNotes: row.accessNotes, updatedBy: row.updatedBy, updatedAt: row.updatedAt }
        : { recipientName: '', phone: '', accessNotes: '', updatedBy: null, updatedAt: null };
    },
    async putPrivate(boardId, cardId, details, by, now) {
      const row = { boardId, cardId, ...details, updatedBy: by, updatedAt: now };
      db.insert(cardPrivate).values(row).onConflictDoUpdate({ target: [cardPrivate.boardId, cardPrivate.cardId], set: row }).run();
      return { ...details, updatedBy: by, updatedAt: now };
    },
    async createTracking(l) {
      db.insert(trackingTokens).values({ ...l, revokedAt: null }).run();
    },
    async listTracking(boardId, cardId) {
      return db
        .select(link)
        .from(trackingTokens)
        .where(and(eq(trackingTokens.boardId, boardId), eq(trackingTokens.cardId, cardId), isNull(trackingTokens.revokedAt)))
        .orderBy(asc(trackingTokens.createdAt))
        .all();
    },
    async revokeTracking(boardId, cardId, id, now) {
      const res = db
        .update(trackingTokens)
        .set({ revokedAt: now })
        .where(and(eq(trackingTokens.id, id), eq(trackingTokens.boardId, boardId), eq(trackingTokens.cardId, cardId), isNull(trackingTokens.revokedAt)))
        .run();
      return res.changes === 1;
    },
    async getTracking(tokenHash) {
      return db.select(link).from(trackingTokens).where(and(eq(trackingTokens.tokenHash, tokenHash), isNull(trackingTokens.revokedAt))).get() ?? null;
    },
  };
}
