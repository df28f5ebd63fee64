/**
 * Contract suite for BookingStore (SQLite, Postgres). The decision table itself (which role may do
 * what from which state) is schema/bookings.ts `decide`, tested in test/bookings; these rules pin
 * what the store does around it. Claims racing on separate connections: pgConcurrency.test.ts.
 *
 * K1. A card never transitioned reads as openBooking (open, version 0); list is empty.
 * K2. An allowed transition answers 200 with the new booking (version + 1, at = now, driver, byId =
 *     the actor), marks it `changed`, and get/list read it back.
 * K3. A refused transition answers 409 `conflict` with the current booking, or 403 `forbidden`;
 *     the booking does not change, no audit row is written, nothing is `changed`.
 * K4. Replaying an intent answers the stored status and body (replayed, nothing changed), even when
 *     the booking has moved on since; refusals replay as refusals.
 * K5. An intent reused for another board, card or action answers 400 `intent_reused`, from
 *     transition and findIntent alike; findIntent of an unknown intent is null.
 * K6. Intent ids are per user: another user's identical intentId is a new request.
 * K7. Every applied transition writes one audit row: booking.<action>, from/to status, actor, note,
 *     data {intentId, version, driverId, driverName}.
 * K8. listAudit is newest first, filters by card, pages with `before` (exclusive id) and `limit`,
 *     and never shows another board's rows.
 * K9. audit(entries) stores rows as given (data as JSON, absent fields null); [] is a no-op.
 * K10. cardAuthor is the actor of the card's first `card.created` row; null without one.
 * K11. Of several claims of one card, exactly one wins; the others get 409 naming the holder.
 * K12. Bookings are per (board, card): list(board) holds only that board's changed cards.
 * K13. heldCounts(board) counts each member's claimed and picked-up cards on that board only;
 *      delivered, released and cancelled ones do not count, and a board nobody holds on is {}.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openBooking, type BookingAction } from '@delivery-board/schema/bookings';
import type { Role } from '@delivery-board/schema/types';
import type { TransitionRequest } from '../../src/stores/types.ts';
import { seedBoard, seedUser, T0, type Stores, type StoresFactory } from './fixtures.ts';

async function setup(stores: Stores) {
  const coord = await seedUser(stores, 'Cora');
  const driver = await seedUser(stores, 'Dan');
  const driver2 = await seedUser(stores, 'Dee');
  const requester = await seedUser(stores, 'Rae');
  const boardId = await seedBoard(stores, coord, [
    [driver, 'driver'],
    [driver2, 'driver'],
    [requester, 'requester'],
  ]);
  const as = (u: { id: string; name: string }, role: Role) => ({ userId: u.id, name: u.name, role });
  return { boardId, coord: as(coord, 'coordinator'), driver: as(driver, 'driver'), driver2: as(driver2, 'driver'), requester: as(requester, 'requester') };
}

type Setup = Awaited<ReturnType<typeof setup>>;

function req(s: Setup, actor: TransitionRequest['actor'], action: BookingAction, cardId: string, extra: Partial<TransitionRequest> = {}): TransitionRequest {
  return { boardId: s.boardId, cardId, action, intentId: randomUUID(), actor, note: null, cardCreatedBy: null, now: T0 + 1000, ...extra };
}

export function bookingStoreContract(name: string, make: StoresFactory) {
  describe(`BookingStore contract: ${name}`, () => {
    it('K1: an untouched card is open at version 0', async () => {
      const stores = await make();
      const s = await setup(stores);
      expect(await stores.bookings.get(s.boardId, 'c1')).toEqual(openBooking('c1'));
      expect(await stores.bookings.list(s.boardId)).toEqual([]);
    });

    it('K2: an allowed transition is applied and read back', async () => {
      const stores = await make();
      const s = await setup(stores);
      const out = await stores.bookings.transition(req(s, s.driver, 'claim', 'c1', { now: T0 + 5 }));
      const booking = { cardId: 'c1', status: 'claimed', driverId: s.driver.userId, driverName: 'Dan', byId: s.driver.userId, at: T0 + 5, version: 1 };
      expect(out).toEqual({ httpStatus: 200, body: { booking }, changed: booking, replayed: false });
      expect(await stores.bookings.get(s.boardId, 'c1')).toEqual(booking);
      expect(await stores.bookings.list(s.boardId)).toEqual([booking]);
      const picked = await stores.bookings.transition(req(s, s.driver, 'pickup', 'c1', { now: T0 + 6 }));
      expect(picked.changed).toEqual({ ...booking, status: 'picked_up', at: T0 + 6, version: 2 });
      // Whoever acts is named: a coordinator's release is theirs, though Dan held the card.
      const released = await stores.bookings.transition(req(s, s.coord, 'release', 'c1', { now: T0 + 7 }));
      expect(released.changed).toEqual({ ...booking, status: 'open', driverId: null, driverName: null, byId: s.coord.userId, at: T0 + 7, version: 3 });
      expect(await stores.bookings.get(s.boardId, 'c1')).toEqual(released.changed);
    });

    it('K3: refusals change nothing', async () => {
      const stores = await make();
      const s = await setup(stores);
      await stores.bookings.transition(req(s, s.driver, 'claim', 'c1'));
      const before = await stores.bookings.get(s.boardId, 'c1');
      const auditBefore = await stores.bookings.listAudit(s.boardId, { limit: 100 });

      const conflict = await stores.bookings.transition(req(s, s.driver2, 'claim', 'c1'));
      expect(conflict.httpStatus).toBe(409);
      expect(conflict.body).toEqual({ error: { code: 'conflict', message: expect.stringContaining('Dan') }, booking: before });
      expect(conflict.changed).toBeUndefined();

      const forbidden = await stores.bookings.transition(req(s, s.requester, 'claim', 'c2'));
      expect(forbidden).toEqual({ httpStatus: 403, body: { error: { code: 'forbidden', message: expect.any(String) } }, replayed: false });

      expect(await stores.bookings.get(s.boardId, 'c1')).toEqual(before);
      expect(await stores.bookings.get(s.boardId, 'c2')).toEqual(openBooking('c2'));
      expect(await stores.bookings.list(s.boardId)).toEqual([before]);
      expect(await stores.bookings.listAudit(s.boardId, { limit: 100 })).toEqual(auditBefore);
    });

    it('K4: a replayed intent gets the stored answer', async () => {
      const stores = await make();
      const s = await setup(stores);
      const claim = req(s, s.driver, 'claim', 'c1');
      const first = await stores.bookings.transition(claim);
      await stores.bookings.transition(req(s, s.driver, 'release', 'c1'));
      const again = await stores.bookings.transition({ ...claim, now: T0 + 9999 });
      expect(again).toEqual({ httpStatus: 200, body: first.body, replayed: true });
      expect((await stores.bookings.get(s.boardId, 'c1')).status).toBe('open'); // not claimed again
      expect(await stores.bookings.findIntent(s.driver.userId, claim.intentId, claim)).toEqual(again);

      const refused = req(s, s.requester, 'claim', 'c1');
      const r1 = await stores.bookings.transition(refused);
      expect(await stores.bookings.transition(refused)).toEqual({ httpStatus: r1.httpStatus, body: r1.body, replayed: true });
      expect((await stores.bookings.listAudit(s.boardId, { cardId: 'c1', limit: 100 })).length).toBe(2);
    });

    it('K5: an intent reused for something else is a 400', async () => {
      const stores = await make();
      const s = await setup(stores);
      const claim = req(s, s.driver, 'claim', 'c1');
      await stores.bookings.transition(claim);
      const reused = { httpStatus: 400, body: { error: { code: 'intent_reused', message: expect.any(String) } }, replayed: true };
      expect(await stores.bookings.transition({ ...claim, cardId: 'c2' })).toEqual(reused);
      expect(await stores.bookings.transition({ ...claim, action: 'release' })).toEqual(reused);
      expect(await stores.bookings.findIntent(s.driver.userId, claim.intentId, { boardId: 'other', cardId: 'c1', action: 'claim' })).toEqual(reused);
      expect(await stores.bookings.findIntent(s.driver.userId, 'never-sent', claim)).toBeNull();
      expect(await stores.bookings.get(s.boardId, 'c2')).toEqual(openBooking('c2'));
    });

    it('K6: intent ids are per user', async () => {
      const stores = await make();
      const s = await setup(stores);
      const intentId = 'same-id';
      expect((await stores.bookings.transition(req(s, s.driver, 'claim', 'c1', { intentId }))).httpStatus).toBe(200);
      const other = await stores.bookings.transition(req(s, s.driver2, 'claim', 'c1', { intentId }));
      expect(other).toMatchObject({ httpStatus: 409, replayed: false });
    });

    it('K7: each applied transition writes one audit row', async () => {
      const stores = await make();
      const s = await setup(stores);
      const claim = req(s, s.driver, 'claim', 'c1', { note: 'on my way', now: T0 + 77 });
      await stores.bookings.transition(claim);
      const rows = await stores.bookings.listAudit(s.boardId, { limit: 10 });
      expect(rows).toEqual([
        {
          id: expect.any(Number),
          boardId: s.boardId,
          cardId: 'c1',
          actorId: s.driver.userId,
          actorName: 'Dan',
          action: 'booking.claim',
          fromStatus: 'open',
          toStatus: 'claimed',
          note: 'on my way',
          data: { intentId: claim.intentId, version: 1, driverId: s.driver.userId, driverName: 'Dan' },
          at: T0 + 77,
        },
      ]);
    });

    it('K8: listAudit is newest first, filtered and paged', async () => {
      const stores = await make();
      const s = await setup(stores);
      const other = await seedBoard(stores, await seedUser(stores));
      for (let i = 0; i < 5; i++) {
        await stores.bookings.audit([{ boardId: s.boardId, cardId: i % 2 ? 'odd' : 'even', actorId: null, actorName: null, action: `a${i}`, at: T0 + i }]);
      }
      await stores.bookings.audit([{ boardId: other, cardId: 'odd', actorId: null, actorName: null, action: 'elsewhere', at: T0 }]);
      const all = await stores.bookings.listAudit(s.boardId, { limit: 100 });
      expect(all.map((r) => r.action)).toEqual(['a4', 'a3', 'a2', 'a1', 'a0']);
      expect(all.map((r) => r.id)).toEqual([...all.map((r) => r.id)].sort((a, b) => b - a));
      expect((await stores.bookings.listAudit(s.boardId, { cardId: 'odd', limit: 100 })).map((r) => r.action)).toEqual(['a3', 'a1']);
      const page1 = await stores.bookings.listAudit(s.boardId, { limit: 2 });
      const page2 = await stores.bookings.listAudit(s.boardId, { limit: 2, before: page1.at(-1)!.id });
      const page3 = await stores.bookings.listAudit(s.boardId, { limit: 2, before: page2.at(-1)!.id });
      expect([...page1, ...page2, ...page3].map((r) => r.action)).toEqual(['a4', 'a3', 'a2', 'a1', 'a0']);
      expect(await stores.bookings.listAudit(s.boardId, { limit: 2, before: page3.at(-1)!.id })).toEqual([]);
    });

    it('K9: audit entries are stored as given', async () => {
      const stores = await make();
      const s = await setup(stores);
      await stores.bookings.audit([]);
      await stores.bookings.audit([
        { boardId: s.boardId, cardId: null, actorId: 'u1', actorName: 'Una', action: 'member.added', data: { role: 'driver', nested: { n: [1, 2] } }, at: T0 },
        { boardId: s.boardId, cardId: 'c9', actorId: null, actorName: null, action: 'x', fromStatus: 'open', toStatus: 'claimed', note: 'n', at: T0 + 1 },
      ]);
      const [second, first] = await stores.bookings.listAudit(s.boardId, { limit: 10 });
      expect(first).toEqual({
        id: expect.any(Number),
        boardId: s.boardId,
        cardId: null,
        actorId: 'u1',
        actorName: 'Una',
        action: 'member.added',
        fromStatus: null,
        toStatus: null,
        note: null,
        data: { role: 'driver', nested: { n: [1, 2] } },
        at: T0,
      });
      expect(second).toMatchObject({ cardId: 'c9', fromStatus: 'open', toStatus: 'claimed', note: 'n', data: null, at: T0 + 1 });
    });

    it("K10: cardAuthor is the first card.created row's actor", async () => {
      const stores = await make();
      const s = await setup(stores);
      const created = (cardId: string, actorId: string, boardId = s.boardId) => ({ boardId, cardId, actorId, actorName: null, action: 'card.created', at: T0 });
      expect(await stores.bookings.cardAuthor(s.boardId, 'c1')).toBeNull();
      await stores.bookings.audit([{ ...created('c1', 'x'), action: 'card.deleted' }, created('c2', 'someone-else')]);
      await stores.bookings.audit([created('c1', s.requester.userId)]);
      await stores.bookings.audit([created('c1', 'later-writer')]);
      const other = await seedBoard(stores, await seedUser(stores));
      await stores.bookings.audit([created('c3', 'elsewhere', other)]);
      expect(await stores.bookings.cardAuthor(s.boardId, 'c1')).toBe(s.requester.userId);
      expect(await stores.bookings.cardAuthor(s.boardId, 'c3')).toBeNull();
    });

    it('K11: of many claims, exactly one wins', async () => {
      const stores = await make();
      const s = await setup(stores);
      const claimants = [s.driver, s.driver2, s.coord, s.driver, s.driver2];
      const outcomes = await Promise.all(claimants.map((a) => stores.bookings.transition(req(s, a, 'claim', 'hot'))));
      const winners = outcomes.filter((o) => o.httpStatus === 200);
      expect(winners).toHaveLength(1);
      const holder = (winners[0]!.body as { booking: { driverName: string } }).booking.driverName;
      for (const o of outcomes.filter((o) => o.httpStatus !== 200)) {
        expect(o.httpStatus).toBe(409);
        expect((o.body as { error: { message: string } }).error.message).toContain(holder);
      }
      expect(await stores.bookings.get(s.boardId, 'hot')).toMatchObject({ status: 'claimed', version: 1 });
      expect(await stores.bookings.listAudit(s.boardId, { cardId: 'hot', limit: 100 })).toHaveLength(1);
    });

    it('K12: bookings are per board and card', async () => {
      const stores = await make();
      const s = await setup(stores);
      const t = await setup(stores);
      await stores.bookings.transition(req(s, s.driver, 'claim', 'c1'));
      await stores.bookings.transition(req(s, s.coord, 'cancel', 'c2'));
      await stores.bookings.transition(req(t, t.driver, 'claim', 'c1'));
      await stores.bookings.transition(req(s, s.requester, 'claim', 'c3')); // refused: no row
      const list = await stores.bookings.list(s.boardId);
      expect(list.map((b) => [b.cardId, b.status, b.driverId]).sort()).toEqual([
        ['c1', 'claimed', s.driver.userId],
        ['c2', 'cancelled', null],
      ]);
      expect(await stores.bookings.list(t.boardId)).toEqual([expect.objectContaining({ cardId: 'c1', driverId: t.driver.userId })]);
    });

    it('K13: heldCounts counts claimed and picked-up cards per member, per board', async () => {
      const stores = await make();
      const s = await setup(stores);
      const t = await setup(stores);
      expect(await stores.bookings.heldCounts(s.boardId)).toEqual({});
      for (const card of ['c1', 'c2', 'c3', 'c4', 'c5']) await stores.bookings.transition(req(s, s.driver, 'claim', card));
      await stores.bookings.transition(req(s, s.driver, 'pickup', 'c2'));
      await stores.bookings.transition(req(s, s.driver, 'pickup', 'c3'));
      await stores.bookings.transition(req(s, s.driver, 'deliver', 'c3'));
      await stores.bookings.transition(req(s, s.driver, 'release', 'c4'));
      await stores.bookings.transition(req(s, s.coord, 'cancel', 'c5'));
      await stores.bookings.transition(req(s, s.driver2, 'claim', 'c6'));
      await stores.bookings.transition(req(t, t.driver, 'claim', 'c1'));
      expect(await stores.bookings.heldCounts(s.boardId)).toEqual({ [s.driver.userId]: 2, [s.driver2.userId]: 1 });
      expect(await stores.bookings.heldCounts(t.boardId)).toEqual({ [t.driver.userId]: 1 });
    });
  });
}
