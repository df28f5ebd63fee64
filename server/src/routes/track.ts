/** Public tracking: status and timeline of one card for whoever holds the link; nothing private. */
import { Hono } from 'hono';
import { tokenParam } from '@delivery-board/schema/validators';
import type { AppDeps } from '../app.ts';
import type { AppEnv } from '../http/context.ts';
import { notFound } from '../http/errors.ts';
import { validate } from '../http/readJson.ts';
import { hashToken } from '../auth/tokens.ts';

const firstName = (name: unknown) => (typeof name === 'string' && name.trim() ? name.trim().split(/\s+/)[0]! : null);

export function trackRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/:token', async (c) => {
    const token = validate(tokenParam, c.req.param('token'));
    const link = await deps.cards.getTracking(hashToken(token));
    if (!link) throw notFound('Tracking link');
    const [card, booking, rows] = await Promise.all([
      deps.bookingService.card(link.boardId, link.cardId),
      deps.bookings.get(link.boardId, link.cardId),
      deps.bookings.listAudit(link.boardId, { cardId: link.cardId, limit: 200 }),
    ]);
    const timeline = rows
      .filter((r) => r.action.startsWith('booking.') && r.toStatus)
      .reverse()
      .map((r) => ({ status: r.toStatus, at: r.at, driver: firstName(r.data?.driverName) }));
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    // A card deleted from the board after its delivery was still delivered; deleted before, it
    // will not be (a held one was cancelled by the server). Its title survives in the audit trail.
    const createdTitle = rows.find((r) => r.action === 'card.created')?.data?.title;
    return c.json({
      title: card?.title ?? (typeof createdTitle === 'string' ? createdTitle : ''),
      status: card || booking.status === 'delivered' ? booking.status : 'cancelled',
      driver: firstName(booking.driverName),
      updatedAt: booking.at || null,
      timeline,
    });
  });
  return app;
}
