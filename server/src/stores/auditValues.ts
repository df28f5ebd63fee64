/**
 * An AuditEntry as `audit_log` values. Both dialects declare the table alike (data as JSON text),
 * so the SQLite and Postgres stores share this mapping.
 */
import type { AuditEntry } from './types.ts';

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
