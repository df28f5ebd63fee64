/** Boards, members and invite management (coordinators). */
import { Hono } from 'hono';
import { createBoardBody, createInviteBody, idParam, updateMemberBody } from '@delivery-board/schema/validators';
import type { MemberListing } from '@delivery-board/schema/types';
import type { AppDeps } from '../app.ts';
import { isHttps, type AppEnv } from '../http/context.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { readJson, readNoBody, validate } from '../http/readJson.ts';
import { generateId, generateToken, hashToken } from '../auth/tokens.ts';
import { requireBoardRole, requireUser } from './requireUser.ts';

const HOUR = 3_600_000;
const COORDINATOR = ['coordinator'] as const;
const lastCoordinator = () => new ApiError(409, 'last_coordinator', 'A board needs at least one coordinator');

export function boardRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  app.post('/', async (c) => {
    const user = requireUser(c);
    const { name } = await readJson(c, createBoardBody);
    const board = { id: generateId(), name, createdBy: user.id, createdAt: deps.now() };
    await deps.boards.create(board, { boardId: board.id, cardId: null, actorId: user.id, actorName: user.name, action: 'board.created', data: { name }, at: board.createdAt });
    return c.json({ id: board.id, name: board.name, role: 'coordinator' }, 201);
  });

  app.get('/:boardId', async (c) => {
    const { boardId, role } = await requireBoardRole(c, deps.boards);
    const board = (await deps.boards.get(boardId))!;
    return c.json({ board: { id: board.id, name: board.name, createdAt: board.createdAt }, role });
  });

  app.get('/:boardId/members', async (c) => {
    const { boardId } = await requireBoardRole(c, deps.boards, COORDINATOR);
    // With what each holds: a member demoted or removed keeps their deliveries until someone
    // releases or reassigns them, and the page says so.
    const [members, held] = await Promise.all([deps.boards.listMembers(boardId), deps.bookings.heldCounts(boardId)]);
    const listing: MemberListing[] = members.map((m) => ({ ...m, holding: held[m.userId] ?? 0 }));
    return c.json({ members: listing });
  });

  app.patch('/:boardId/members/:userId', async (c) => {
    const { boardId, user } = await requireBoardRole(c, deps.boards, COORDINATOR);
    const userId = validate(idParam, c.req.param('userId'));
    const { role } = await readJson(c, updateMemberBody);
    const now = deps.now();
    const res = await deps.boards.setRole(boardId, userId, role, (member) => ({
      boardId,
      cardId: null,
      actorId: user.id,
      actorName: user.name,
      action: 'member.role_changed',
      data: { userId, name: member.name, role },
      at: now,
    }));
    if (!res.ok) throw res.reason === 'not_found' ? notFound('Member') : lastCoordinator();
    deps.logger.info({ boardId, userId, role, by: user.id }, 'member role changed');
    deps.onMembershipChange(boardId, userId, role);
    return c.json({ member: res.member });
  });

  app.delete('/:boardId/members/:userId', async (c) => {
    const { boardId, user } = await requireBoardRole(c, deps.boards, COORDINATOR);
    const userId = validate(idParam, c.req.param('userId'));
    await readNoBody(c);
    const res = await deps.boards.removeMember(boardId, userId, { boardId, cardId: null, actorId: user.id, actorName: user.name, action: 'member.removed', data: { userId }, at: deps.now() });
    if (!res.ok) throw res.reason === 'not_found' ? notFound('Member') : lastCoordinator();
    deps.logger.info({ boardId, userId, by: user.id }, 'member removed');
    deps.onMembershipChange(boardId, userId, null);
    return c.body(null, 204);
  });

  app.post('/:boardId/invites', async (c) => {
    const { boardId, user } = await requireBoardRole(c, deps.boards, COORDINATOR);
    const body = await readJson(c, createInviteBody);
    const token = generateToken();
    const now = deps.now();
    const invite = {
      id: generateId(),
      boardId,
      tokenHash: hashToken(token),
      role: body.role,
      createdBy: user.id,
      createdAt: now,
      expiresAt: now + (body.expiresInHours ?? 168) * HOUR,
      maxUses: body.maxUses ?? null,
    };
    await deps.boards.createInvite(invite, {
      boardId,
      cardId: null,
      actorId: user.id,
      actorName: user.name,
      action: 'invite.created',
      data: { inviteId: invite.id, role: invite.role, maxUses: invite.maxUses, expiresAt: invite.expiresAt },
      at: now,
    });
    const base = deps.config.publicUrl ?? `${isHttps(c, deps.config.trustProxy) ? 'https' : 'http'}://${new URL(c.req.url).host}`;
    return c.json(
      { id: invite.id, token, url: `${base}/invite/${token}`, role: invite.role, expiresAt: invite.expiresAt, maxUses: invite.maxUses },
      201,
    );
  });

  app.get('/:boardId/invites', async (c) => {
    const { boardId } = await requireBoardRole(c, deps.boards, COORDINATOR);
    return c.json({ invites: await deps.boards.listInvites(boardId, deps.now()) });
  });

  app.delete('/:boardId/invites/:inviteId', async (c) => {
    const { boardId, user } = await requireBoardRole(c, deps.boards, COORDINATOR);
    const inviteId = validate(idParam, c.req.param('inviteId'));
    await readNoBody(c);
    const now = deps.now();
    const audit = { boardId, cardId: null, actorId: user.id, actorName: user.name, action: 'invite.revoked', data: { inviteId }, at: now };
    if (!(await deps.boards.revokeInvite(boardId, inviteId, now, audit))) throw notFound('Invite');
    return c.body(null, 204);
  });

  return app;
}
