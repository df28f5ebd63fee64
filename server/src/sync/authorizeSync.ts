/** Decides who may open a sync socket, and with which rights: session cookie, Origin, membership. */
import { CloseCode, WRITER_ROLES } from '@delivery-board/schema/types';
import { idParam } from '@delivery-board/schema/validators';
import { parse as parseCookie } from 'hono/utils/cookie';
import type { Sessions } from '../auth/sessions.ts';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import { isOriginAllowed } from '../http/origin.ts';
import type { BoardStore } from '../stores/types.ts';
import type { ConnectionInfo } from './types.ts';

export interface UpgradeRequest {
  boardId: string;
  /** 'board' for /sync/:boardId; later documents (bookings) add kinds. */
  kind: 'board';
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
      info: { docName: req.boardId, boardId: req.boardId, userId: session.user.id, userName: session.user.name, canWrite: WRITER_ROLES.includes(role) },
    };
  };
}
