/** Transitions outside the table: auth, unknown board/card, input validation, assign's driver rule, untitled cards, notes. */
import { describe, expect, it } from 'vitest';
import { registerUser } from '../helpers.ts';
import { cardMap, setCardField } from '@delivery-board/schema/boardDoc';
import { allAudit, api, boardWith, bootForTest, createCards, must, newIntent, providerForTest, transition, waitFor } from './harness.ts';

async function setup() {
  const { url } = await bootForTest();
  const b = await boardWith(url, {
    D: { name: 'Dana Driver', role: 'driver' },
    R: { name: 'Rae Requester', role: 'requester' },
    V: { name: 'Val Viewer', role: 'viewer' },
  });
  const cards = await createCards(url, b.boardId, b.coordinator, ['a', 'b', 'c']);
  return { url, ...b, ...b.users, cards };
}

describe('transition edges', () => {
  it('401 without a session, 403 for a non-member, 404 for an unknown board or card', async () => {
    const { url, boardId, cards, D } = await setup();
    const stranger = await registerUser(url, 'Stan Stranger');
    const anon = await transition(url, null, boardId, cards[0]!, 'claim');
    expect(anon.status).toBe(401);
    expect(anon.body.error?.code).toBe('unauthenticated');
    expect((await transition(url, stranger, boardId, cards[0]!, 'claim')).status).toBe(403);
    expect((await transition(url, D, 'nosuchboard', cards[0]!, 'claim')).status).toBe(404);
    const unknownCard = await transition(url, D, boardId, 'nosuchcard', 'claim');
    expect(unknownCard.status).toBe(404);
    expect(unknownCard.body.error?.code).toBe('not_found');
    // none of this touched the card
    expect((await must(url, D, boardId, cards[0]!, 'claim')).version).toBe(1);
  });

  it('400 for bodies that fail validation', async () => {
    const { url, boardId, cards, D, coordinator } = await setup();
    const path = `/api/boards/${boardId}/cards/${cards[0]}/transitions`;
    const bad = [
      {},
      { action: 'claim' },
      { intentId: newIntent() },
      { action: 'steal', intentId: newIntent() },
      { action: 'claim', intentId: 'short' },
      { action: 'claim', intentId: 'has spaces in it' },
      { action: 'claim', intentId: 'x'.repeat(65) },
      { action: 'claim', intentId: newIntent(), note: 'n'.repeat(1001) },
      { action: 'claim', intentId: newIntent(), extra: true },
      { action: 'assign', intentId: newIntent() },
    ];
    for (const body of bad) {
      const res = await api(url, D, 'POST', path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(typeof res.body.error.code).toBe('string');
    }
    const notJson = await fetch(`${url}${path}`, { method: 'POST', headers: { cookie: D.cookie, 'content-type': 'application/json' }, body: '{nope' });
    expect(notJson.status).toBe(400);
    expect((await allAudit(url, coordinator, boardId)).filter((r) => r.action.startsWith('booking.'))).toEqual([]);
  });

  it('assign names a driver member; anyone else is refused and nothing changes', async () => {
    const { url, boardId, coordinator, cards, D, V, R } = await setup();
    const outsider = await registerUser(url, 'Otto Outsider');
    for (const who of [V, R, coordinator, outsider]) {
      const res = await transition(url, coordinator, boardId, cards[0]!, 'assign', { driverId: who.id });
      expect([400, 409], `assign to ${who.name}: ${JSON.stringify(res.body)}`).toContain(res.status);
    }
    expect((await transition(url, coordinator, boardId, cards[0]!, 'assign', { driverId: 'nosuchuser' })).status).not.toBe(200);
    const rows = (await allAudit(url, coordinator, boardId, { cardId: cards[0]! })).filter((r) => r.action.startsWith('booking.'));
    expect(rows).toEqual([]);
    const ok = await must(url, coordinator, boardId, cards[0]!, 'assign', { driverId: D.id });
    expect(ok).toMatchObject({ status: 'claimed', driverId: D.id, driverName: D.name, version: 1 });
    // the assigned driver holds it now
    expect((await must(url, D, boardId, cards[0]!, 'pickup')).status).toBe('picked_up');
    const [assignRow] = (await allAudit(url, coordinator, boardId, { cardId: cards[0]! })).filter((r) => r.action === 'booking.assign');
    expect(assignRow).toMatchObject({ actorId: coordinator.id, fromStatus: 'open', toStatus: 'claimed', data: { driverId: D.id, driverName: D.name } });
  });

  it('a card with no title yet cannot be claimed or assigned (409 card_untitled), until it has one', async () => {
    const { url, boardId, coordinator, D } = await setup();
    const [blank, spaces] = (await createCards(url, boardId, coordinator, ['', '   '])) as [string, string];
    for (const card of [blank, spaces]) {
      const claim = await transition(url, D, boardId, card, 'claim');
      expect(claim.status).toBe(409);
      expect(claim.body.error).toMatchObject({ code: 'card_untitled', message: expect.stringContaining('no title') });
      expect(claim.body.booking).toMatchObject({ status: 'open', version: 0 });
      const assign = await transition(url, coordinator, boardId, card, 'assign', { driverId: D.id });
      expect(assign.status).toBe(409);
      expect(assign.body.error?.code).toBe('card_untitled');
    }
    expect((await allAudit(url, coordinator, boardId)).filter((r) => r.action.startsWith('booking.'))).toEqual([]);
    // Once titled (a coordinator typing in the board document), it can be.
    const writer = providerForTest(url, boardId, coordinator);
    await waitFor(() => writer.provider.synced && cardMap(writer.doc, blank) !== null, 5000, 'writer synced');
    setCardField(writer.doc, blank, 'title', 'Soup to Elm St');
    await waitFor(async () => (await transition(url, D, boardId, blank, 'claim')).status === 200, 5000, 'claimable once titled');
  });

  it('a full life cycle is audited with from/to status, note and data', async () => {
    const { url, boardId, coordinator, cards, D } = await setup();
    const c = cards[1]!;
    await must(url, D, boardId, c, 'claim', { note: 'mine' });
    await must(url, D, boardId, c, 'release');
    await must(url, coordinator, boardId, c, 'cancel', { note: 'not needed' });
    await must(url, coordinator, boardId, c, 'reopen');
    await must(url, D, boardId, c, 'claim');
    await must(url, D, boardId, c, 'pickup');
    const last = await must(url, D, boardId, c, 'deliver', { note: 'left with neighbour' });
    expect(last).toMatchObject({ status: 'delivered', driverId: D.id, version: 7 });
    const rows = (await allAudit(url, coordinator, boardId, { cardId: c })).filter((r) => r.action.startsWith('booking.')).reverse();
    expect(rows.map((r) => [r.action, r.fromStatus, r.toStatus, r.data?.version])).toEqual([
      ['booking.claim', 'open', 'claimed', 1],
      ['booking.release', 'claimed', 'open', 2],
      ['booking.cancel', 'open', 'cancelled', 3],
      ['booking.reopen', 'cancelled', 'open', 4],
      ['booking.claim', 'open', 'claimed', 5],
      ['booking.pickup', 'claimed', 'picked_up', 6],
      ['booking.deliver', 'picked_up', 'delivered', 7],
    ]);
    expect(rows.map((r) => r.note)).toEqual(['mine', null, 'not needed', null, null, null, 'left with neighbour']);
    // delivered is final for everyone
    for (const action of ['claim', 'release', 'cancel', 'pickup', 'deliver'] as const) {
      expect((await transition(url, coordinator, boardId, c, action)).status).not.toBe(200);
    }
  });
});
