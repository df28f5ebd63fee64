/**
 * Who may delete a card, enforced by the server on what clients send (sync/cardRemovals.ts):
 * coordinators any card, requesters their own, drivers none. A refused deletion is not applied,
 * audited or relayed, and the rest of the sender's update still is.
 */
import { describe, expect, it } from 'vitest';
import { addComment, boardRoots, cardMap, createCard, deleteCard, deleteComment, readCards, setCardField } from '@delivery-board/schema/boardDoc';
import { CloseCode } from '@delivery-board/schema/types';
import { bookingsMap } from '../../src/bookings/bookingService.ts';
import { allAudit, api, boardWith, bootForTest, createCards, memoryLogger, must, openProvider, providerForTest, sleep, waitFor, waitForCards } from './harness.ts';

async function setup() {
  const log = memoryLogger();
  const { url } = await bootForTest({ logger: log.logger });
  const b = await boardWith(url, {
    D: { name: 'Dev Driver', role: 'driver' },
    H: { name: 'Hana Holder', role: 'driver' },
    R: { name: 'Rae Requester', role: 'requester' },
  });
  return { url, log, ...b, ...b.users };
}

const titles = (doc: import('yjs').Doc) => readCards(doc).map((c) => c.title).sort();

describe('deleting cards', () => {
  it("a driver's client cannot delete cards, whatever it sends; the rest of their edits land", async () => {
    const { url, log, boardId, coordinator, D, H } = await setup();
    const [held, open, bread] = (await createCards(url, boardId, coordinator, ['Held by Hana', 'Open soup', 'Bread'])) as [string, string, string];
    await must(url, H, boardId, held, 'claim');
    const watcher = providerForTest(url, boardId, coordinator);
    await waitFor(() => watcher.provider.synced, 5000, 'watcher synced');

    const driver = providerForTest(url, boardId, D);
    await waitFor(() => driver.provider.synced && cardMap(driver.doc, held) !== null, 5000, 'driver synced');
    driver.doc.transact(() => {
      setCardField(driver.doc, open, 'notes', 'side door');
      deleteCard(driver.doc, held);
    });
    // The notes arrive; the held card stays, for connected and fresh clients alike.
    await waitFor(() => readCards(watcher.doc).find((c) => c.id === open)?.notes === 'side door', 5000, 'notes relayed');
    deleteCard(driver.doc, open);
    // A later edit from the same client builds on what the server took.
    setCardField(driver.doc, bread, 'items', ['2 crates']);
    await waitFor(() => readCards(watcher.doc).find((c) => c.id === bread)?.items[0] === '2 crates', 5000, 'later edit relayed');
    expect(titles(watcher.doc)).toEqual(['Bread', 'Held by Hana', 'Open soup']);
    await waitForCards(url, boardId, coordinator, [held, open]);

    // Hana still holds her card: no cancellation, no deletion in the audit trail.
    const bookings = providerForTest(url, `${boardId}/bookings`, coordinator);
    await waitFor(() => bookingsMap(bookings.doc).get(held)?.status === 'claimed', 5000, 'bookings synced');
    await sleep(200);
    expect(bookingsMap(bookings.doc).get(held)).toMatchObject({ status: 'claimed', driverId: H.id, byId: H.id });
    const actions = (await allAudit(url, coordinator, boardId, { cardId: held })).map((r) => r.action);
    expect(actions).not.toContain('card.deleted');
    expect(actions).not.toContain('booking.cancel');
    expect((await allAudit(url, coordinator, boardId, { cardId: open })).map((r) => r.action)).toEqual(['card.created']);
    // Logged as a security event (once a minute per member and board), and counted.
    const warned = log.entries().filter((e) => e.event === 'security.card_removal_refused');
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ userId: D.id, cardIds: [held], whole: false });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/dboard_sync_refused_card_removals_total 2\b/);
  });

  it('a requester may take back their own request, not anyone else’s; a coordinator may delete any', async () => {
    const { url, boardId, coordinator, R } = await setup();
    const [mine, mineToo] = (await createCards(url, boardId, R, ['My request', 'My other request'])) as [string, string];
    const [theirs, another] = (await createCards(url, boardId, coordinator, ['Coordinator card', 'Another'])) as [string, string];

    const requester = providerForTest(url, boardId, R);
    await waitFor(() => requester.provider.synced && cardMap(requester.doc, theirs) !== null, 5000, 'requester synced');
    requester.doc.transact(() => {
      deleteCard(requester.doc, mine);
      deleteCard(requester.doc, theirs);
    });
    await waitForCards(url, boardId, coordinator, [mine], false);
    await waitForCards(url, boardId, coordinator, [theirs]);
    expect((await allAudit(url, coordinator, boardId, { cardId: mine })).map((r) => [r.action, r.actorId]).reverse()).toEqual([
      ['card.created', R.id],
      ['card.deleted', R.id],
    ]);

    const coord = openProvider(url, boardId, coordinator);
    try {
      await waitFor(() => coord.provider.synced && cardMap(coord.doc, another) !== null, 5000, 'coordinator synced');
      coord.doc.transact(() => {
        deleteCard(coord.doc, another);
        deleteCard(coord.doc, mineToo);
      });
      await waitForCards(url, boardId, coordinator, [another, mineToo], false);
    } finally {
      coord.destroy();
    }
    const fresh = openProvider(url, boardId, coordinator);
    try {
      await waitFor(() => fresh.provider.synced, 5000, 'fresh synced');
      expect(titles(fresh.doc)).toEqual(['Coordinator card']);
      expect(boardRoots(fresh.doc).comments.has(theirs)).toBe(true);
    } finally {
      fresh.destroy();
    }
  });

  it("a driver may remove their own comments, not anyone else's", async () => {
    const { url, boardId, coordinator, D } = await setup();
    const [card] = (await createCards(url, boardId, coordinator, ['Soup'])) as [string];
    const coord = providerForTest(url, boardId, coordinator);
    const driver = providerForTest(url, boardId, D);
    await waitFor(() => coord.provider.synced && driver.provider.synced && cardMap(driver.doc, card) !== null, 5000, 'both synced');
    addComment(coord.doc, card, { userId: coordinator.id, name: coordinator.name, text: 'Ring twice', at: 1 }, 'from-cora');
    addComment(driver.doc, card, { userId: D.id, name: D.name, text: 'Door code 4821', at: 2 }, 'from-dev');
    const ids = (doc: import('yjs').Doc) => (boardRoots(doc).comments.get(card)?.toArray() ?? []).map((c) => c.id);
    await waitFor(() => ids(driver.doc).length === 2 && ids(coord.doc).length === 2, 5000, 'both comments everywhere');
    deleteComment(driver.doc, card, 'from-cora');
    deleteComment(driver.doc, card, 'from-dev');
    await waitFor(() => ids(coord.doc).join() === 'from-cora', 5000, "the driver's own comment gone, the other kept");
    const fresh = openProvider(url, boardId, coordinator);
    try {
      await waitFor(() => fresh.provider.synced, 5000, 'fresh synced');
      expect(ids(fresh.doc)).toEqual(['from-cora']);
    } finally {
      fresh.destroy();
    }
  });

  it('a driver made requester is told to reconnect, and may then delete their own cards', async () => {
    const { url, boardId, coordinator, D } = await setup();
    const driver = providerForTest(url, boardId, D);
    const closes: number[] = [];
    driver.provider.on('connection-close', (e: { code: number } | null) => e && closes.push(e.code));
    await waitFor(() => driver.provider.synced, 5000, 'driver synced');
    expect((await api(url, coordinator, 'PATCH', `/api/boards/${boardId}/members/${D.id}`, { role: 'requester' })).status).toBe(200);
    await waitFor(() => closes.includes(CloseCode.roleChanged), 3000, 'role change close');
    await waitFor(() => driver.provider.synced && driver.provider.wsconnected, 5000, 'reconnected');
    const [own] = (await createCards(url, boardId, D, ['Now a request'])) as [string];
    await waitFor(() => cardMap(driver.doc, own) !== null, 5000, 'card seen');
    deleteCard(driver.doc, own);
    await waitForCards(url, boardId, coordinator, [own], false);
  });
});

describe('comment authors', () => {
  it('a comment in another member’s name is blanked, from any role; the rest of the update and later comments land', async () => {
    const { url, log, boardId, coordinator, D } = await setup();
    const [card, other] = (await createCards(url, boardId, coordinator, ['Soup', 'Bread'])) as [string, string];
    const coord = providerForTest(url, boardId, coordinator);
    const driver = providerForTest(url, boardId, D);
    await waitFor(() => coord.provider.synced && driver.provider.synced && cardMap(driver.doc, card) !== null, 5000, 'both synced');
    // What readers show: the list's comment objects (a blanked one is null).
    const texts = (doc: import('yjs').Doc) => (boardRoots(doc).comments.get(card)?.toArray() ?? []).flatMap((c) => (c ? [c.text] : []));
    const forgeries = () => log.entries().filter((e) => e.event === 'security.comment_author_forged');

    // The driver's client posts as the coordinator, with an edit in the same transaction.
    driver.doc.transact(() => {
      addComment(driver.doc, card, { userId: coordinator.id, name: coordinator.name, text: 'Leave it at the back door', at: 1 });
      setCardField(driver.doc, other, 'notes', 'sent along');
    });
    await waitFor(() => readCards(coord.doc).find((c) => c.id === other)?.notes === 'sent along', 5000, 'the rest of the update lands');
    // A coordinator may not post as someone else either.
    addComment(coord.doc, card, { userId: D.id, name: D.name, text: 'I will be late', at: 2 });
    await waitFor(() => forgeries().length === 2, 5000, 'both logged');

    // Honest comments from both land after them (each builds on its sender's blanked one).
    addComment(driver.doc, card, { userId: D.id, name: D.name, text: 'On my way', at: 3 });
    addComment(coord.doc, card, { userId: coordinator.id, name: coordinator.name, text: 'Thanks', at: 4 });
    await waitFor(() => texts(coord.doc).includes('On my way') && texts(driver.doc).includes('Thanks'), 5000, 'honest comments relayed');
    const fresh = openProvider(url, boardId, coordinator);
    try {
      await waitFor(() => fresh.provider.synced && texts(fresh.doc).length === 2, 5000, 'fresh client has the honest comments');
      expect(texts(fresh.doc).sort()).toEqual(['On my way', 'Thanks']);
      expect(readCards(fresh.doc).find((c) => c.id === other)?.notes).toBe('sent along');
    } finally {
      fresh.destroy();
    }
    // Nobody else ever saw the forged text.
    expect(texts(coord.doc)).not.toContain('Leave it at the back door');
    expect(texts(driver.doc)).not.toContain('I will be late');
    expect(forgeries().map((e) => [e.userId, e.claimedUserId])).toEqual([
      [D.id, coordinator.id],
      [coordinator.id, D.id],
    ]);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/^dboard_sync_forged_comments_total 2$/m);
  });
});

describe('card creators', () => {
  it("a card created in another member's name becomes its sender's, on every copy, the sender's too", async () => {
    const { url, log, boardId, coordinator, R } = await setup();
    const coord = providerForTest(url, boardId, coordinator);
    const requester = providerForTest(url, boardId, R);
    await waitFor(() => coord.provider.synced && requester.provider.synced, 5000, 'both synced');
    const creatorOf = (doc: import('yjs').Doc, id: string) => cardMap(doc, id)?.get('createdBy');

    // The requester's client posts a request "by" the coordinator.
    const id = createCard(requester.doc, { title: 'Not from Cora' }, coordinator.id);
    await waitFor(() => creatorOf(coord.doc, id) === R.id && creatorOf(requester.doc, id) === R.id, 5000, 'creator set everywhere');
    const fresh = openProvider(url, boardId, coordinator);
    try {
      await waitFor(() => fresh.provider.synced && cardMap(fresh.doc, id) !== null, 5000, 'fresh client synced');
      expect(creatorOf(fresh.doc, id)).toBe(R.id);
    } finally {
      fresh.destroy();
    }
    const created = (await allAudit(url, coordinator, boardId, { cardId: id })).filter((r) => r.action === 'card.created');
    expect(created.map((r) => r.actorId)).toEqual([R.id]);
    // It is the requester's own request: they may take it back.
    deleteCard(requester.doc, id);
    await waitFor(() => cardMap(coord.doc, id) === null, 5000, 'deletion relayed');

    const events = log.entries().filter((e) => e.event === 'security.card_creator_forged');
    expect(events.map((e) => [e.userId, e.claimedUserId])).toEqual([[R.id, coordinator.id]]);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/^dboard_sync_forged_card_creators_total 1$/m);
    // An honest card is left as it is, and not counted.
    const own = createCard(requester.doc, { title: 'Mine' }, R.id);
    await waitFor(() => creatorOf(coord.doc, own) === R.id, 5000, 'honest card relayed');
    expect(log.entries().filter((e) => e.event === 'security.card_creator_forged')).toHaveLength(1);
  });
});
