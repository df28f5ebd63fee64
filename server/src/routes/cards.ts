/**
 * Per-card endpoints: booking transitions, the card's timeline, private details and tracking links.
 * Who may do what is decided here (roles) and in the booking state machine (transitions).
 */
import { Hono, type Context } from 'hono';
import type { Role } from '@delivery-board/schema/types';
import { holds, type Booking } from '@delivery-board/schema/bookings';
import { idParam, privateDetailsBody, transitionBody } from '@delivery-board/schema/validators';
import type { AppDeps } from '../app.ts';
import type { Metrics } from '../http/metrics.ts';
import { isHttps, type AppEnv } from '../http/context.ts';
import { forbidden, notFound } from '../http/errors.ts';
import { readJson, readNoBody, validate } from '../http/readJson.ts';
import { generateId, generateToken, hashToken } from '../auth/tokens.ts';
import { requireBoardRole } from './requireUser.ts';

export function cardRoutes(deps: AppDeps, metrics: Metrics) {
  const app = new Hono<AppEnv>();

  /** Caller's role + the card (404 when it is not on the board). */
  const cardAccess = async (c: Context<AppEnv>, allowed?: readonly Role[]) => {
    const access = await requireBoardRole(c, deps.boards, allowed);
    const cardId = validate(idParam, c.req.param('cardId'));
    const card = await deps.bookingService.card(access.boardId, cardId);
    if (!card) throw notFound('Card');
    // "The card's requester" is who the server saw create it, not the editable createdBy field.
    const isAuthor = (await deps.bookings.cardAuthor(access.boardId, cardId)) === access.user.id;
    return { ...access, cardId, card, isAuthor };
  };

  app.post('/:cardId/transitions', async (c) => {
    const { boardId, user, role } = await requireBoardRole(c, deps.boards);
    const cardId = validate(idParam, c.req.param('cardId'));
    const body = await readJson(c, transitionBody);
    const result = await deps.bookingService.transition({
      boardId,
      cardId,
      action: body.action,
      intentId: body.intentId,
      actor: { userId: user.id, name: user.name, role },
      note: body.note ?? null,
      driverId: body.driverId,
    });
    metrics.transitions.inc({ action: body.action, status: String(result.httpStatus) });
    if (result.httpStatus === 200 && !result.replayed) {
      deps.logger.info({ boardId, cardId, action: body.action, userId: user.id }, 'booking transition');
    }
    return c.json(result.body, result.httpStatus);
  });

  app.get('/:cardId/timeline', async (c) => {
    const { boardId } = await requireBoardRole(c, deps.boards);
    const cardId = validate(idParam, c.req.param('cardId'));
    const rows = await deps.bookings.listAudit(boardId, { cardId, limit: 200 });
    return c.json({
      timeline: rows.map((r) => ({
        id: r.id,
        action: r.action,
        fromStatus: r.fromStatus,
        toStatus: r.toStatus,
        actorName: r.actorName,
        driverName: typeof r.data?.driverName === 'string' ? r.data.driverName : null,
        note: r.note,
        at: r.at,
      })),
    });
  });

  app.get('/:cardId/private', async (c) => {
    const { boardId, cardId, isAuthor, user, role } = await cardAccess(c);
    const booking = await deps.bookings.get(boardId, cardId);
    const mayRead = role === 'coordinator' || (role === 'requester' && isAuthor) || (role === 'driver' && holds(booking, user.id));
    if (!mayRead) throw forbidden('Only coordinators, the card’s requester and the driver holding it can see these details');
    return c.json({ details: await deps.cards.getPrivate(boardId, cardId) });
  });

  app.put('/:cardId/private', async (c) => {
    const { boardId, cardId, isAuthor, user, role } = await cardAccess(c);
    if (!(role === 'coordinator' || (role === 'requester' && isAuthor))) {
      throw forbidden('Only coordinators and the card’s requester can change these details');
    }
    const body = await readJson(c, privateDetailsBody);
    const now = deps.now();
    const details = await deps.cards.putPrivate(boardId, cardId, body, user.id, now, { boardId, cardId, actorId: user.id, actorName: user.name, action: 'card.private_updated', at: now });
    return c.json({ details });
  });

  const mayTrack = (role: Role, isAuthor: boolean) => role === 'coordinator' || (role === 'requester' && isAuthor);

  app.post('/:cardId/tracking', async (c) => {
    const { boardId, cardId, isAuthor, user, role } = await cardAccess(c);
    if (!mayTrack(role, isAuthor)) throw forbidden('Only coordinators and the card’s requester can share tracking links');
    await readNoBody(c);
    const token = generateToken();
    const link = { id: generateId(), boardId, cardId, createdBy: user.id, createdAt: deps.now(), tokenHash: hashToken(token) };
    await deps.cards.createTracking(link, { boardId, cardId, actorId: user.id, actorName: user.name, action: 'tracking.created', data: { linkId: link.id }, at: link.createdAt });
    const base = deps.config.publicUrl ?? `${isHttps(c, deps.config.trustProxy) ? 'https' : 'http'}://${new URL(c.req.url).host}`;
    return c.json({ id: link.id, token, url: `${base}/track/${token}`, createdAt: link.createdAt }, 201);
  });

  app.get('/:cardId/tracking', async (c) => {
    const { boardId, cardId, isAuthor, role } = await cardAccess(c);
    if (!mayTrack(role, isAuthor)) throw forbidden();
    const links = await deps.cards.listTracking(boardId, cardId);
    return c.json({ links: links.map((l) => ({ id: l.id, createdAt: l.createdAt })) });
  });

  app.delete('/:cardId/tracking/:linkId', async (c) => {
    const { boardId, cardId, isAuthor, user, role } = await cardAccess(c);
    if (!mayTrack(role, isAuthor)) throw forbidden();
    const linkId = validate(idParam, c.req.param('linkId'));
    await readNoBody(c);
    const now = deps.now();
    const audit = { boardId, cardId, actorId: user.id, actorName: user.name, action: 'tracking.revoked', data: { linkId }, at: now };
    if (!(await deps.cards.revokeTracking(boardId, cardId, linkId, now, audit))) throw notFound('Tracking link');
    return c.body(null, 204);
  });

  return app;
}
