/**
 * Replicas as separate processes of the shipped entry point (`node --import tsx server/src/main.ts`,
 * configured only through its environment: harness.ts spawnReplica) on different ports, sharing a
 * fresh Postgres database of this file and the local Redis. Clients (stock y-websocket providers)
 * reach them directly or through a round-robin TCP proxy standing in for the load balancer.
 * Checks: clients on three replicas converge, awareness included; a replica SIGKILLed, or sent
 * SIGTERM (graceful: close code 1012, flush, exit 0 in time), while its clients edit loses no edit;
 * a claim storm with a replica killed midway books every card once; a member removed on one replica
 * loses their socket on another at once. Fails, never skips, without Postgres or Redis.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createCard } from '@delivery-board/schema/boardDoc';
import type { Booking } from '@delivery-board/schema/bookings';
import { CloseCode } from '@delivery-board/schema/types';
import { bookingsMap } from '../../src/bookings/bookingService.ts';
import { addMember, api, connectClient, createBoard, registerUser, waitFor, waitSynced, type TestClient, type TestUser } from '../helpers.ts';
import { allAudit, createCards, newIntent, transition, type TransitionReply } from '../bookings/harness.ts';
import { awarenessNames, cardTitles, requireRedis, spawnReplicas, startProxy, storedBookings, storedDoc, testPrefix, useTestDatabase, type ReplicaProcess } from './harness.ts';

beforeAll(() => requireRedis());
const database = useTestDatabase();
const storedTitles = async (boardId: string) => cardTitles(await storedDoc(database.url, boardId));

/**
 * Six clients of one board through the proxy (two per replica, round-robin), each adding a card
 * every 20 ms until `stop()`; `made` lists every title created.
 */
async function editorsThroughProxy(replicas: ReplicaProcess[]) {
  const proxy = await startProxy(replicas.map((r) => r.port));
  const owner = await registerUser(replicas[0]!.url, 'Olive Owner');
  const boardId = await createBoard(replicas[0]!.url, owner);
  const clients = Array.from({ length: 6 }, () => connectClient(proxy.url, boardId, owner));
  await Promise.all(clients.map((c) => waitSynced(c, 10_000)));
  const made: string[] = [];
  let n = 0;
  const timer = setInterval(() => {
    clients.forEach((c, i) => {
      const title = `c${i}-${n}`;
      createCard(c.doc, { title }, owner.id);
      made.push(title);
    });
    n++;
  }, 20);
  const writes = () => made.length;
  return { boardId, clients, made, writes, stop: () => clearInterval(timer) };
}

/** Every client connected and synced again, then every edit on every client and in the database. */
async function expectNoEditMissing(boardId: string, clients: TestClient[], made: string[]) {
  await waitFor(() => clients.every((c) => c.provider.wsconnected && c.provider.synced), 15_000, 'every client connected and synced');
  const expected = [...made].sort();
  await waitFor(() => clients.every((c) => cardTitles(c.doc).join() === expected.join()), 15_000, 'every edit on every client');
  // Synced clients hold what the replicas hold, and a replica stores an update before relaying it.
  expect(await storedTitles(boardId)).toEqual(expected);
}

describe('replicas as main.ts processes on Postgres + Redis', () => {
  it('clients on three replicas converge, awareness included', async () => {
    const replicas = await spawnReplicas(3, { databaseUrl: database.url, prefix: testPrefix() });
    // Each replica relays under its REPLICA_ID, made unique per process.
    replicas.forEach((r) => expect(r.replicaId).toMatch(new RegExp(`^${r.name}-${r.pid}-`)));
    const owner = await registerUser(replicas[0]!.url, 'Olive Owner');
    const boardId = await createBoard(replicas[1]!.url, owner);
    const members = await Promise.all(replicas.map((r, i) => registerUser(r.url, `user ${i}`)));
    await Promise.all(members.map((m, i) => addMember(replicas[i]!.url, owner, boardId, m, 'coordinator')));
    const clients = replicas.map((r, i) => connectClient(r.url, boardId, members[i]!));
    await Promise.all(clients.map((c) => waitSynced(c, 10_000)));
    clients.forEach((c, i) => {
      createCard(c.doc, { title: `from replica ${i}` }, members[i]!.id);
      c.provider.awareness.setLocalStateField('user', { id: members[i]!.id, name: `user ${i}`, role: 'coordinator' });
    });
    const expected = ['from replica 0', 'from replica 1', 'from replica 2'];
    await waitFor(() => clients.every((c) => cardTitles(c.doc).join() === expected.join()), 5000, 'cards everywhere');
    await waitFor(() => clients.every((c) => awarenessNames(c).join() === 'user 0,user 1,user 2'), 5000, 'awareness everywhere');
    for (const c of clients.slice(1)) expect(Y.encodeStateAsUpdate(c.doc)).toEqual(Y.encodeStateAsUpdate(clients[0]!.doc));
    expect(await storedTitles(boardId)).toEqual(expected);
  });

  it('a replica SIGKILLed while its clients edit: they reconnect elsewhere and no edit is missing anywhere', async () => {
    const replicas = await spawnReplicas(3, { databaseUrl: database.url, prefix: testPrefix() });
    const { boardId, clients, made, writes, stop } = await editorsThroughProxy(replicas);
    await waitFor(() => writes() >= 6 * 20, 10_000, 'editing under way');
    await replicas[1]!.stop('SIGKILL');
    // Two clients were on the killed replica (round-robin); they come back through the proxy.
    await waitFor(() => clients.filter((c) => c.closes.length > 0).length === 2, 10_000, 'the killed replica’s clients dropped');
    const atKill = writes();
    await waitFor(() => writes() >= atKill + 6 * 20, 10_000, 'editing goes on');
    stop();
    await expectNoEditMissing(boardId, clients, made);
  });

  it('SIGTERM to a replica with connected clients: they get 1012 and reconnect elsewhere, all they wrote is stored, it exits 0 in time', async () => {
    const SHUTDOWN_TIMEOUT_MS = 10_000; // main.ts exits 1 when a graceful shutdown takes longer
    const replicas = await spawnReplicas(3, { databaseUrl: database.url, prefix: testPrefix(), env: { SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) } });
    const { boardId, clients, made, writes, stop } = await editorsThroughProxy(replicas);
    await waitFor(() => writes() >= 6 * 20, 10_000, 'editing under way');
    const t0 = Date.now();
    const exit = await replicas[1]!.stop('SIGTERM');
    const shutdownMs = Date.now() - t0;
    expect(exit, replicas[1]!.logTail()).toEqual({ code: 0, signal: null });
    expect(shutdownMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);

    // Its two clients (round-robin) were closed with "service restart", which y-websocket retries.
    await waitFor(() => clients.filter((c) => c.closes.length > 0).length === 2, 10_000, 'the stopped replica’s clients closed');
    const dropped = clients.filter((c) => c.closes.length > 0);
    for (const c of dropped) expect(c.closes[0]!.code).toBe(CloseCode.goingAway);
    const atExit = writes();
    await waitFor(() => writes() >= atExit + 6 * 20, 10_000, 'editing goes on');
    stop();
    await expectNoEditMissing(boardId, clients, made);
  });

  it('claim storm spread over three replicas, one killed midway: one winner per card, audit rows equal bookings', async () => {
    const replicas = await spawnReplicas(3, { databaseUrl: database.url, prefix: testPrefix() });
    const urls = replicas.map((r) => r.url);
    const coordinator = await registerUser(urls[0]!, 'Cora Coordinator');
    const boardId = await createBoard(urls[0]!, coordinator, 'Storm');
    // 16 registrations in all: main.ts allows 20 per address per hour, counted across replicas in Redis.
    const invite = await api(urls[0]!, coordinator, 'POST', `/api/boards/${boardId}/invites`, { role: 'driver', maxUses: 15 });
    const drivers: TestUser[] = await Promise.all(
      Array.from({ length: 15 }, async (_, d) => {
        const u = await registerUser(urls[d % 3]!, `Driver ${d}`);
        expect((await api(urls[(d + 1) % 3]!, u, 'POST', `/api/invites/${invite.body.token}/accept`)).status).toBe(200);
        return u;
      }),
    );
    const cards = await createCards(urls[0]!, boardId, coordinator, Array.from({ length: 15 }, (_, i) => `card ${i}`));
    // Bookings documents open on every replica, to check that they converge to the database too.
    const bookingClients = urls.map((u) => connectClient(u, `${boardId}/bookings`, coordinator));

    // 150 claims (10 different drivers per card) spread over the replicas; a request that fails on
    // the wire (its replica died) is retried on the next replica with the same intent, as a client would.
    const plan = Array.from({ length: 150 }, (_, i) => ({ cardId: cards[i % 15]!, driver: drivers[Math.floor(i / 10)]!, intentId: newIntent(), start: i % 3 }));
    let killed = false;
    const claim = async (p: (typeof plan)[number]): Promise<TransitionReply> => {
      for (let attempt = 0; attempt < 6; attempt++) {
        const url = urls[(p.start + attempt) % 3]!;
        try {
          return await transition(url, p.driver, boardId, p.cardId, 'claim', { intentId: p.intentId });
        } catch {
          // connection refused or reset: the replica is gone
        }
      }
      throw new Error('no replica answered');
    };
    const replies = await Promise.all(
      plan.map(async (p, i) => {
        await new Promise((r) => setTimeout(r, i * 4)); // ~600 ms of claims
        if (i === 60 && !killed) {
          killed = true;
          void replicas[2]!.stop('SIGKILL');
        }
        return claim(p);
      }),
    );
    expect(killed).toBe(true);
    expect(replies.map((r) => r.status).filter((s) => s !== 200 && s !== 409)).toEqual([]);
    const winners = new Map<string, string>();
    replies.forEach((r, i) => {
      if (r.status !== 200) return;
      expect(winners.has(plan[i]!.cardId), `two winners for ${plan[i]!.cardId}`).toBe(false);
      winners.set(plan[i]!.cardId, plan[i]!.driver.id);
    });
    expect(winners.size).toBe(15);

    const audit = await allAudit(urls[0]!, coordinator, boardId);
    const claims = audit.filter((a) => a.action === 'booking.claim');
    expect(claims).toHaveLength(15);
    for (const row of claims) expect(row.actorId).toBe(winners.get(row.cardId!));
    const bookings = await storedBookings(database.url, boardId);
    expect(bookings.filter((b) => b.status === 'claimed')).toHaveLength(15);
    for (const b of bookings) expect(b.driverId).toBe(winners.get(b.cardId));

    // The live replicas' bookings documents agree with the database. Usually at once; if the killed
    // replica committed a claim and died before writing it into its document, the others write it
    // when they reconcile with the database (main.ts: every 15 s, the first after 7.5-22.5 s).
    for (const c of bookingClients.slice(0, 2)) {
      const map = bookingsMap(c.doc);
      await waitFor(() => cards.every((id) => (map.get(id) as Booking | undefined)?.driverId === winners.get(id)), 25_000, 'bookings document matches');
    }
  }, 60_000);

  it('a member removed on replica A loses their socket on replica B at once', async () => {
    const [a, b] = await spawnReplicas(2, { databaseUrl: database.url, prefix: testPrefix() });
    const owner = await registerUser(a!.url, 'Olive Owner');
    const driver = await registerUser(a!.url, 'Dan Driver');
    const boardId = await createBoard(a!.url, owner);
    await addMember(a!.url, owner, boardId, driver, 'driver');
    const d = connectClient(b!.url, boardId, driver);
    const db = connectClient(b!.url, `${boardId}/bookings`, driver);
    await Promise.all([waitSynced(d), waitSynced(db)]);
    const t0 = Date.now();
    expect((await api(a!.url, owner, 'DELETE', `/api/boards/${boardId}/members/${driver.id}`)).status).toBe(204);
    await waitFor(() => d.closes.some((c) => c.code === CloseCode.forbidden) && db.closes.some((c) => c.code === CloseCode.forbidden), 1000, 'closed on B');
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
