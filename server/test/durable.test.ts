/** The opt-in durable-state message: what the server reports as stored is in the database. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { createCard, readCards } from '@delivery-board/schema/boardDoc';
import { openSqlite } from '../src/db/sqlite.ts';
import { createSqliteDocumentStore } from '../src/stores/sqlite/documentStore.ts';
import { connectClient, createBoard, registerUser, startTestServer, tempDir, waitFor, waitSynced } from './helpers.ts';

describe('durable-state notices', () => {
  it('a subscribed client learns what is stored, and it really is stored; others get nothing', async () => {
    const dataDir = tempDir();
    const server = await startTestServer(dataDir);
    const owner = await registerUser(server.url, 'Dee Durable');
    const boardId = await createBoard(server.url, owner);
    const a = connectClient(server.url, boardId, owner);
    const stock = connectClient(server.url, boardId, owner);
    await Promise.all([waitSynced(a), waitSynced(stock)]);

    const db = openSqlite(join(dataDir, 'delivery-board.sqlite'));
    const store = createSqliteDocumentStore(db.db);
    const notices: { own: number; storedCards: number }[] = [];
    const pending: Promise<void>[] = [];
    // y-websocket dispatches by message type; 100 is ours.
    (a.provider.messageHandlers as unknown[])[100] = (_enc: unknown, decoder: decoding.Decoder) => {
      expect(decoding.readVarUint(decoder)).toBe(1);
      const sv = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
      const own = sv.get(a.doc.clientID) ?? 0;
      // Check the database at the moment of the notice.
      pending.push(
        store.load(boardId).then((stored) => {
          const d = new Y.Doc();
          if (stored.snapshot) Y.applyUpdate(d, stored.snapshot);
          for (const u of stored.updates) Y.applyUpdate(d, u);
          notices.push({ own, storedCards: readCards(d).length });
        }),
      );
    };
    const subscribe = encoding.createEncoder();
    encoding.writeVarUint(subscribe, 100);
    encoding.writeVarUint(subscribe, 0);
    a.provider.ws!.send(encoding.toUint8Array(subscribe));
    await waitFor(() => notices.length >= 1, 2000, 'first notice');
    expect(notices[0]).toEqual({ own: 0, storedCards: 0 });

    createCard(a.doc, { title: 'one' }, owner.id);
    createCard(a.doc, { title: 'two' }, owner.id);
    const ownClock = Y.decodeStateVector(Y.encodeStateVector(a.doc)).get(a.doc.clientID)!;
    await waitFor(() => notices.some((n) => n.own === ownClock), 2000, 'notice covering both cards');
    await Promise.all(pending);
    const last = notices.find((n) => n.own === ownClock)!;
    expect(last.storedCards).toBe(2);
    // The stock client never asked, so it got no type-100 message (it would log an error and
    // y-websocket would ignore it); it still syncs normally.
    await waitFor(() => readCards(stock.doc).length === 2);
    db.close();
  });
});
