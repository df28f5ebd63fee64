/**
 * "The requester who created the card" is a fact the server observed (the card.created audit row
 * names the author's connection), not a field any writer of the board document can rewrite.
 * Rewriting `createdBy` in the CRDT must not hand another requester the creator's rights
 * (private details, cancel, tracking links), nor take them from the real creator; the server also
 * refuses such a rewrite from anyone but a coordinator or the card's creator.
 */
import { describe, expect, it } from 'vitest';
import { boardRoots, cardMap, readCard } from '@delivery-board/schema/boardDoc';
import { allAudit, api, boardWith, bootForTest, createCards, openProvider, providerForTest, transition, waitFor } from './harness.ts';

describe('card authorship', () => {
  it('a requester who rewrites createdBy on someone else\'s card gains nothing', async () => {
    const { url } = await bootForTest();
    const { coordinator, boardId, users } = await boardWith(url, {
      R: { name: 'Rae Requester', role: 'requester' },
      Q: { name: 'Quin Requester', role: 'requester' },
    });
    const { R, Q } = users;
    const [cardId] = (await createCards(url, boardId, R, ['Insulin for Mrs P'])) as [string];
    const privatePath = `/api/boards/${boardId}/cards/${cardId}/private`;
    expect((await api(url, coordinator, 'PUT', privatePath, { phone: '+1 555 0100', accessNotes: 'Key safe 2468' })).status).toBe(200);
    expect((await api(url, Q, 'GET', privatePath)).status).toBe(403); // before: as the contract says

    // Q edits the card's createdBy through the board document. The server refuses that update (a
    // requester may not rewrite who created a card they may not delete: sync/cardRemovals.ts), but
    // even where such a rewrite got through, the server's rights go by what it observed.
    const q = providerForTest(url, boardId, Q);
    await waitFor(() => q.provider.synced && boardRoots(q.doc).cards.has(cardId), 5000, 'Q sees the card');
    cardMap(q.doc, cardId)!.set('createdBy', Q.id);
    await waitFor(async () => /dboard_sync_refused_card_removals_total 1\b/.test(await (await fetch(`${url}/metrics`)).text()), 5000, 'the rewrite refused');
    const check = openProvider(url, boardId, coordinator);
    try {
      await waitFor(() => check.provider.synced, 5000, 'check synced');
      expect(readCard(cardId, cardMap(check.doc, cardId)!).createdBy).toBe(R.id);
    } finally {
      check.destroy();
    }

    // The server still knows who created the card.
    const created = (await allAudit(url, coordinator, boardId, { cardId })).find((r) => r.action === 'card.created');
    expect(created?.actorId).toBe(R.id);

    const qGet = await api(url, Q, 'GET', privatePath);
    expect(qGet.status, `Q read the private details: ${JSON.stringify(qGet.body)}`).toBe(403);
    expect((await api(url, Q, 'PUT', privatePath, { phone: 'changed by Q' })).status).toBe(403);
    expect((await api(url, Q, 'POST', `/api/boards/${boardId}/cards/${cardId}/tracking`)).status).toBe(403);
    expect((await transition(url, Q, boardId, cardId, 'cancel')).status).toBe(403);

    // ...and the real creator keeps their rights.
    expect((await api(url, R, 'GET', privatePath)).status).toBe(200);
  });
});
