/**
 * Replicas as separate processes (replicaProcess.ts) sharing a fresh Postgres database and the
 * local Redis. Clients reach them directly or through a round-robin TCP proxy standing in for the
 * load balancer; a replica is SIGKILLed while its clients edit and while drivers claim cards.
 * Fails, never skips, without Postgres or Redis.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import * as Y from 'yjs';
import { createCard, readCards } from '@delivery-board/schema/boardDoc';
import type { Booking } from '@delivery-board/schema/bookings';
import { CloseCode } from '@delivery-board/schema/types';
import { bookingsMap } from '../../src/bookings/bookingService.ts';
import { openPg } from '../../src/db/pg.ts';
import { createPgStores } from '../../src/stores/pg/createPgStores.ts';
import { addMember, api, connectClient, createBoard, registerUser, waitFor, waitSynced, type TestClient, type TestUser } from '../helpers.ts';
import { allAudit, createCards, newIntent, transition, type TransitionReply } from '../bookings/harness.ts';
import { createTestDatabase } from '../contracts/pgTestDb.ts';
import { REDIS_URL, requireRedis, testPrefix } from './harness.ts';

const ENTRY = fileURLToPath(new URL('./replicaProcess.ts', import.meta.url));

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  await requireRedis();
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

interface ReplicaProcess {
  child: ChildProcess;
  url: string;
  port: number;
  kill(): Promise<void>;
}

/** Starts one replica process; resolves once it listens with its relay connected. */
function spawnReplica(prefix: string, extraEnv: Record<string, string> = {}): Promise<ReplicaProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
    env: { ...process.env, DATABASE_URL: database.url, REDIS_URL, RELAY_PREFIX: prefix, PORT: '0', LOG_LEVEL: 'warn', ...extraEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL');
    await exited;
  };
  onTestFinished(kill);
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      const m = /"port":(\d+)/.exec(buf);
      if (m) resolve({ child, port: Number(m[1]), url: `http://127.0.0.1:${m[1]}`, kill });
    });
    child.once('exit', (code) => reject(new Error(`replica exited early with ${code}`)));
  });
}

const spawnReplicas = (n: number, prefix: string, env?: Record<string, string>) => Promise.all(Array.from({ length: n }, () => spawnReplica(prefix, env)));

/** A round-robin TCP proxy: each connection goes to the next backend that accepts it (the load balancer). */
async function startProxy(ports: number[]) {
  let next = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    client.pause();
    const tryBackend = (attempt: number) => {
      if (attempt >= ports.length) return client.destroy();
      const port = ports[next++ % ports.length]!;
      const upstream = connect(port, '127.0.0.1');
      upstream.once('connect', () => {
        sockets.add(upstream);
        upstream.on('close', () => {
          sockets.delete(upstream);
          client.destroy();
        });
        client.on('close', () => upstream.destroy());
        upstream.on('error', () => {});
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.once('error', () => tryBackend(attempt + 1));
    };
    tryBackend(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  onTestFinished(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const cardTitles = (doc: Y.Doc) => readCards(doc).map((c) => c.title).sort();
const names = (c: TestClient) => [...c.provider.awareness.getStates().values()].map((s) => (s.user as { name?: string } | undefined)?.name).filter(Boolean).sort();

async function storedTitles(boardId: string): Promise<string[]> {
  const pg = await openPg(database.url, { max: 1 });
  try {
    const stored = await createPgStores(pg.db).documents.load(boardId);
    const doc = new Y.Doc();
    for (const u of [stored.snapshot, ...stored.updates]) if (u) Y.applyUpdate(doc, u);
    return cardTitles(doc);
  } finally {
    await pg.close();
  }
}

describe('replicas as processes on Postgres + Redis', () => {
  it('clients on three replicas converge, awareness included', async () => {
    const replicas = await spawnReplicas(3, testPrefix());
    const owner = await registerUser(replicas[0]!.url, 'Olive Owner');
    const boardId = await createBoard(replicas[1]!.url, owner);
    const clients = replicas.map((r) => connectClient(r.url, boardId, owner));
    await Promise.all(clients.map((c) => waitSynced(c)));
    clients.forEach((c, i) => {
      createCard(c.doc, { title: `from replica ${i}` }, owner.id);
      c.provider.awareness.setLocalStateField('user', { name: `user ${i}` });
    });
    const expected = ['from replica 0', 'from replica 1', 'from replica 2'];
    await waitFor(() => clients.every((c) => cardTitles(c.doc).join() === expected.join()), 3000, 'cards everywhere');
    await waitFor(() => clients.every((c) => names(c).join() === 'user 0,user 1,user 2'), 3000, 'awareness everywhere');
    for (const c of clients.slice(1)) expect(Y.encodeStateAsUpdate(c.doc)).toEqual(Y.encodeStateAsUpdate(clients[0]!.doc));
    expect(await storedTitles(boardId)).toEqual(expected);
  });

  it('a replica SIGKILLed while its clients edit: they reconnect elsewhere and no edit is missing anywhere', async () => {
    const replicas = await spawnReplicas(3, testPrefix());
    const proxy = await startProxy(replicas.map((r) => r.port));
    const owner = await registerUser(replicas[0]!.url, 'Olive Owner');
    const boardId = await createBoard(replicas[0]!.url, owner);
    const clients = Array.from({ length: 6 }, () => connectClient(proxy.url, boardId, owner));
    await Promise.all(clients.map((c) => waitSynced(c)));

    const made: string[] = [];
    let n = 0;
    const writer = setInterval(() => {
      clients.forEach((c, i) => {
        const title = `c${i}-${n}`;
        createCard(c.doc, { title }, owner.id);
        made.push(title);
      });
      n++;
    }, 20);
    await new Promise((r) => setTimeout(r, 700));
    await replicas[1]!.kill();
    await new Promise((r) => setTimeout(r, 1500));
    clearInterval(writer);

    // Two clients were on the killed replica (round-robin); they came back through the proxy.
    const dropped = clients.filter((c) => c.closes.length > 0);
    expect(dropped.length).toBeGreaterThan(0);
    await waitFor(() => clients.every((c) => c.provider.wsconnected && c.provider.synced), 10_000, 'everyone reconnected');
    const expected = [...made].sort();
    await waitFor(() => clients.every((c) => cardTitles(c.doc).join() === expected.join()), 10_000, 'every edit on every client');
    // The clients are synced, so the replicas have stored all of it.
    expect(await storedTitles(boardId)).toEqual(expected);
  });

  it('claim storm spread over three replicas, one killed midway: one winner per card, audit rows equal bookings', async () => {
    // The killed replica may have committed a claim and died before writing the bookings document:
    // the others reconcile their loaded bookings documents with the database (here every 500 ms).
    const replicas = await spawnReplicas(3, testPrefix(), { RECONCILE_MS: '500' });
    const urls = replicas.map((r) => r.url);
    const coordinator = await registerUser(urls[0]!, 'Cora Coordinator');
    const boardId = await createBoard(urls[0]!, coordinator, 'Storm');
    const invite = await api(urls[0]!, coordinator, 'POST', `/api/boards/${boardId}/invites`, { role: 'driver', maxUses: 30 });
    const drivers: TestUser[] = await Promise.all(
      Array.from({ length: 30 }, async (_, d) => {
        const u = await registerUser(urls[d % 3]!, `Driver ${d}`);
        expect((await api(urls[(d + 1) % 3]!, u, 'POST', `/api/invites/${invite.body.token}/accept`)).status).toBe(200);
        return u;
      }),
    );
    const cards = await createCards(urls[0]!, boardId, coordinator, Array.from({ length: 15 }, (_, i) => `card ${i}`));
    // Bookings documents open on every replica, to check that they converge to the database too.
    const bookingClients = urls.map((u) => connectClient(u, `${boardId}/bookings`, coordinator));

    // 150 claims (10 drivers per card) spread over the replicas; a request that fails on the wire
    // (its replica died) is retried on the next replica with the same intent, as a client would.
    const plan = Array.from({ length: 150 }, (_, i) => ({ cardId: cards[i % 15]!, driver: drivers[Math.floor(i / 5)]!, intentId: newIntent(), start: i % 3 }));
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
          void replicas[2]!.kill();
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

    const live = urls[0]!;
    const audit = await allAudit(live, coordinator, boardId);
    const claims = audit.filter((a) => a.action === 'booking.claim');
    expect(claims).toHaveLength(15);
    for (const row of claims) expect(row.actorId).toBe(winners.get(row.cardId!));
    const pg = await openPg(database.url, { max: 1 });
    const bookings = await createPgStores(pg.db).bookings.list(boardId);
    await pg.close();
    expect(bookings.filter((b) => b.status === 'claimed')).toHaveLength(15);
    for (const b of bookings) expect(b.driverId).toBe(winners.get(b.cardId));

    // The live replicas' bookings documents agree with the database.
    for (const c of bookingClients.slice(0, 2)) {
      const map = bookingsMap(c.doc);
      await waitFor(() => cards.every((id) => (map.get(id) as Booking | undefined)?.driverId === winners.get(id)), 3000, 'bookings document matches');
    }
  });

  it('a member removed on replica A loses their socket on replica B at once', async () => {
    const [a, b] = await spawnReplicas(2, testPrefix());
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
