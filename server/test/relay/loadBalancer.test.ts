/**
 * The compose file's load balancer, docker/nginx.conf as it ships, run by Debian's nginx in front
 * of two replica processes (main.ts on a fresh Postgres database and the local Redis). Checks:
 * requests pass through it (sign-up, board creation: the Origin check sees the Host with its
 * port); every socket of a board, board and bookings document alike, lands on the same replica,
 * and so do its claims; boards spread over both; when a board's replica is killed, its clients
 * reconnect through nginx to the other and no edit is missing. Fails, never skips, without nginx,
 * Postgres or Redis.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createCard } from '@delivery-board/schema/boardDoc';
import { api, connectClient, createBoard, registerUser, waitFor, waitSynced, type TestClient } from '../helpers.ts';
import { createCards, transition } from '../bookings/harness.ts';
import { cardTitles, metricOf, requireRedis, spawnReplicas, startNginx, storedDoc, testPrefix, useTestDatabase, waitForAsync, type ReplicaProcess } from './harness.ts';

beforeAll(() => requireRedis());
// Every stock y-websocket provider adds a process 'exit' listener (removed when it is destroyed);
// this file holds about fifty at once.
process.setMaxListeners(100);
const database = useTestDatabase();

/** Open sync sockets on a replica. */
const socketsOn = (replica: ReplicaProcess) => metricOf(replica, 'dboard_sync_connections');
const socketCounts = (replicas: ReplicaProcess[]) => Promise.all(replicas.map(socketsOn));
/** Claims a replica has granted. */
const claimsOn = (replica: ReplicaProcess) => metricOf(replica, 'dboard_booking_transitions_total{action="claim",status="200"}', 0);

describe('docker/nginx.conf in front of two replicas', () => {
  it('keeps a board on one replica, spreads boards, and fails over without losing an edit', async () => {
    const replicas = await spawnReplicas(2, { databaseUrl: database.url, prefix: testPrefix() });
    const lb = await startNginx(replicas.map((r) => r.port));
    const owner = await registerUser(lb.url, 'Olive Owner');
    // A browser sends Origin on every state-changing request: it must match the Host nginx passes on.
    const origin = await fetch(`${lb.url}/api/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: owner.cookie, origin: lb.url },
      body: JSON.stringify({ name: 'With an Origin' }),
    });
    expect(origin.status).toBe(201);

    // Sixteen boards, three sockets each (two on the board document, one on its bookings), opened
    // one board at a time: each board's sockets all add to one replica's count.
    const boardsOn: number[][] = [[], []];
    const clientsOf = new Map<string, TestClient[]>();
    for (let b = 0; b < 16; b++) {
      const boardId = await createBoard(lb.url, owner, `Board ${b}`);
      const before = await socketCounts(replicas);
      const clients = [connectClient(lb.url, boardId, owner), connectClient(lb.url, boardId, owner), connectClient(lb.url, `${boardId}/bookings`, owner)];
      await Promise.all(clients.map((c) => waitSynced(c, 10_000)));
      const after = await socketCounts(replicas);
      const added = after.map((n, i) => n - before[i]!);
      expect(added.sort()).toEqual([0, 3]);
      boardsOn[after[0]! > before[0]! ? 0 : 1]!.push(b);
      clientsOf.set(boardId, clients);
    }
    // Hashing 16 random board ids onto 2 replicas puts all on one with probability 2^-15.
    expect(boardsOn[0]!.length).toBeGreaterThan(0);
    expect(boardsOn[1]!.length).toBeGreaterThan(0);

    // Claims go to the board's replica too (it writes the bookings document its sockets read):
    // one on each of the first four boards, each answered by that board's replica.
    const boardIds = [...clientsOf.keys()];
    const homeOf = (b: number) => (boardsOn[0]!.includes(b) ? 0 : 1);
    for (let b = 0; b < 4; b++) {
      const [cardId] = await createCards(lb.url, boardIds[b]!, owner, ['Soup for Elm Court']);
      const before = await Promise.all(replicas.map(claimsOn));
      expect((await transition(lb.url, owner, boardIds[b]!, cardId!, 'claim')).status).toBe(200);
      const after = await Promise.all(replicas.map(claimsOn));
      expect(after.map((n, i) => n - before[i]!)).toEqual(homeOf(b) === 0 ? [1, 0] : [0, 1]);
    }
    const boardId = boardIds[0]!;
    const clients = clientsOf.get(boardId)!;
    const home = homeOf(0);

    // Kill that replica while both the board's clients edit.
    const [a, b] = clients as [TestClient, TestClient];
    const survivorBefore = await socketsOn(replicas[1 - home]!);
    const dropped = [a, b].map((c) => new Promise<void>((resolve) => c.provider.on('status', ({ status }: { status: string }) => status === 'disconnected' && resolve())));
    const made: string[] = ['Soup for Elm Court'];
    const edit = (c: TestClient, title: string) => (createCard(c.doc, { title }, owner.id), made.push(title));
    edit(a, 'before 1');
    edit(b, 'before 2');
    await waitFor(() => cardTitles(a.doc).length === 3 && cardTitles(b.doc).length === 3, 5000, 'edits before the kill');
    await replicas[home]!.stop('SIGKILL');
    await Promise.all(dropped);
    edit(a, 'while down 1'); // made offline, sent on reconnect
    edit(b, 'while down 2');
    await waitFor(() => a.provider.wsconnected && a.provider.synced && b.provider.wsconnected && b.provider.synced, 20_000, 'reconnected through nginx');
    // The board's three sockets (and those of the dead replica's other boards) are now here.
    await waitForAsync(async () => (await socketsOn(replicas[1 - home]!)) >= survivorBefore + 3, 10_000, 'sockets moved to the other replica');
    edit(a, 'after 1');
    edit(b, 'after 2');
    const expected = [...made].sort();
    await waitFor(() => [a, b].every((c) => cardTitles(c.doc).join() === expected.join()), 10_000, 'every edit on both clients');
    expect(cardTitles(await storedDoc(database.url, boardId))).toEqual(expected);

    // REST still answers through nginx with one replica gone.
    expect((await api(lb.url, owner, 'GET', '/api/me')).status).toBe(200);
  });
});
