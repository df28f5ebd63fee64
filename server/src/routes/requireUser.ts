/** Access guards used by the routes: signed in, and member of a board with one of some roles. */
import type { Context } from 'hono';
import type { Role } from '@delivery-board/schema/types';
import { idParam } from '@delivery-board/schema/validators';
import type { AppEnv } from '../http/context.ts';
import { forbidden, notFound, unauthenticated } from '../http/errors.ts';
import { validate } from '../http/readJson.ts';
import type { BoardStore, UserRecord } from '../stores/types.ts';

export function requireUser(c: Context<AppEnv>): UserRecord {
  const user = c.get('user');
  if (!user) throw unauthenticated();
  return user;
}

/**
 * The caller's role on `:boardId`: 401 without a session, 404 for an unknown board, 403 for a
 * non-member or a role outside `allowed` (omit `allowed` for "any member").
 */
export async function requireBoardRole(
  c: Context<AppEnv>,
  boards: BoardStore,
  allowed?: readonly Role[],
): Promise<{ user: UserRecord; boardId: string; role: Role }> {
  const user = requireUser(c);
  const boardId = validate(idParam, c.req.param('boardId'));
  const role = await boards.getRole(boardId, user.id);
  if (!role) {
    if (!(await boards.get(boardId))) throw notFound('Board');
    throw forbidden('You are not a member of this board');
  }
  if (allowed && !allowed.includes(role)) throw forbidden();
  return { user, boardId, role };
}
