/**
 * SQLite booking store. A transition is one better-sqlite3 transaction (synchronous, so nothing
 * else runs in between in this process), and the update is still conditional on (status, version)
 * so the rule holds for any writer of the file.
 */
import { and, asc, count, desc, eq, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import { auditLog, bookingIntents, bookings } from '@delivery-board/schema/sqlite';
import { decide, HELD_STATUSES, openBooking, type Booking } from '@delivery-board/schema/bookings';
import type { SqliteDb } from '../../db/sqlite.ts';
import { auditValues, transitionAudit } from '../auditValues.ts';
import type { AuditEntry, BookingStore, TransitionOutcome } from '../types.ts';

type Row = typeof bookings.$inferSelect;
const toBooking = (r: Row): Booking => ({ cardId: r.cardId, status: r.status, driverId: r.driverId, driverName: r.driverName, byId: r.byId, at: r.at, version: r.version });

/** Appends one audit row on `tx`, the caller's transaction: how the other stores write theirs. */
export function insertAudit(tx: SqliteDb, entry: AuditEntry): void {
  tx.insert(auditLog).values(auditValues(entry)).run();
}

export function createSqliteBookingStore(db: SqliteDb): BookingStore {
  // The claim path's queries, prepared once. Inside db.transaction they run on the same connection,
  // so they are part of the transaction.
  const p = sql.placeholder;
  const q = {
    booking: db.select().from(bookings).where(and(eq(bookings.boardId, p('boardId')), eq(bookings.cardId, p('cardId')))).prepare(),
    intent: db.select().from(bookingIntents).where(and(eq(bookingIntents.userId, p('userId')), eq(bookingIntents.intentId, p('intentId')))).prepare(),
    author: db
      .select({ actorId: auditLog.actorId })
      .from(auditLog)
      .where(and(eq(auditLog.boardId, p('boardId')), eq(auditLog.cardId, p('cardId')), eq(auditLog.action, 'card.created')))
      .orderBy(asc(auditLog.id))
      .limit(1)
      .prepare(),
    insertBooking: db
      .insert(bookings)
      .values({ boardId: p('boardId'), cardId: p('cardId'), status: p('status'), driverId: p('driverId'), driverName: p('driverName'), byId: p('byId'), version: p('version'), at: p('at') })
      .onConflictDoNothing()
      .prepare(),
    updateBooking: db
      .update(bookings)
      .set({ status: sql`${p('status')}`, driverId: sql`${p('driverId')}`, driverName: sql`${p('driverName')}`, byId: sql`${p('byId')}`, version: sql`${p('version')}`, at: sql`${p('at')}` })
      .where(
        and(eq(bookings.boardId, p('boardId')), eq(bookings.cardId, p('cardId')), eq(bookings.status, p('fromStatus')), eq(bookings.version, p('fromVersion'))),
      )
      .prepare(),
    insertAudit: db
      .insert(auditLog)
      .values({
        boardId: p('boardId'),
        cardId: p('cardId'),
        actorId: p('actorId'),
        actorName: p('actorName'),
        action: p('action'),
        fromStatus: p('fromStatus'),
        toStatus: p('toStatus'),
        note: p('note'),
        data: p('data'),
        at: p('at'),
      })
      .prepare(),
    insertIntent: db
      .insert(bookingIntents)
      .values({
        userId: p('userId'),
        intentId: p('intentId'),
        boardId: p('boardId'),
        cardId: p('cardId'),
        action: p('action'),
        status: p('status'),
        response: p('response'),
        createdAt: p('createdAt'),
      })
      .prepare(),
  };

  const current = (boardId: string, cardId: string) => {
    const row = q.booking.get({ boardId, cardId });
    return row ? toBooking(row) : openBooking(cardId);
  };

  /** The stored answer to an intent, or `intent_reused` if it was for something else. */
  const replay = (userId: string, intentId: string, req: { boardId: string; cardId: string; action: string }): TransitionOutcome | null => {
    const seen = q.intent.get({ userId, intentId });
    if (!seen) return null;
    if (seen.boardId !== req.boardId || seen.cardId !== req.cardId || seen.action !== req.action) {
      return { httpStatus: 400, body: { error: { code: 'intent_reused', message: 'This intentId was already used for another request' } }, replayed: true };
    }
    return { httpStatus: seen.status as TransitionOutcome['httpStatus'], body: JSON.parse(seen.response), replayed: true };
  };

  return {
    async get(boardId, cardId) {
      return current(boardId, cardId);
    },

    async list(boardId) {
      return db.select().from(bookings).where(eq(bookings.boardId, boardId)).all().map(toBooking);
    },

    async heldCounts(boardId) {
      const rows = db
        .select({ driverId: bookings.driverId, n: count() })
        .from(bookings)
        .where(and(eq(bookings.boardId, boardId), inArray(bookings.status, [...HELD_STATUSES]), isNotNull(bookings.driverId)))
        .groupBy(bookings.driverId)
        .all();
      return Object.fromEntries(rows.map((r) => [r.driverId!, r.n]));
    },

    async transition(req) {
      return db.transaction((): TransitionOutcome => {
        const seen = replay(req.actor.userId, req.intentId, req);
        if (seen) return seen;

        const before = current(req.boardId, req.cardId);
        const decision = decide(before, req.action, req.actor, { cardCreatedBy: req.cardCreatedBy, assignee: req.assignee, cardTitled: req.cardTitled });
        let outcome: TransitionOutcome;
        if (decision.ok) {
          const after: Booking = {
            cardId: req.cardId,
            status: decision.status,
            driverId: decision.driverId,
            driverName: decision.driverName,
            byId: req.actor.userId,
            at: req.now,
            version: before.version + 1,
          };
          const values = { boardId: req.boardId, ...after };
          const res =
            before.version === 0
              ? q.insertBooking.run(values)
              : q.updateBooking.run({ ...values, fromStatus: before.status, fromVersion: before.version });
          if (res.changes !== 1) throw new Error('booking changed during its own transaction'); // cannot happen in one SQLite writer
          q.insertAudit.run(transitionAudit(req, before, after));
          outcome = { httpStatus: 200, body: { booking: after }, changed: after, replayed: false };
        } else {
          outcome =
            decision.kind === 'forbidden'
              ? { httpStatus: 403, body: { error: { code: 'forbidden', message: decision.message } }, replayed: false }
              : { httpStatus: 409, body: { error: { code: decision.code ?? 'conflict', message: decision.message }, booking: before }, replayed: false };
        }
        q.insertIntent.run({
          userId: req.actor.userId,
          intentId: req.intentId,
          boardId: req.boardId,
          cardId: req.cardId,
          action: req.action,
          status: outcome.httpStatus,
          response: JSON.stringify(outcome.body),
          createdAt: req.now,
        });
        return outcome;
      });
    },

    async findIntent(userId, intentId, request) {
      return replay(userId, intentId, request);
    },

    async cardAuthor(boardId, cardId) {
      return q.author.get({ boardId, cardId })?.actorId ?? null;
    },

    async audit(entries) {
      if (entries.length === 0) return;
      db.insert(auditLog).values(entries.map(auditValues)).run();
    },

    async listAudit(boardId, query) {
      const conds = [eq(auditLog.boardId, boardId)];
      if (query.cardId) conds.push(eq(auditLog.cardId, query.cardId));
      if (query.before) conds.push(lt(auditLog.id, query.before));
      return db
        .select()
        .from(auditLog)
        .where(and(...conds))
        .orderBy(desc(auditLog.id))
        .limit(query.limit)
        .all()
        .map((r) => ({ ...r, data: r.data ? JSON.parse(r.data) : null }));
    },
  };
}
