import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addComment, boardRoots, cardMap, createCard, setCardField } from '@delivery-board/schema/boardDoc';
import { checkCommentAuthors } from '../src/sync/commentAuthors.ts';

/** A server document with one card, and a client synced with it; `edit` returns the client's update. */
function pair() {
  const server = new Y.Doc();
  const card = createCard(server, { title: 'Soup', tags: ['hot'] }, 'coord');
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  const edit = (fn: () => void) => {
    const before = Y.encodeStateVector(client);
    client.transact(fn);
    return Y.encodeStateAsUpdate(client, before);
  };
  return { server, client, card, edit };
}

const SAM = { id: 'u-sam', name: 'Sam' };
const check = (server: Y.Doc, update: Uint8Array, as = SAM) => checkCommentAuthors(server, Y.decodeUpdate(update), as.id, as.name);
const comments = (doc: Y.Doc, card: string) => boardRoots(doc).comments.get(card)?.toArray() ?? [];

describe('checkCommentAuthors', () => {
  it("passes the sender's own comments and edits that carry no comment", () => {
    const { server, client, card, edit } = pair();
    const own = edit(() => {
      addComment(client, card, { userId: SAM.id, name: SAM.name, text: 'On my way', at: 1 });
      addComment(client, card, { userId: SAM.id, name: SAM.name, text: 'Door code 4821', at: 2 });
    });
    expect(check(server, own)).toEqual({ kind: 'ok' });
    const fields = edit(() => {
      setCardField(client, card, 'tags', ['hot', 'heavy']);
      setCardField(client, card, 'notes', 'ring twice');
    });
    expect(check(server, fields)).toEqual({ kind: 'ok' });
  });

  it('blanks a comment in another member’s name, or with their id or name, and keeps the rest of the update', () => {
    const { server, client, card, edit } = pair();
    const asCoordinator = edit(() => {
      addComment(client, card, { userId: 'coord', name: 'Cora', text: 'Leave it at the back door', at: 1 });
      setCardField(client, card, 'notes', 'side door');
    });
    const result = check(server, asCoordinator);
    expect(result).toMatchObject({ kind: 'blanked', count: 1, claimed: { userId: 'coord', name: 'Cora' } });
    if (result.kind !== 'blanked') return;
    Y.applyUpdate(server, result.update);
    expect(comments(server, card)).toEqual([null]);
    expect(cardMap(server, card)?.get('notes')?.toString()).toBe('side door');
    // The sender's next comment builds on the blanked item (its left neighbour): it integrates.
    const next = edit(() => addComment(client, card, { userId: SAM.id, name: SAM.name, text: 'On my way', at: 2 }));
    expect(check(server, next)).toEqual({ kind: 'ok' });
    Y.applyUpdate(server, next);
    expect(server.store.pendingStructs).toBeNull();
    expect(comments(server, card).map((c) => c?.text ?? null)).toEqual([null, 'On my way']);

    expect(check(server, edit(() => addComment(client, card, { userId: 'coord', name: SAM.name, text: 'x', at: 3 })))).toMatchObject({ kind: 'blanked' });
    expect(check(server, edit(() => addComment(client, card, { userId: SAM.id, name: 'Cora', text: 'x', at: 4 })))).toMatchObject({ kind: 'blanked' });
  });

  it('looks at every value of an item, wherever it is put, however it is encoded', () => {
    const { server, client, card, edit } = pair();
    // One item holding an honest comment and then a forged one.
    const batch = edit(() => boardRoots(client).comments.get(card)!.push([
      { id: 'a', userId: SAM.id, name: SAM.name, text: 'mine', at: 1 },
      { id: 'b', userId: 'coord', name: 'Cora', text: 'not mine', at: 2 },
    ]));
    const result = check(server, batch);
    expect(result).toMatchObject({ kind: 'blanked', count: 1 });
    if (result.kind !== 'blanked') return;
    Y.applyUpdate(server, result.update);
    expect(comments(server, card).map((c) => c?.id ?? null)).toEqual(['a', null]);
    // Outside a comments list (a reader would not show it there, but it is no one's to claim).
    const elsewhere = edit(() => boardRoots(client).meta.set('note', { userId: 'coord', name: 'Cora' }));
    expect(check(server, elsewhere)).toMatchObject({ kind: 'blanked' });
    // The legacy JSON content type reads back as the same plain objects.
    const json = edit(() => addComment(client, card, { userId: SAM.id, name: SAM.name, text: 'x', at: 3 }));
    const parsed = Y.decodeUpdate(json);
    const item = parsed.structs.find((s) => s instanceof Y.Item && s.content instanceof Y.ContentAny) as Y.Item;
    item.content = new Y.ContentJSON([{ id: 'c', userId: 'coord', name: 'Cora', text: 'old', at: 3 }]);
    expect(checkCommentAuthors(server, parsed, SAM.id, SAM.name)).toMatchObject({ kind: 'blanked' });
  });

  it('does not judge values the server already holds (a reconnecting client re-sends overlapping items)', () => {
    const { server, client, card, edit } = pair();
    // Cora's comment reached Sam's device earlier (through the server); Sam then adds his own.
    const cora = new Y.Doc();
    Y.applyUpdate(cora, Y.encodeStateAsUpdate(server));
    addComment(cora, card, { userId: 'coord', name: 'Cora', text: 'Ring twice', at: 1 });
    Y.applyUpdate(server, Y.encodeStateAsUpdate(cora));
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
    edit(() => addComment(client, card, { userId: SAM.id, name: SAM.name, text: 'OK', at: 2 }));
    // Sam's whole state, as a sync step 2 against an empty state vector would carry it.
    expect(check(server, Y.encodeStateAsUpdate(client))).toEqual({ kind: 'ok' });
    // What the server lacks of it is Sam's only.
    expect(check(server, Y.encodeStateAsUpdate(client, Y.encodeStateVector(server)))).toEqual({ kind: 'ok' });
  });
});
