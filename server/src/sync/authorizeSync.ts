/** Decides who may open a sync socket, and with which rights: session cookie, Origin, membership. */
import { CloseCode } from '@delivery-board/schema/types';
import { idParam } from '@delivery-board/schema/validators';
import { parse as parseCookie } from 'hono/utils/cookie';
import type { Sessions } from '../auth/sessions.ts';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import { isOriginAllowed } from '../http/origin.ts';
import type { BoardStore } from '../stores/types.ts';
import { connectionRights, docNameOf, type ConnectionInfo, type DocKind } from './types.ts';

export interface UpgradeRequest {
  boardId: string;
  kind: DocKind;
  cookie?: string;
  origin?: string;
  host?: string;
}

export type SyncAuthorization = { ok: true; info: ConnectionInfo } | { ok: false; code: number; reason: string };

export type AuthorizeSync = (req: UpgradeRequest) => Promise<SyncAuthorization>;

export function createSyncAuthorizer(deps: { sessions: Sessions; boards: BoardStore; allowedOrigins: readonly string[] }): AuthorizeSync {
  return async (req) => {
    if (!isOriginAllowed(req.origin, req.host, deps.allowedOrigins)) {
      return { ok: false, code: CloseCode.forbidden, reason: 'origin not allowed' };
    }
    const token = req.cookie ? parseCookie(req.cookie, SESSION_COOKIE)[SESSION_COOKIE] : undefined;
    const session = token ? await deps.sessions.validate(token) : null;
    if (!session) return { ok: false, code: CloseCode.noSession, reason: 'no session' };
    if (!idParam.safeParse(req.boardId).success) return { ok: false, code: CloseCode.unknownBoard, reason: 'unknown board' };
    const role = await deps.boards.getRole(req.boardId, session.user.id);
    if (!role) {
      const exists = await deps.boards.get(req.boardId);
      return exists
        ? { ok: false, code: CloseCode.forbidden, reason: 'not a member' }
        : { ok: false, code: CloseCode.unknownBoard, reason: 'unknown board' };
    }
    return {
      ok: true,
      info: {
        docName: docNameOf(req.boardId, req.kind),
        kind: req.kind,
        boardId: req.boardId,
        userId: session.user.id,
        userName: session.user.name,
        role,
        sessionId: session.sessionId,
        sessionExpiresAt: session.expiresAt,
        ...connectionRights(req.kind, role),
      },
    };
  };
}
