/**
 * Two replicas in one process, each with its own SyncServer and websocket port, sharing one
 * database and the local Redis: stock y-websocket clients on different replicas edit one board.
 */
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { join } from 'node:path';
import * as Y from 'yjs';
import { Redis } from 'ioredis';
import { boardRoots, createCard, readCards, setCardField } from '@delivery-board/schema/boardDoc';
import { CloseCode } from '@delivery-board/schema/types';
import { addMember, api, connectClient, createBoard, registerUser, tempDir, waitFor, waitSynced } from '../helpers.ts';
import { decodeRelayMessage } from '../../src/relay/messages.ts';
import type { Booking } from '@delivery-board/schema/bookings';
import { bookingsMap } from '../../src/bookings/bookingService.ts';
import { createSqliteStores } from '../../src/stores/sqlite/createSqliteStores.ts';
import { createCards } from '../bookings/harness.ts';
import { openSqlite } from '../../src/db/sqlite.ts';
import { createSqliteDocumentStore } from '../../src/stores/sqlite/documentStore.ts';
import { REDIS_URL, awarenessNames, cardTitles, requireRedis, startReplica, testPrefix, type ReplicaOptions } from './harness.ts';

async function twoReplicas(opts: Partial<ReplicaOptions> = {}) {
  const dbFile = join(tempDir(), 'shared.sqlite');
  const prefix = testPrefix();
  const a = await startReplica({ dbFile, prefix, ...opts });
  const b = await startReplica({ dbFile, prefix, ...opts });
  const owner = await registerUser(a.url, 'Olive Owner');
  const boardId = await createBoard(a.url, owner);
  return { a, b, owner, boardId, prefix, dbFile };
}

beforeAll(() => requireRedis());

describe('relay between replicas', () => {
  it('clients on different replicas converge, awareness included, and a leaver disappears at once', async () => {
    const { a, b, owner, boardId } = await twoReplicas();
    const [ann, ben] = await Promise.all([registerUser(a.url, 'Ann'), registerUser(b.url, 'Ben')]);
    await Promise.all([addMember(a.url, owner, boardId, ann, 'coordinator'), addMember(a.url, owner, boardId, ben, 'driver')]);
    const ca = connectClient(a.url, boardId, ann);
    const cb = connectClient(b.url, boardId, ben);
    await Promise.all([waitSynced(ca), waitSynced(cb)]);

    const id = createCard(ca.doc, { title: 'Soup to Elm St' }, ann.id);
    createCard(cb.doc, { title: 'Bread to Oak Ave' }, ben.id);
    await waitFor(() => boardRoots(cb.doc).cards.has(id), 2000, 'card relayed to B');
    setCardField(cb.doc, id, 'notes', 'ring twice');
    await waitFor(() => readCards(ca.doc).find((c) => c.id === id)?.notes === 'ring twice', 2000, 'notes relayed to A');
    await waitFor(() => cardTitles(ca.doc).length === 2 && cardTitles(cb.doc).length === 2, 2000, 'both cards everywhere');
    expect(Y.encodeStateAsUpdate(ca.doc)).toEqual(Y.encodeStateAsUpdate(cb.doc));

    // Each replica stamps its own clients' states with who they are (presenceIdentity.ts); the
    // other one passes them on as relayed.
    ca.provider.awareness.setLocalStateField('user', { name: 'Ann' });
    cb.provider.awareness.setLocalStateField('user', { name: 'Ben' });
    await waitFor(() => awarenessNames(ca).join() === 'Ann,Ben' && awarenessNames(cb).join() === 'Ann,Ben', 2000, 'awareness across replicas');
    expect(cb.provider.awareness.getStates().get(ca.doc.clientID)).toEqual({ user: { id: ann.id, name: 'Ann', role: 'coordinator' } });
    expect(ca.provider.awareness.getStates().get(cb.doc.clientID)).toEqual({ user: { id: ben.id, name: 'Ben', role: 'driver' } });

    // A client joining B later sees both documents' content and A's client at once (not after a renewal).
    const late = connectClient(b.url, boardId, owner);
    await waitSynced(late);
    expect(cardTitles(late.doc)).toEqual(['Bread to Oak Ave', 'Soup to Elm St']);
    await waitFor(() => awarenessNames(late).join() === 'Ann,Ben', 1000, 'late joiner sees awareness');

    // Ann leaves A: B's clients see her go now, not after the 30 s awareness timeout.
    ca.provider.destroy();
    await waitFor(() => awarenessNames(cb).join() === 'Ben', 2000, 'leaver removed on B');
    expect(cb.closes).toEqual([]);
  });

  it('what the relay applied is neither stored again nor published again: only the replica that stored an update publishes it', async () => {
    const { a, b, owner, boardId, prefix } = await twoReplicas();
    // Count who publishes updates on the board's channel (awareness queries and states aside).
    const spy = new Redis(REDIS_URL);
    onTestFinished(() => spy.disconnect());
    const senders: string[] = [];
    spy.on('messageBuffer', (_ch: Buffer, msg: Buffer) => {
      const m = decodeRelayMessage(new Uint8Array(msg));
      if (m.kind === 'updates') senders.push(m.from);
    });
    await spy.subscribe(`${prefix}doc:${boardId}`);

    const ca = connectClient(a.url, boardId, owner);
    const cb = connectClient(b.url, boardId, owner);
    await Promise.all([waitSynced(ca), waitSynced(cb)]);
    const updatesBefore = senders.length;
    for (let i = 0; i < 20; i++) createCard(ca.doc, { title: `card ${i}` }, owner.id);
    await waitFor(() => cardTitles(cb.doc).length === 20, 2000, 'all cards on B');
    await new Promise((r) => setTimeout(r, 200));
    expect(a.appends.get(boardId)).toBeGreaterThanOrEqual(1);
    expect(b.appends.get(boardId) ?? 0).toBe(0);
    const published = senders.slice(updatesBefore);
    expect(published.length).toBeGreaterThan(0);
    expect(new Set(published)).toEqual(new Set([a.relay.replicaId]));
    // B's document equals the database: it has A's updates, applied once.
    expect(Y.encodeStateVector(cb.doc)).toEqual(Y.encodeStateVector(ca.doc));
  });

  it('removing a member on A closes their socket on B (4403); demoting on A reaches B (4001)', async () => {
    const { a, b, owner, boardId } = await twoReplicas();
    const driver = await registerUser(a.url, 'Dora Driver');
    const requester = await registerUser(a.url, 'Rita Requester');
    await addMember(a.url, owner, boardId, driver, 'driver');
    await addMember(a.url, owner, boardId, requester, 'requester');
    const d = connectClient(b.url, boardId, driver);
    const r = connectClient(b.url, boardId, requester);
    const o = connectClient(b.url, boardId, owner);
    await Promise.all([waitSynced(d), waitSynced(r), waitSynced(o)]);

    const removedAt = Date.now();
    expect((await api(a.url, owner, 'DELETE', `/api/boards/${boardId}/members/${driver.id}`)).status).toBe(204);
    await waitFor(() => d.closes.some((c) => c.code === CloseCode.forbidden), 1000, 'removed member closed on B');
    expect(Date.now() - removedAt).toBeLessThan(1000);

    expect((await api(a.url, owner, 'PATCH', `/api/boards/${boardId}/members/${requester.id}`, { role: 'viewer' })).status).toBe(200);
    await waitFor(() => r.closes.some((c) => c.code === CloseCode.roleChanged), 1000, 'role change on B');
    await waitFor(() => r.provider.synced && r.provider.wsconnected, 3000, 'reconnected as viewer');
    createCard(r.doc, { title: 'after demotion' }, requester.id);
    createCard(o.doc, { title: 'owner marker' }, owner.id);
    await waitFor(() => cardTitles(r.doc).includes('owner marker'));
    await new Promise((res) => setTimeout(res, 200));
    expect(cardTitles(o.doc)).toEqual(['owner marker']);
    expect(o.closes).toEqual([]);
  });

  it('an update stored but never published (its replica died first) reaches every replica by the periodic catch-up', async () => {
    const { a, b, owner, boardId } = await twoReplicas({ catchUpMs: 200 });
    const ca = connectClient(a.url, boardId, owner);
    const cb = connectClient(b.url, boardId, owner);
    await Promise.all([waitSynced(ca), waitSynced(cb)]);
    createCard(ca.doc, { title: 'through the relay' }, owner.id);
    await waitFor(() => cardTitles(cb.doc).length === 1, 2000);

    // A third writer that stores and never publishes: straight into the shared log.
    const ghost = new Y.Doc();
    Y.applyUpdate(ghost, Y.encodeStateAsUpdate(ca.doc));
    const before = Y.encodeStateVector(ghost);
    createCard(ghost, { title: 'from a replica that died' }, owner.id);
    await a.documents.append(boardId, [Y.encodeStateAsUpdate(ghost, before)]);

    await waitFor(() => cardTitles(ca.doc).length === 2 && cardTitles(cb.doc).length === 2, 2000, 'caught up on both');
    expect(ca.closes).toEqual([]);
    expect(cb.closes).toEqual([]);
  });

  it('a replica that missed updates another replica has since compacted catches up through the snapshot', async () => {
    const { a, b, owner, boardId } = await twoReplicas({ catchUpMs: 200 });
    const cb = connectClient(b.url, boardId, owner);
    await waitSynced(cb);
    const ca = connectClient(a.url, boardId, owner);
    await waitSynced(ca);

    // Unpublished writes, then a compaction past them: B's next read gets the snapshot.
    const ghost = new Y.Doc();
    const stored = await a.documents.load(boardId);
    if (stored.snapshot) Y.applyUpdate(ghost, stored.snapshot);
    for (const u of stored.updates) Y.applyUpdate(ghost, u);
    let last = 0;
    for (let i = 0; i < 5; i++) {
      const sv = Y.encodeStateVector(ghost);
      createCard(ghost, { title: `ghost ${i}` }, owner.id);
      [last] = await a.documents.append(boardId, [Y.encodeStateAsUpdate(ghost, sv)]);
    }
    await a.documents.compact(boardId, Y.encodeStateAsUpdate(ghost), last);
    expect((await a.documents.load(boardId)).updates).toEqual([]);

    await waitFor(() => cardTitles(cb.doc).length === 5 && cardTitles(ca.doc).length === 5, 2000, 'caught up through the snapshot');
  });

  it('compaction with two writers never drops what this replica had not seen', async () => {
    // Tiny compaction threshold: both replicas compact while the other writes.
    const { a, b, owner, boardId, dbFile } = await twoReplicas({ compactEveryUpdates: 3, catchUpMs: 100_000 });
    const ca = connectClient(a.url, boardId, owner);
    const cb = connectClient(b.url, boardId, owner);
    await Promise.all([waitSynced(ca), waitSynced(cb)]);
    for (let i = 0; i < 30; i++) {
      createCard(i % 2 ? ca.doc : cb.doc, { title: `c${i}` }, owner.id);
      if (i % 5 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    await waitFor(() => cardTitles(ca.doc).length === 30 && cardTitles(cb.doc).length === 30, 3000, 'converged');
    await Promise.all([a.close(), b.close()]);
    // The database alone (snapshot + tail) holds every card.
    const db = openSqlite(dbFile);
    const stored = await createSqliteDocumentStore(db.db).load(boardId);
    db.close();
    expect(stored.snapshot).not.toBeNull();
    const restored = new Y.Doc();
    Y.applyUpdate(restored, stored.snapshot!);
    for (const u of stored.updates) Y.applyUpdate(restored, u);
    expect(cardTitles(restored)).toEqual(cardTitles(ca.doc));
  });

  it('graceful shutdown of one replica publishes everything it stored; its client fails over and loses nothing', async () => {
    // No periodic catch-up: only the relay can bring A's last updates to B.
    const { a, b, owner, boardId } = await twoReplicas({ catchUpMs: 100_000 });
    const ca = connectClient(a.url, boardId, owner);
    const cb = connectClient(b.url, boardId, owner);
    await Promise.all([waitSynced(ca), waitSynced(cb)]);
    let i = 0;
    const writer = setInterval(() => createCard(ca.doc, { title: `w${i++}` }, owner.id), 2);
    await new Promise((r) => setTimeout(r, 150));
    await a.close();
    clearInterval(writer);
    // Everything A stored reached B before A's relay closed.
    const stored = await b.documents.load(boardId);
    const db = new Y.Doc();
    for (const u of [stored.snapshot, ...stored.updates]) if (u) Y.applyUpdate(db, u);
    await waitFor(() => cardTitles(cb.doc).length === cardTitles(db).length, 1000, 'B has what A stored');
    await waitFor(() => ca.closes.some((c) => c.code === CloseCode.goingAway), 1000, 'A closed its sockets with 1012');

    // The client moves to B (what a load balancer does) and sends what A never stored.
    ca.provider.destroy();
    const moved = connectClient(b.url, boardId, owner, { doc: ca.doc });
    await waitSynced(moved);
    await waitFor(() => cardTitles(cb.doc).length === i, 2000, 'every edit the client made is on B');
    expect(cardTitles(cb.doc)).toEqual(cardTitles(ca.doc));
  });

  it('a booking committed by a replica that died before writing the document appears in loaded bookings documents', async () => {
    const { a, b, owner, boardId, dbFile } = await twoReplicas({ reconcileMs: 300 });
    const driver = await registerUser(a.url, 'Dan Driver');
    await addMember(a.url, owner, boardId, driver, 'driver');
    const [cardId] = await createCards(a.url, boardId, owner, ['orphan claim']);
    const onA = connectClient(a.url, `${boardId}/bookings`, owner);
    const onB = connectClient(b.url, `${boardId}/bookings`, owner);
    await Promise.all([waitSynced(onA), waitSynced(onB)]);

    // The dead replica's last act: the transaction commits, the document write never happens.
    const db = openSqlite(dbFile);
    onTestFinished(() => db.close());
    const outcome = await createSqliteStores(db.db).bookings.transition({
      boardId,
      cardId: cardId!,
      action: 'claim',
      intentId: 'orphan-intent',
      actor: { userId: driver.id, name: driver.name, role: 'driver' },
      note: null,
      cardCreatedBy: null,
      now: Date.now(),
    });
    expect(outcome.httpStatus).toBe(200);
    const shows = (c: typeof onA) => (bookingsMap(c.doc).get(cardId!) as Booking | undefined)?.driverId === driver.id;
    await waitFor(() => shows(onA) && shows(onB), 2000, 'reconciled into both documents');
  });
});
