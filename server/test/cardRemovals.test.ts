import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { addComment, boardRoots, cardMap, createCard, deleteCard, deleteComment, readCards, setCardField, type CommentData } from '@delivery-board/schema/boardDoc';
import { checkCardRemovals } from '../src/sync/cardRemovals.ts';

/** A server document and a client synced with it; `edit` runs on the client, its update is returned. */
function pair() {
  const server = new Y.Doc();
  const client = new Y.Doc();
  const sync = () => {
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
  };
  const edit = (fn: () => void) => {
    const updates: Uint8Array[] = [];
    const onUpdate = (u: Uint8Array) => updates.push(u);
    client.on('update', onUpdate);
    client.transact(fn);
    client.off('update', onUpdate);
    return updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
  };
  return { server, client, sync, edit };
}

const nobody = () => false;
const titles = (doc: Y.Doc) => readCards(doc).map((c) => c.title).sort();

describe('checkCardRemovals', () => {
  it('passes an update that deletes no card, and one whose deletions are allowed', () => {
    const { server, client, sync, edit } = pair();
    const id = createCard(server, { title: 'Bread' }, 'u1');
    sync();
    const fieldEdit = edit(() => setCardField(client, id, 'title', 'Bread and milk'));
    expect(checkCardRemovals(server, fieldEdit, Y.decodeUpdate(fieldEdit), nobody)).toEqual({ kind: 'ok' });
    const removal = edit(() => deleteCard(client, id));
    const asked: string[] = [];
    const check = checkCardRemovals(server, removal, Y.decodeUpdate(removal), (cardId) => (asked.push(cardId), true));
    expect(check).toEqual({ kind: 'ok' });
    expect(asked).toContain(id);
  });

  it('cuts a forbidden deletion out and keeps the rest of the same update', () => {
    const { server, client, sync, edit } = pair();
    const kept = createCard(server, { title: 'Held by Dora' }, 'coord');
    const other = createCard(server, { title: 'Soup' }, 'coord');
    const own = createCard(server, { title: 'Mine' }, 'req');
    sync();
    const update = edit(() => {
      setCardField(client, other, 'notes', 'ring twice');
      deleteCard(client, kept);
      deleteCard(client, own);
      createCard(client, { title: 'New one' }, 'req');
    });
    const check = checkCardRemovals(server, update, Y.decodeUpdate(update), (cardId, card) => card?.get('createdBy') === 'req' && cardId === own);
    expect(check.kind).toBe('stripped');
    if (check.kind !== 'stripped') return;
    expect(check.cardIds).toEqual([kept]);
    Y.applyUpdate(server, check.update);
    expect(titles(server)).toEqual(['Held by Dora', 'New one', 'Soup']);
    expect(cardMap(server, other)!.get('notes')!.toString()).toBe('ring twice');
    // The card's comments stay with it.
    expect(boardRoots(server).comments.has(kept)).toBe(true);
    expect(boardRoots(server).comments.has(own)).toBe(false);
    // The client's later edits build on what the server took: nothing is left pending.
    const later = edit(() => setCardField(client, other, 'title', 'Soup (2 pots)'));
    Y.applyUpdate(server, later);
    expect(server.store.pendingStructs).toBeNull();
    expect(titles(server)).toContain('Soup (2 pots)');
  });

  it('strips a forbidden deletion carried in an offline batch (a merged sync step 2)', () => {
    const { server, client, sync, edit } = pair();
    const ids = ['a', 'b', 'c'].map((t) => createCard(server, { title: t }, 'coord'));
    sync();
    const offline = [
      edit(() => setCardField(client, ids[0]!, 'title', 'a2')),
      edit(() => deleteCard(client, ids[1]!)),
      edit(() => createCard(client, { title: 'd' }, 'driver')),
    ];
    // What the client sends on reconnect: everything the server lacks, its whole delete set included.
    const step2 = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
    expect(Y.mergeUpdates(offline).byteLength).toBeGreaterThan(0);
    const check = checkCardRemovals(server, step2, Y.decodeUpdate(step2), nobody);
    expect(check.kind).toBe('stripped');
    if (check.kind !== 'stripped') return;
    Y.applyUpdate(server, check.update);
    expect(titles(server)).toEqual(['a2', 'b', 'c', 'd']);
  });

  it('refuses an update that sets a new value under an existing card', () => {
    const { server, client, sync, edit } = pair();
    const id = createCard(server, { title: 'Held' }, 'coord');
    sync();
    const replace = edit(() => boardRoots(client).cards.set(id, new Y.Map()));
    expect(checkCardRemovals(server, replace, Y.decodeUpdate(replace), nobody)).toEqual({ kind: 'refused', cardIds: [id] });
    // The same from a client that never saw the card (no neighbour: it names the root and key).
    const stranger = new Y.Doc();
    const forged: Uint8Array[] = [];
    stranger.on('update', (u: Uint8Array) => forged.push(u));
    boardRoots(stranger).cards.set(id, 'gone');
    expect(checkCardRemovals(server, forged[0]!, Y.decodeUpdate(forged[0]!), nobody)).toEqual({ kind: 'refused', cardIds: [id] });
    // Allowed for whoever may delete the card.
    expect(checkCardRemovals(server, replace, Y.decodeUpdate(replace), () => true)).toEqual({ kind: 'ok' });
  });

  it('refuses an update that rewrites who created a card its sender may not delete', () => {
    const { server, client, sync, edit } = pair();
    const theirs = createCard(server, { title: 'Coordinator card' }, 'coord');
    const mine = createCard(server, { title: 'My request' }, 'req');
    boardRoots(server).cards.set('bare', new Y.Map()); // a card with no createdBy yet
    sync();
    const ownOnly = (_id: string, card: Y.Map<unknown> | null) => !card || card.get('createdBy') === 'req';
    const takeOver = edit(() => cardMap(client, theirs)!.set('createdBy', 'req'));
    expect(checkCardRemovals(server, takeOver, Y.decodeUpdate(takeOver), ownOnly)).toEqual({ kind: 'refused', cardIds: [theirs] });
    const claimBare = edit(() => cardMap(client, 'bare')!.set('createdBy', 'req'));
    expect(checkCardRemovals(server, claimBare, Y.decodeUpdate(claimBare), ownOnly)).toEqual({ kind: 'refused', cardIds: ['bare'] });
    // Other fields of that card, and createdBy of one's own card, are ordinary edits.
    const edits = edit(() => {
      cardMap(client, theirs)!.set('priority', 'high');
      cardMap(client, mine)!.set('createdBy', 'req');
    });
    expect(checkCardRemovals(server, edits, Y.decodeUpdate(edits), ownOnly)).toEqual({ kind: 'ok' });
  });

  it('cuts by range ends: a delete set claiming 2^40 clocks is handled at once', () => {
    const server = new Y.Doc();
    const held = createCard(server, { title: 'Held', notes: 'gate code 4821' }, 'coord');
    createCard(server, { title: 'Open' }, 'coord');
    // No structs, one delete range over everything the server's client id ever wrote and more.
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, server.clientID);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 2 ** 40);
    const update = encoding.toUint8Array(e);
    // Clock by clock, this would not end before the test times out.
    const check = checkCardRemovals(server, update, Y.decodeUpdate(update), (id) => id !== held);
    expect(check.kind).toBe('stripped');
    if (check.kind !== 'stripped') return;
    Y.applyUpdate(server, check.update);
    expect(readCards(server)).toMatchObject([{ id: held, title: 'Held', notes: 'gate code 4821' }]);
  });

  it("cuts out the removal of someone else's comment, keeps the removal of one's own", () => {
    const { server, client, sync, edit } = pair();
    const id = createCard(server, { title: 'Soup' }, 'coord');
    // One transaction, so both comments sit in one Yjs item: the check goes comment by comment.
    server.transact(() => {
      addComment(server, id, { userId: 'rae', name: 'Rae', text: 'Ring twice', at: 1 }, 'c1');
      addComment(server, id, { userId: 'dev', name: 'Dev', text: 'Door code 4821', at: 2 }, 'c2');
    });
    addComment(server, id, { userId: 'dev', name: 'Dev', text: 'On my way', at: 3 }, 'c3');
    sync();
    const update = edit(() => {
      deleteComment(client, id, 'c1');
      deleteComment(client, id, 'c2');
      deleteComment(client, id, 'c3');
    });
    const devOnly = (c: unknown) => (c as CommentData).userId === 'dev';
    const check = checkCardRemovals(server, update, Y.decodeUpdate(update), () => true, devOnly);
    expect(check).toMatchObject({ kind: 'stripped', cardIds: [id] });
    if (check.kind !== 'stripped') return;
    Y.applyUpdate(server, check.update);
    expect(boardRoots(server).comments.get(id)!.toArray().map((c) => c.id)).toEqual(['c1']);
    // Allowed everywhere: nothing to cut.
    expect(checkCardRemovals(server, update, Y.decodeUpdate(update), () => true, () => true)).toEqual({ kind: 'ok' });
  });

  it('refuses the whole update when its delete set is not written the way Yjs writes it', () => {
    const { server, client, sync, edit } = pair();
    const id = createCard(server, { title: 'Held' }, 'coord');
    sync();
    const update = edit(() => deleteCard(client, id));
    // The same update with one trailing byte after the delete set: it decodes, but its tail is not
    // the delete set, so where the structs end is not known.
    const odd = new Uint8Array(update.byteLength + 1);
    odd.set(update);
    expect(checkCardRemovals(server, odd, Y.decodeUpdate(odd), nobody).kind).toBe('refused');
  });

  it('lets anyone allowed to write clear an entry that is no card', () => {
    const { server, client, sync, edit } = pair();
    boardRoots(server).cards.set('junk', 42);
    boardRoots(server).comments.set('orphan', new Y.Array<CommentData>());
    sync();
    const update = edit(() => {
      boardRoots(client).cards.delete('junk');
      boardRoots(client).comments.delete('orphan');
    });
    const check = checkCardRemovals(server, update, Y.decodeUpdate(update), (_id, card) => card === null);
    expect(check).toEqual({ kind: 'ok' });
  });
});
