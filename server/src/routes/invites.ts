/** Following an invite link: preview it (anyone holding it) and accept it (signed in). */
import { Hono } from 'hono';
import { tokenParam } from '@delivery-board/schema/validators';
import type { AppDeps } from '../app.ts';
import type { AppEnv } from '../http/context.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { readNoBody, validate } from '../http/readJson.ts';
import { hashToken } from '../auth/tokens.ts';
import { requireUser } from './requireUser.ts';

const gone = {
  expired: () => new ApiError(410, 'invite_expired', 'This invite link has expired'),
  used_up: () => new ApiError(410, 'invite_used_up', 'This invite link has been used up'),
  revoked: () => new ApiError(410, 'invite_revoked', 'This invite link was revoked'),
  not_found: () => notFound('Invite'),
};

export function inviteRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  app.get('/:token', async (c) => {
    const token = validate(tokenParam, c.req.param('token'));
    const invite = await deps.boards.getInviteByTokenHash(hashToken(token));
    if (!invite) throw gone.not_found();
    if (invite.revokedAt !== null) throw gone.revoked();
    if (invite.expiresAt <= deps.now()) throw gone.expired();
    if (invite.maxUses !== null && invite.uses >= invite.maxUses) throw gone.used_up();
    const board = await deps.boards.get(invite.boardId);
    if (!board) throw gone.not_found();
    // A signed-in member learns their own role there: the page then says whether joining changes it.
    const user = c.get('user');
    const memberRole = user ? await deps.boards.getRole(invite.boardId, user.id) : null;
    return c.json({ boardName: board.name, role: invite.role, expiresAt: invite.expiresAt, memberRole });
  });

  app.post('/:token/accept', async (c) => {
    const user = requireUser(c);
    const token = validate(tokenParam, c.req.param('token'));
    await readNoBody(c);
    const now = deps.now();
    const res = await deps.boards.acceptInvite(hashToken(token), user.id, now, ({ boardId, role }) => ({
      boardId,
      cardId: null,
      actorId: user.id,
      actorName: user.name,
      action: 'invite.used',
      data: { role },
      at: now,
    }));
    if (!res.ok) throw gone[res.reason]();
    if (res.changed) {
      deps.logger.info({ boardId: res.boardId, userId: user.id, role: res.role }, 'invite accepted');
      deps.onMembershipChange(res.boardId, user.id, res.role);
    }
    return c.json({ boardId: res.boardId, role: res.role });
  });

  return app;
}
