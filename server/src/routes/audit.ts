/** The audit trail for coordinators: newest first, filter by card, id cursor, JSON or CSV export. */
import { Hono } from 'hono';
import { auditQuery } from '@delivery-board/schema/validators';
import type { AppDeps } from '../app.ts';
import type { AppEnv } from '../http/context.ts';
import { validate } from '../http/readJson.ts';
import type { AuditRow } from '../stores/types.ts';
import { requireBoardRole } from './requireUser.ts';

const COLUMNS = ['id', 'at', 'cardId', 'actorId', 'actorName', 'action', 'fromStatus', 'toStatus', 'note', 'data'] as const;

/** One CSV cell: quoted, and defused against spreadsheet formula injection. */
function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

export function toCsv(rows: AuditRow[]): string {
  const lines = [COLUMNS.join(',')];
  for (const r of rows) lines.push(COLUMNS.map((k) => csvCell(k === 'at' ? new Date(r.at).toISOString() : r[k])).join(','));
  return lines.join('\r\n') + '\r\n';
}

export function auditRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const { boardId } = await requireBoardRole(c, deps.boards, ['coordinator']);
    const q = validate(auditQuery, c.req.query());
    const rows = await deps.bookings.listAudit(boardId, { cardId: q.cardId, before: q.before, limit: q.limit });
    const nextBefore = rows.length === q.limit ? rows[rows.length - 1]!.id : null;
    if (q.format === 'csv') {
      c.header('Content-Disposition', `attachment; filename="audit-${boardId}.csv"`);
      if (nextBefore) c.header('X-Next-Before', String(nextBefore));
      return c.body(toCsv(rows), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
    }
    return c.json({ entries: rows, nextBefore });
  });
  return app;
}
