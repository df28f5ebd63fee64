/**
 * intentId makes a transition safe to replay: the same user sending the same intent gets the
 * original status and body, forever, and nothing happens twice. Reusing an intent for another
 * action or card is refused with 400 intent_reused.
 */
import { describe, expect, it } from 'vitest';
import { bookingsMap } from '../../src/bookings/bookingService.ts';
import { allAudit, boardWith, bootForTest, createCards, deleteCards, must, newIntent, providerForTest, transition, waitFor } from './harness.ts';

async function setup() {
  const { url } = await bootForTest();
  const { coordinator, boardId, users } = await boardWith(url, {
    D: { name: 'Dana Driver', role: 'driver' },
    E: { name: 'Eli Driver', role: 'driver' },
    F: { name: 'Fay Driver', role: 'driver' },
    V: { name: 'Val Viewer', role: 'viewer' },
  });
  const cards = await createCards(url, boardId, coordinator, ['one', 'two', 'three', 'four', 'five']);
  const bookingRows = async (cardId: string) => (await allAudit(url, coordinator, boardId, { cardId })).filter((r) => r.action.startsWith('booking.'));
  return { url, coordinator, boardId, ...users, cards, bookingRows };
}

describe('idempotent transitions (intentId)', () => {
  it('the same intent replayed 10 times sequentially and 10 times concurrently is one transition, same reply', async () => {
    const { url, boardId, D, coordinator, cards, bookingRows } = await setup();
    const [c1, c2] = cards as [string, string];

    const seqIntent = newIntent();
    const first = await transition(url, D, boardId, c1, 'claim', { intentId: seqIntent, note: 'on my way' });
    expect(first.status).toBe(200);
    expect(first.body.booking).toMatchObject({ status: 'claimed', driverId: D.id, version: 1 });
    for (let i = 0; i < 10; i++) {
      const again = await transition(url, D, boardId, c1, 'claim', { intentId: seqIntent, note: 'on my way' });
      expect(again).toEqual(first);
    }

    const concIntent = newIntent();
    const burst = await Promise.all(Array.from({ length: 10 }, () => transition(url, D, boardId, c2, 'claim', { intentId: concIntent })));
    expect(burst[0]!.status).toBe(200);
    expect(burst[0]!.body.booking).toMatchObject({ status: 'claimed', driverId: D.id, version: 1 });
    for (const r of burst) expect(r).toEqual(burst[0]);

    // One audit row each, carrying the intent and version 1.
    for (const [cardId, intentId] of [[c1, seqIntent], [c2, concIntent]] as const) {
      const rows = await bookingRows(cardId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ action: 'booking.claim', actorId: D.id, data: { intentId, version: 1 } });
    }
    expect((await bookingRows(c1))[0]!.note).toBe('on my way');

    // The next real transition is version 2: the replays did not bump it.
    expect((await must(url, D, boardId, c2, 'pickup')).version).toBe(2);
    const client = providerForTest(url, `${boardId}/bookings`, coordinator);
    const map = bookingsMap(client.doc);
    await waitFor(() => map.get(c1)?.version === 1 && map.get(c2)?.version === 2, 5000, 'bookings document');
  });

  it('a 409 replays as the same 409 after the state has changed; a 200 replays as 200 and does not act again', async () => {
    const { url, boardId, D, E, F, cards, bookingRows } = await setup();
    const c1 = cards[0]!;
    const dIntent = newIntent();
    const won = await transition(url, D, boardId, c1, 'claim', { intentId: dIntent });
    expect(won.status).toBe(200);

    const eIntent = newIntent();
    const lost = await transition(url, E, boardId, c1, 'claim', { intentId: eIntent });
    expect(lost.status).toBe(409);
    expect(lost.body.booking).toMatchObject({ status: 'claimed', driverId: D.id, driverName: D.name, version: 1 });

    await must(url, D, boardId, c1, 'release'); // the card is open now: a fresh claim by E would win
    expect(await transition(url, E, boardId, c1, 'claim', { intentId: eIntent })).toEqual(lost);
    // D's original claim replays as the original 200 and does not claim the card again
    expect(await transition(url, D, boardId, c1, 'claim', { intentId: dIntent })).toEqual(won);
    const rows = await bookingRows(c1);
    expect(rows.map((r) => r.action)).toEqual(['booking.release', 'booking.claim']);

    // The card really is open at version 2: F's fresh claim wins with version 3.
    expect((await must(url, F, boardId, c1, 'claim')).version).toBe(3);
    expect(await transition(url, E, boardId, c1, 'claim', { intentId: eIntent })).toEqual(lost);
  });

  it('a 403 replays as the same 403', async () => {
    const { url, boardId, V, cards } = await setup();
    const intentId = newIntent();
    const first = await transition(url, V, boardId, cards[0]!, 'claim', { intentId });
    expect(first.status).toBe(403);
    expect(await transition(url, V, boardId, cards[0]!, 'claim', { intentId })).toEqual(first);
  });

  it('the same intentId with a different action or card is 400 intent_reused, and does nothing', async () => {
    const { url, boardId, D, cards, bookingRows } = await setup();
    const [c1, c2] = cards as [string, string];
    const intentId = newIntent();
    const first = await transition(url, D, boardId, c1, 'claim', { intentId });
    expect(first.status).toBe(200);

    const otherAction = await transition(url, D, boardId, c1, 'release', { intentId });
    expect(otherAction.status).toBe(400);
    expect(otherAction.body.error?.code).toBe('intent_reused');

    const otherCard = await transition(url, D, boardId, c2, 'claim', { intentId });
    expect(otherCard.status).toBe(400);
    expect(otherCard.body.error?.code).toBe('intent_reused');

    expect(await bookingRows(c2)).toEqual([]);
    expect(await bookingRows(c1)).toHaveLength(1);
    // c1 is still claimed by D (the release was not done), c2 still open
    expect((await must(url, D, boardId, c1, 'pickup')).version).toBe(2);
    expect((await must(url, D, boardId, c2, 'claim')).version).toBe(1);
    // and the original still replays
    expect(await transition(url, D, boardId, c1, 'claim', { intentId })).toEqual(first);
  });

  it('intents are per user: another user may use the same intentId for their own request', async () => {
    const { url, boardId, D, E, cards } = await setup();
    const intentId = newIntent();
    expect((await transition(url, D, boardId, cards[0]!, 'claim', { intentId })).status).toBe(200);
    const e = await transition(url, E, boardId, cards[1]!, 'claim', { intentId });
    expect(e.status).toBe(200);
    expect(e.body.booking).toMatchObject({ cardId: cards[1], driverId: E.id });
  });

  it('an intent replays its original answer even after the card was deleted', async () => {
    const { url, boardId, D, coordinator, cards } = await setup();
    const c = cards[3]!;
    const intentId = newIntent();
    const first = await transition(url, D, boardId, c, 'claim', { intentId });
    expect(first.status).toBe(200);
    await deleteCards(url, boardId, coordinator, [c]);
    expect(await transition(url, D, boardId, c, 'claim', { intentId })).toEqual(first);
    // a new intent on the deleted card: 404
    const fresh = await transition(url, D, boardId, c, 'claim');
    expect(fresh.status).toBe(404);
  });

  it('reusing an intentId on a card that is not on the board is not answered with the other card\'s booking', async () => {
    const { url, boardId, D, cards } = await setup();
    const intentId = newIntent();
    expect((await transition(url, D, boardId, cards[0]!, 'claim', { intentId })).status).toBe(200);
    const res = await transition(url, D, boardId, 'nosuchcard', 'claim', { intentId });
    // Contract: same intentId with a different card → 400 intent_reused.
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error?.code).toBe('intent_reused');
    expect(res.body.booking).toBeUndefined();
  });
});
