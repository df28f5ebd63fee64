import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { boardRoots, cardMap, createCard, readCards, setCardField } from '@delivery-board/schema/boardDoc';
import { watchCardCreators } from '../src/sync/cardCreators.ts';
import type { ConnectionInfo, TransactionOrigin } from '../src/sync/types.ts';

const as = (userId: string): TransactionOrigin => ({ type: 'connection', conn: { info: { userId } as ConnectionInfo } });

/** A watched server document and a client; `send` applies what the client did since the last send (or `update`). */
function setup() {
  const server = new Y.Doc();
  const forged: Array<[string, unknown]> = [];
  watchCardCreators(server, (info, claimed) => forged.push([info.userId, claimed]));
  const serverUpdates: Array<{ update: Uint8Array; origin: TransactionOrigin }> = [];
  server.on('update', (update: Uint8Array, origin: TransactionOrigin) => serverUpdates.push({ update, origin }));
  const client = new Y.Doc();
  let sent = Y.encodeStateVector(client);
  const send = (origin: TransactionOrigin, update = Y.encodeStateAsUpdate(client, sent)) => {
    sent = Y.encodeStateVector(client);
    Y.applyUpdate(server, update, origin);
  };
  const creatorOf = (doc: Y.Doc, id: string) => cardMap(doc, id)?.get('createdBy');
  return { server, client, forged, serverUpdates, send, creatorOf };
}

describe('watchCardCreators', () => {
  it("leaves a member's own cards and other edits alone", () => {
    const { server, client, forged, serverUpdates, send, creatorOf } = setup();
    const id = createCard(client, { title: 'Soup' }, 'u-sam');
    send(as('u-sam'));
    setCardField(client, id, 'notes', 'ring twice');
    send(as('u-sam'));
    expect(creatorOf(server, id)).toBe('u-sam');
    expect(forged).toEqual([]);
    expect(serverUpdates.map((u) => u.origin.type)).toEqual(['connection', 'connection']);
  });

  it("sets the creator of a card made in another member's name, or none, in a server transaction right after", () => {
    const { server, client, forged, serverUpdates, send, creatorOf } = setup();
    const [a, b] = client.transact(() => [createCard(client, { title: 'As Cora' }, 'u-cora'), createCard(client, { title: 'Mine' }, 'u-sam')]);
    const bare = new Y.Map<unknown>();
    bare.set('title', 'No creator');
    boardRoots(client).cards.set('bare', bare);
    send(as('u-sam'));
    expect([creatorOf(server, a!), creatorOf(server, b!), creatorOf(server, 'bare')]).toEqual(['u-sam', 'u-sam', 'u-sam']);
    expect(forged).toEqual([
      ['u-sam', 'u-cora'],
      ['u-sam', undefined],
    ]);
    // The member's update, then the correction: stored and sent in that order, to everyone.
    expect(serverUpdates.map((u) => u.origin.type)).toEqual(['connection', 'server']);
    // Any copy that gets both (the sender's included) converges on the correction.
    const copy = new Y.Doc();
    for (const { update } of serverUpdates) Y.applyUpdate(copy, update);
    expect(readCards(copy).map((c) => c.createdBy)).toEqual(['u-sam', 'u-sam', 'u-sam']);
    Y.applyUpdate(client, serverUpdates[1]!.update);
    expect(creatorOf(client, a!)).toBe('u-sam');
  });

  it('reads the card as it integrated: a creator set twice in one batch, or a card held back for a missing struct', () => {
    const { server, client, forged, send, creatorOf } = setup();
    const twice = client.transact(() => {
      const id = createCard(client, { title: 'Twice' }, 'u-sam');
      cardMap(client, id)!.set('createdBy', 'u-cora');
      return id;
    });
    send(as('u-sam'));
    expect(creatorOf(server, twice)).toBe('u-sam');

    // An edit that has not reached the server, then a card made as Cora, which waits for it.
    const before = Y.encodeStateVector(client);
    setCardField(client, twice, 'notes', 'first');
    const edit = Y.encodeStateAsUpdate(client, before);
    const afterEdit = Y.encodeStateVector(client);
    const late = createCard(client, { title: 'Late' }, 'u-cora');
    send(as('u-sam'), Y.encodeStateAsUpdate(client, afterEdit));
    expect(cardMap(server, late)).toBeNull();
    expect(server.store.pendingStructs).not.toBeNull();
    send(as('u-sam'), edit);
    expect(creatorOf(server, late)).toBe('u-sam');
    expect(forged.map(([, claimed]) => claimed)).toEqual(['u-cora', 'u-cora']);
  });

  it('ignores cards that arrive from the database or another replica, and creators set anew on cards it holds', () => {
    const { server, client, forged, send, creatorOf } = setup();
    const loaded = createCard(client, { title: 'Stored' }, 'u-cora');
    send({ type: 'load' });
    const relayed = createCard(client, { title: 'Relayed' }, 'u-cora');
    send({ type: 'relay' });
    // Rewriting an existing card's creator is refused to drivers and requesters before it gets
    // here (cardRemovals.ts) and allowed to coordinators.
    cardMap(client, loaded)!.set('createdBy', 'u-dev');
    send(as('u-coord'));
    expect([creatorOf(server, loaded), creatorOf(server, relayed)]).toEqual(['u-dev', 'u-cora']);
    expect(forged).toEqual([]);
  });
});
