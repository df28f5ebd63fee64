/**
 * Redis goes away and comes back (a private redis-server of this test, on its own port, killed by
 * pid): clients on two replicas keep editing throughout; once Redis is back every client converges
 * within 2 s, and no websocket client ever disconnects.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import * as Y from 'yjs';
import { createCard, readCards } from '@delivery-board/schema/boardDoc';
import type { Booking } from '@delivery-board/schema/bookings';
import { bookingsMap } from '../../src/bookings/bookingService.ts';
import { createCards, transition } from '../bookings/harness.ts';
import { addMember, api, connectClient, createBoard, registerUser, tempDir, waitFor, waitSynced, type TestClient } from '../helpers.ts';
import { requireRedis, startPrivateRedis, startReplica, testPrefix } from './harness.ts';

const cardTitles = (doc: Y.Doc) => readCards(doc).map((c) => c.title).sort();

/** Every status change of a provider; "disconnected" after the first "connected" means it dropped. */
function trackStatus(client: TestClient) {
  const statuses: string[] = [];
  client.provider.on('status', ({ status }: { status: string }) => statuses.push(status));
  return statuses;
}

beforeAll(() => requireRedis());

describe('Redis outage', () => {
  it('after Redis returns, replicas catch up from the database: all converge within 2 s, no client reconnects', async () => {
    const redis = await startPrivateRedis();
    const dbFile = join(tempDir(), 'shared.sqlite');
    const prefix = testPrefix();
    // No periodic catch-up during the test: convergence must come from the reconnection resync.
    const a = await startReplica({ dbFile, prefix, redisUrl: redis.url, catchUpMs: 600_000 });
    const b = await startReplica({ dbFile, prefix, redisUrl: redis.url, catchUpMs: 600_000 });
    const owner = await registerUser(a.url, 'Olive Owner');
    const driver = await registerUser(a.url, 'Dan Driver');
    const boardId = await createBoard(a.url, owner);
    await addMember(a.url, owner, boardId, driver, 'driver');

    const clients = [connectClient(a.url, boardId, owner), connectClient(a.url, boardId, driver), connectClient(b.url, boardId, owner), connectClient(b.url, boardId, driver)];
    const statuses = clients.map(trackStatus);
    await Promise.all(clients.map((c) => waitSynced(c)));
    createCard(clients[0]!.doc, { title: 'before' }, owner.id);
    await waitFor(() => clients.every((c) => cardTitles(c.doc).length === 1), 2000, 'relay works before the outage');

    await redis.stop();
    await waitFor(() => !a.relay.isReady() && !b.relay.isReady(), 2000, 'replicas noticed');
    expect((await api(a.url, null, 'GET', '/readyz')).status).toBe(503);

    // Everyone keeps editing for 5 s.
    let n = 0;
    const started = Date.now();
    while (Date.now() - started < 5000) {
      const i = n++;
      createCard(clients[i % 4]!.doc, { title: `during ${i}` }, i % 2 ? driver.id : owner.id);
      await new Promise((r) => setTimeout(r, 50));
    }
    // Same-replica clients still see each other (that path needs no Redis); across replicas, not yet.
    await waitFor(() => cardTitles(clients[1]!.doc).includes('during 0'), 2000, 'local fan-out during the outage');
    expect(cardTitles(clients[2]!.doc)).not.toContain('during 0');

    await redis.start();
    const back = Date.now();
    const expected = ['before', ...Array.from({ length: n }, (_, i) => `during ${i}`)].sort();
    await waitFor(() => clients.every((c) => cardTitles(c.doc).join() === expected.join()), 2000, 'all converged within 2 s of Redis returning');
    expect(Date.now() - back).toBeLessThan(2000);
    const state = Y.encodeStateAsUpdate(clients[0]!.doc);
    for (const c of clients.slice(1)) expect(Y.encodeStateAsUpdate(c.doc)).toEqual(state);

    // The relay is live again, not just caught up once.
    createCard(clients[3]!.doc, { title: 'after' }, driver.id);
    await waitFor(() => clients.every((c) => cardTitles(c.doc).includes('after')), 1000, 'relay works after the outage');
    for (const c of clients) expect(c.closes).toEqual([]);
    for (const s of statuses) expect(s.filter((x) => x === 'disconnected')).toEqual([]);
    await waitFor(() => a.relay.isReady() && b.relay.isReady(), 2000);
    expect((await api(a.url, null, 'GET', '/readyz')).status).toBe(200);
  });

  it('a member removed during the outage loses their socket on the other replica once Redis is back', async () => {
    const redis = await startPrivateRedis();
    const dbFile = join(tempDir(), 'shared.sqlite');
    const prefix = testPrefix();
    const a = await startReplica({ dbFile, prefix, redisUrl: redis.url });
    const b = await startReplica({ dbFile, prefix, redisUrl: redis.url });
    const owner = await registerUser(a.url, 'Olive Owner');
    const driver = await registerUser(a.url, 'Dan Driver');
    const boardId = await createBoard(a.url, owner);
    await addMember(a.url, owner, boardId, driver, 'driver');
    const d = connectClient(b.url, boardId, driver);
    await waitSynced(d);

    await redis.stop();
    await waitFor(() => !a.relay.isReady(), 2000);
    expect((await api(a.url, owner, 'DELETE', `/api/boards/${boardId}/members/${driver.id}`)).status).toBe(204);
    await new Promise((r) => setTimeout(r, 300));
    expect(d.closes).toEqual([]); // nothing can reach B yet
    await redis.start();
    await waitFor(() => d.closes.some((c) => c.code === 4403), 3000, 'closed once Redis is back');
  });

  it('bookings written for the same cards on two replicas during an outage end at the newest version everywhere', async () => {
    // A claim on A and the pickup on B are concurrent Y.Map sets of one key (neither replica saw the
    // other's write); without repairRelayedBookings, Yjs would keep one by client id, often the older.
    const redis = await startPrivateRedis();
    const dbFile = join(tempDir(), 'shared.sqlite');
    const prefix = testPrefix();
    const a = await startReplica({ dbFile, prefix, redisUrl: redis.url, catchUpMs: 600_000 });
    const b = await startReplica({ dbFile, prefix, redisUrl: redis.url, catchUpMs: 600_000 });
    const owner = await registerUser(a.url, 'Olive Owner');
    const driver = await registerUser(a.url, 'Dan Driver');
    const boardId = await createBoard(a.url, owner);
    await addMember(a.url, owner, boardId, driver, 'driver');
    const cards = await createCards(a.url, boardId, owner, Array.from({ length: 10 }, (_, i) => `c${i}`));
    const onA = connectClient(a.url, `${boardId}/bookings`, driver);
    const onB = connectClient(b.url, `${boardId}/bookings`, driver);
    await Promise.all([waitSynced(onA), waitSynced(onB)]);

    await redis.stop();
    await waitFor(() => !a.relay.isReady() && !b.relay.isReady(), 2000);
    for (const id of cards) {
      expect((await transition(a.url, driver, boardId, id, 'claim')).status).toBe(200);
      expect((await transition(b.url, driver, boardId, id, 'pickup')).status).toBe(200);
    }
    await redis.start();
    const newest = (c: TestClient) => cards.every((id) => (bookingsMap(c.doc).get(id) as Booking | undefined)?.version === 2);
    await waitFor(() => newest(onA) && newest(onB), 3000, 'both documents at version 2');
    for (const id of cards) expect((bookingsMap(onA.doc).get(id) as Booking).status).toBe('picked_up');
    // And it stays there: no replica keeps rewriting.
    const appendsA = a.appends.get(`${boardId}/bookings`);
    const appendsB = b.appends.get(`${boardId}/bookings`);
    await new Promise((r) => setTimeout(r, 300));
    expect(a.appends.get(`${boardId}/bookings`)).toBe(appendsA);
    expect(b.appends.get(`${boardId}/bookings`)).toBe(appendsB);
  });
});
