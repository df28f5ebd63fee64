/** Reads a board's whole audit trail as the coordinator, through GET /api/boards/:id/audit (paginated). */
import type { Agent } from 'node:http';
import { httpJson } from './http.ts';

export interface AuditEntry {
  id: number;
  cardId: string | null;
  actorId: string | null;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  data: { intentId?: string; version?: number; driverId?: string | null } | null;
}

export async function readAudit(agent: Agent, baseUrl: string, cookie: string, boardId: string, deadlineMs = 60_000): Promise<AuditEntry[]> {
  const all: AuditEntry[] = [];
  const until = Date.now() + deadlineMs;
  let before: number | null = null;
  do {
    if (Date.now() > until) throw new Error('reading the audit trail took too long');
    const q: string = `?limit=500${before ? `&before=${before}` : ''}`;
    const res = await httpJson(agent, baseUrl, 'GET', `/api/boards/${boardId}/audit${q}`, { cookie });
    if (res.status !== 200) throw new Error(`audit read failed: ${res.status} ${JSON.stringify(res.body)}`);
    all.push(...(res.body.entries as AuditEntry[]));
    before = res.body.nextBefore;
  } while (before);
  return all;
}
