/**
 * Any member who may write can put anything under the board document's `cards` map. An entry that
 * is not a card map is no card for the server: its REST routes answer 404 (never 500), and a real
 * change written in the same transaction is still recorded (audit row, deleted-card cancel).
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { boardRoots, createCard, deleteCard, readCards } from '@delivery-board/schema/boardDoc';
import { allAudit, api, boardWith, bootForTest, createCards, must, openProvider, transition, waitFor, waitForCards } from './harness.ts';

describe('malformed card entries', () => {
  it('are no card: 404 on their routes, and real changes beside them are recorded', async () => {
    const { url } = await bootForTest();
    const { coordinator, boardId, users } = await boardWith(url, {
      R: { name: 'Rae Requester', role: 'requester' },
      D: { name: 'Dev Driver', role: 'driver' },
    });
    const { R, D } = users;
    // R's own request, which R may delete (sync/cardRemovals.ts).
    const [held] = (await createCards(url, boardId, R, ['Held card'])) as [string];
    await must(url, D, boardId, held, 'claim');

    // One transaction: junk entries of every kind, a real card, and the deletion of a held card.
    const writer = openProvider(url, boardId, R);
    let realId = '';
    try {
      await waitFor(() => writer.provider.synced, 5000, 'writer synced');
      writer.doc.transact(() => {
        const { cards } = boardRoots(writer.doc);
        cards.set('junk-string', 'not a card');
        cards.set('junk-number', 42);
        cards.set('junk-array', new Y.Array());
        cards.set('junk-text', new Y.Text('x'));
        cards.set('junk-object', { title: 'plain object' });
        realId = createCard(writer.doc, { title: 'Real card' }, R.id);
        deleteCard(writer.doc, held);
      });
      await waitForCards(url, boardId, R, [realId]);
    } finally {
      writer.destroy();
    }

    for (const junk of ['junk-string', 'junk-number', 'junk-array', 'junk-text', 'junk-object']) {
      const base = `/api/boards/${boardId}/cards/${junk}`;
      expect((await transition(url, D, boardId, junk, 'claim')).status, `claim ${junk}`).toBe(404);
      expect((await api(url, coordinator, 'GET', `${base}/private`)).status, `private ${junk}`).toBe(404);
      expect((await api(url, coordinator, 'POST', `${base}/tracking`)).status, `tracking ${junk}`).toBe(404);
    }

    // The real card was recorded as R's, so R keeps a requester's rights on it.
    await waitFor(async () => (await allAudit(url, coordinator, boardId, { cardId: realId })).some((r) => r.action === 'card.created'), 5000, 'card.created');
    const created = (await allAudit(url, coordinator, boardId, { cardId: realId })).find((r) => r.action === 'card.created');
    expect(created).toMatchObject({ actorId: R.id, data: { title: 'Real card' } });
    expect((await api(url, R, 'GET', `/api/boards/${boardId}/cards/${realId}/private`)).status).toBe(200);

    // The held card's deletion cancelled its booking, with audit rows.
    await waitFor(async () => (await allAudit(url, coordinator, boardId, { cardId: held })).some((r) => r.action === 'booking.cancel'), 5000, 'booking.cancel');
    const heldRows = (await allAudit(url, coordinator, boardId, { cardId: held })).map((r) => r.action);
    expect(heldRows).toContain('card.deleted');

    // Readers of the document skip the junk too.
    const reader = openProvider(url, boardId, coordinator);
    try {
      await waitFor(() => reader.provider.synced, 5000, 'reader synced');
      expect(readCards(reader.doc).map((c) => c.title)).toEqual(['Real card']);
    } finally {
      reader.destroy();
    }
  });
});
