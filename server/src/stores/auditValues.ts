/**
 * An AuditEntry as `audit_log` values. Both dialects declare the table alike (data as JSON text),
 * so the SQLite and Postgres stores share this mapping, and the entry a booking transition writes.
 */
import type { Booking } from '@delivery-board/schema/bookings';
import type { AuditEntry, TransitionRequest } from './types.ts';

export function auditValues(e: AuditEntry) {
  return {
    boardId: e.boardId,
    cardId: e.cardId,
    actorId: e.actorId,
    actorName: e.actorName,
    action: e.action,
    fromStatus: e.fromStatus ?? null,
    toStatus: e.toStatus ?? null,
    note: e.note ?? null,
    data: e.data ? JSON.stringify(e.data) : null,
    at: e.at,
  };
}

/** The audit entry of a transition that changed `before` into `after`, as both stores write it. */
export function transitionAudit(req: TransitionRequest, before: Booking, after: Booking) {
  return auditValues({
    boardId: req.boardId,
    cardId: req.cardId,
    actorId: req.actor.userId,
    actorName: req.actor.name,
    action: `booking.${req.action}`,
    fromStatus: before.status,
    toStatus: after.status,
    note: req.note,
    data: { intentId: req.intentId, version: after.version, driverId: after.driverId, driverName: after.driverName },
    at: req.now,
  });
}
