/**
 * Postgres booking store. Competing transitions for one card may arrive at different replicas,
 * i.e. on different connections, so "read, decide, write" must hold a lock, not rely on one writer:
 *
 * 1. `insert ... on conflict do nothing` the card's default row (open, version 0), so there is
 *    always a row to lock. A concurrent insert of the same key waits for the first to commit.
 * 2. `select ... for update` that row: competing transactions queue here, and each one reads the
 *    booking as the previous one committed it (READ COMMITTED re-reads the locked row).
 * 3. decide; conditional update on (status, version) as a belt-and-braces check; audit row;
 *    intent row; commit.
 *
 * Exactly one of N concurrent claims wins: the first through the lock; the others see `claimed`.
 *
 * The same intent sent twice at once (two replicas, an offline queue flushing while a retry is in
 * flight) passes the replay check twice; the second then fails on the intent's primary key. That
 * rolls back everything it did, and it answers with the stored outcome of the first instead.
 *
 * Version-0 rows read exactly like no row (openBooking) and are left out of `list`.
 */
import { and, asc, count, desc, eq, gt, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import { auditLog, bookingIntents, bookings } from '@delivery-board/schema/pg';
import { decide, HELD_STATUSES, openBooking, type Booking } from '@delivery-board/schema/bookings';
import { isUniqueViolation, type PgDb, type PgTx } from '../../db/pg.ts';
import { auditValues, transitionAudit } from '../auditValues.ts';
import type { AuditEntry, BookingStore, TransitionOutcome, TransitionRequest } from '../types.ts';

type Row = typeof bookings.$inferSelect;
const toBooking = (r: Row): Booking => ({ cardId: r.cardId, status: r.status, driverId: r.driverId, driverName: r.driverName, byId: r.byId, at: r.at, version: r.version });

const INTENT_PK = 'booking_intents_user_id_intent_id_pk';

/** Appends one audit row on `tx`, the caller's transaction: how the other stores write theirs. */
export async function insertAudit(tx: PgTx, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values(auditValues(entry));
}

export function createPgBookingStore(db: PgDb): BookingStore {
  const p = sql.placeholder;
  // Read paths outside transactions, prepared once. (Statements inside a transaction must be built
  // on its `tx`, which runs them on the transaction's connection.)
  const q = {
    booking: db.select().from(bookings).where(and(eq(bookings.boardId, p('boardId')), eq(bookings.cardId, p('cardId')))).prepare('booking_get'),
    intent: db
      .select()
      .from(bookingIntents)
      .where(and(eq(bookingIntents.userId, p('userId')), eq(bookingIntents.intentId, p('intentId'))))
      .prepare('booking_intent'),
    author: db
      .select({ actorId: auditLog.actorId })
      .from(auditLog)
      .where(and(eq(auditLog.boardId, p('boardId')), eq(auditLog.cardId, p('cardId')), eq(auditLog.action, 'card.created')))
      .orderBy(asc(auditLog.id))
      .limit(1)
      .prepare('card_author'),
  };

  /** The stored answer to an intent, or `intent_reused` if it was for something else. */
  const replay = async (userId: string, intentId: string, req: { boardId: string; cardId: string; action: string }): Promise<TransitionOutcome | null> => {
    const [seen] = await q.intent.execute({ userId, intentId });
    if (!seen) return null;
    if (seen.boardId !== req.boardId || seen.cardId !== req.cardId || seen.action !== req.action) {
      return { httpStatus: 400, body: { error: { code: 'intent_reused', message: 'This intentId was already used for another request' } }, replayed: true };
    }
    return { httpStatus: seen.status as TransitionOutcome['httpStatus'], body: JSON.parse(seen.response), replayed: true };
  };

  /**
   * Steps 1-3 of the header, in one transaction. Built per call on `tx`, but as named statements
   * (one fixed text per name): each pooled connection parses and plans them once. This doubled
   * the claims benchmark on Postgres.
   */
  const decideAndApply = (req: TransitionRequest) =>
    db.transaction(async (tx): Promise<TransitionOutcome> => {
      const key = and(eq(bookings.boardId, req.boardId), eq(bookings.cardId, req.cardId));
      const open = openBooking(req.cardId);
      await tx
        .insert(bookings)
        .values({ boardId: req.boardId, cardId: req.cardId, status: open.status, driverId: null, driverName: null, byId: null, version: 0, at: open.at })
        .onConflictDoNothing()
        .prepare('booking_default')
        .execute();
      const [locked] = await tx.select().from(bookings).where(key).for('update').prepare('booking_lock').execute();
      const before = toBooking(locked!);

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
        const updated = await tx
          .update(bookings)
          .set({ status: after.status, driverId: after.driverId, driverName: after.driverName, byId: after.byId, version: after.version, at: after.at })
          .where(and(key, eq(bookings.status, before.status), eq(bookings.version, before.version)))
          .returning({ version: bookings.version })
          .prepare('booking_update')
          .execute();
        if (updated.length !== 1) throw new Error('booking changed while locked'); // cannot happen under the row lock
        await tx.insert(auditLog).values(transitionAudit(req, before, after)).prepare('booking_audit').execute();
        outcome = { httpStatus: 200, body: { booking: after }, changed: after, replayed: false };
      } else {
        outcome =
          decision.kind === 'forbidden'
            ? { httpStatus: 403, body: { error: { code: 'forbidden', message: decision.message } }, replayed: false }
            : { httpStatus: 409, body: { error: { code: decision.code ?? 'conflict', message: decision.message }, booking: before }, replayed: false };
      }
      const intent = {
        userId: req.actor.userId,
        intentId: req.intentId,
        boardId: req.boardId,
        cardId: req.cardId,
        action: req.action,
        status: outcome.httpStatus,
        response: JSON.stringify(outcome.body),
        createdAt: req.now,
      };
      await tx.insert(bookingIntents).values(intent).prepare('booking_intent_insert').execute();
      return outcome;
    });

  return {
    async get(boardId, cardId) {
      const [row] = await q.booking.execute({ boardId, cardId });
      return row ? toBooking(row) : openBooking(cardId);
    },

    async list(boardId) {
      const rows = await db
        .select()
        .from(bookings)
        .where(and(eq(bookings.boardId, boardId), gt(bookings.version, 0)));
      return rows.map(toBooking);
    },

    async heldCounts(boardId) {
      const rows = await db
        .select({ driverId: bookings.driverId, n: count() })
        .from(bookings)
        .where(and(eq(bookings.boardId, boardId), inArray(bookings.status, [...HELD_STATUSES]), isNotNull(bookings.driverId)))
        .groupBy(bookings.driverId);
      return Object.fromEntries(rows.map((r) => [r.driverId!, Number(r.n)]));
    },

    async transition(req) {
      const seen = await replay(req.actor.userId, req.intentId, req);
      if (seen) return seen;
      try {
        return await decideAndApply(req);
      } catch (err) {
        // The same intent committed by another connection meanwhile: answer as its replay.
        if (isUniqueViolation(err, INTENT_PK)) {
          const original = await replay(req.actor.userId, req.intentId, req);
          if (original) return original;
        }
        throw err;
      }
    },

    async findIntent(userId, intentId, request) {
      return replay(userId, intentId, request);
    },

    async cardAuthor(boardId, cardId) {
      const [row] = await q.author.execute({ boardId, cardId });
      return row?.actorId ?? null;
    },

    async audit(entries) {
      if (entries.length === 0) return;
      await db.insert(auditLog).values(entries.map(auditValues));
    },

    async listAudit(boardId, query) {
      const conds = [eq(auditLog.boardId, boardId)];
      if (query.cardId) conds.push(eq(auditLog.cardId, query.cardId));
      if (query.before) conds.push(lt(auditLog.id, query.before));
      const rows = await db
        .select()
        .from(auditLog)
        .where(and(...conds))
        .orderBy(desc(auditLog.id))
        .limit(query.limit);
      return rows.map((r) => ({ ...r, data: r.data ? JSON.parse(r.data) : null }));
    },
  };
}
