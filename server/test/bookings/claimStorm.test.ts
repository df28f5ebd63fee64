/**
 * Claim storm through real HTTP: 200 concurrent claims over 20 cards by 50 drivers. Exactly one
 * winner per card; every loser is told who won; the audit trail and the bookings document agree.
 */
import { describe, expect, it } from 'vitest';
import { registerUser, type TestUser } from '../helpers.ts';
import { bookingsMap } from '../../src/bookings/bookingService.ts';
import { allAudit, api, bootForTest, createCards, newIntent, providerForTest, transition, waitFor } from './harness.ts';

const CARDS = 20;
const DRIVERS = 50;
const CLAIMS = 200;

describe('claim storm', () => {
  it('200 concurrent claims, 20 cards, 50 drivers: one winner per card, everyone agrees', async () => {
    const { url } = await bootForTest();
    const coordinator = await registerUser(url, 'Cora Coordinator');
    const boardId = (await api(url, coordinator, 'POST', '/api/boards', { name: 'Storm' })).body.id as string;
    const invite = await api(url, coordinator, 'POST', `/api/boards/${boardId}/invites`, { role: 'driver', maxUses: DRIVERS });
    expect(invite.status).toBe(201);
    const drivers: TestUser[] = await Promise.all(
      Array.from({ length: DRIVERS }, async (_, d) => {
        const u = await registerUser(url, `Driver${d} Lastname${d}`);
        const acc = await api(url, u, 'POST', `/api/invites/${invite.body.token}/accept`);
        expect(acc.status).toBe(200);
        return u;
      }),
    );
    const byId = new Map(drivers.map((d) => [d.id, d]));
    const cards = await createCards(
      url,
      boardId,
      coordinator,
      Array.from({ length: CARDS }, (_, c) => `Storm card ${c}`),
    );

    // Request i: card i % 20, driver floor(i / 4): each card gets 10 distinct drivers, each driver 4 cards.
    const plan = Array.from({ length: CLAIMS }, (_, i) => ({ cardId: cards[i % CARDS]!, driver: drivers[Math.floor(i / 4)]!, intentId: newIntent() }));
    const replies = await Promise.all(plan.map((p) => transition(url, p.driver, boardId, p.cardId, 'claim', { intentId: p.intentId })));

    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s !== 200 && s !== 409), 'only 200 and 409').toEqual([]);
    const winners = new Map<string, TestUser>();
    replies.forEach((r, i) => {
      if (r.status !== 200) return;
      const { cardId, driver } = plan[i]!;
      expect(winners.has(cardId), `two winners for ${cardId}`).toBe(false);
      winners.set(cardId, driver);
      expect(r.body.booking).toMatchObject({ cardId, status: 'claimed', driverId: driver.id, driverName: driver.name, version: 1 });
    });
    expect(statuses.filter((s) => s === 200)).toHaveLength(CARDS);
    expect([...winners.keys()].sort()).toEqual([...cards].sort());

    // Every loser's 409 names the winner of their card.
    replies.forEach((r, i) => {
      if (r.status !== 409) return;
      const winner = winners.get(plan[i]!.cardId)!;
      expect(r.body.error?.code).toBe('conflict');
      expect(r.body.booking).toMatchObject({ cardId: plan[i]!.cardId, status: 'claimed', driverId: winner.id, driverName: winner.name, version: 1 });
    });

    // The audit trail holds exactly the 20 winning claims (paged through `before`).
    const audit = await allAudit(url, coordinator, boardId, {}, 7);
    const claims = audit.filter((a) => a.action === 'booking.claim');
    expect(claims).toHaveLength(CARDS);
    expect(new Set(audit.map((a) => a.id)).size).toBe(audit.length);
    for (const row of claims) {
      const winner = winners.get(row.cardId!)!;
      expect(row).toMatchObject({ actorId: winner.id, actorName: winner.name, fromStatus: 'open', toStatus: 'claimed' });
      expect(row.data).toMatchObject({ driverId: winner.id, driverName: winner.name, version: 1 });
      const winningIntent = plan.find((p, i) => p.cardId === row.cardId && replies[i]!.status === 200)!.intentId;
      expect(row.data!.intentId).toBe(winningIntent);
    }
    expect(new Set(claims.map((c) => c.cardId)).size).toBe(CARDS);
    expect(audit.filter((a) => a.action.startsWith('booking.') && a.action !== 'booking.claim')).toEqual([]);

    // The bookings document (read-only for clients) converges to the same 20 bookings.
    const client = providerForTest(url, `${boardId}/bookings`, drivers[0]!);
    const map = bookingsMap(client.doc);
    await waitFor(() => client.provider.synced && map.size === CARDS, 10_000, 'bookings document');
    for (const [cardId, winner] of winners) {
      expect(map.get(cardId)).toMatchObject({ cardId, status: 'claimed', driverId: winner.id, driverName: winner.name, version: 1 });
      expect(byId.get(map.get(cardId)!.driverId!)).toBe(winner);
    }
  });
});
