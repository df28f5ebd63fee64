/**
 * A sync socket lives no longer than the session it was opened with: signing out closes that
 * session's sockets with 4401 at once (the same user's other sessions keep theirs), and nothing
 * sent on them afterwards is applied or stored; a session that expires while its socket is open is
 * closed by the periodic check, unless a request extended it meanwhile. Real server, real
 * websockets (stock y-websocket clients and a raw one).
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { join } from 'node:path';
import * as Y from 'yjs';
import { createCard, readCards } from '@delivery-board/schema/boardDoc';
import { CloseCode } from '@delivery-board/schema/types';
import { parseConfig } from '../src/config.ts';
import { startServer } from '../src/server.ts';
import { openSqlite } from '../src/db/sqlite.ts';
import { createSqliteDocumentStore } from '../src/stores/sqlite/documentStore.ts';
import { api, connectClient, createBoard, registerUser, silentLogger, startTestServer, tempDir, waitFor, waitSynced, type TestUser } from './helpers.ts';
import { rawClient, sleep } from './bookings/harness.ts';
import { updateMessage } from './bookings/yraw.ts';

const titles = (doc: Y.Doc) =>
  readCards(doc)
    .map((c) => c.title)
    .sort();

/** A second session of the same user (another device). */
async function signInAgain(url: string, user: TestUser): Promise<TestUser> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: 'correct horse battery' }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  return { ...user, cookie: res.headers.get('set-cookie')!.split(';')[0]! };
}

/** An update adding a card with `title`, made on a document of its own. */
function cardUpdate(title: string, authorId: string): Uint8Array {
  const doc = new Y.Doc();
  createCard(doc, { title }, authorId);
  return Y.encodeStateAsUpdate(doc);
}

describe('sync sockets and their session', () => {
  it("signing out closes that session's sockets with 4401 at once, and a write sent after never reaches the database", async () => {
    const dataDir = tempDir();
    const server = await startTestServer(dataDir);
    const owner = await registerUser(server.url, 'Olive Owner');
    const boardId = await createBoard(server.url, owner);
    const laptop = await signInAgain(server.url, owner);

    const board = connectClient(server.url, boardId, owner);
    const bookings = connectClient(server.url, `${boardId}/bookings`, owner);
    const other = connectClient(server.url, boardId, laptop);
    const raw = rawClient(server.url, boardId, owner);
    await Promise.all([waitSynced(board), waitSynced(bookings), waitSynced(other), raw.opened]);

    expect((await api(server.url, owner, 'POST', '/api/auth/logout')).status).toBe(204);
    // Sent the moment the answer is in, before the client can have seen its socket close.
    raw.ws.send(updateMessage(cardUpdate('after sign-out', owner.id)));
    createCard(board.doc, { title: 'after sign-out (stock client)' }, owner.id);

    expect((await raw.closed).code).toBe(CloseCode.noSession);
    await waitFor(() => board.closes.length > 0 && bookings.closes.length > 0, 1000, 'stock clients closed');
    expect(board.closes.map((c) => c.code)).toEqual([CloseCode.noSession]);
    expect(bookings.closes.map((c) => c.code)).toEqual([CloseCode.noSession]);
    // 4401 is final for a stock client: it does not reconnect.
    await sleep(200);
    expect(board.provider.shouldConnect).toBe(false);
    expect(board.closes).toHaveLength(1);
    // A new socket with the old cookie is refused as before.
    const again = rawClient(server.url, boardId, owner);
    expect((await again.closed).code).toBe(CloseCode.noSession);

    // The same user's other session is untouched.
    expect(other.closes).toEqual([]);
    createCard(other.doc, { title: 'from the laptop' }, owner.id);
    const fresh = connectClient(server.url, boardId, laptop);
    await waitSynced(fresh);
    await waitFor(() => titles(fresh.doc).includes('from the laptop'), 2000, 'laptop card');
    expect(titles(fresh.doc)).toEqual(['from the laptop']);

    await server.close();
    const db = openSqlite(join(dataDir, 'delivery-board.sqlite'));
    const stored = await createSqliteDocumentStore(db.db).load(boardId);
    db.close();
    const restored = new Y.Doc();
    for (const u of [stored.snapshot, ...stored.updates]) if (u) Y.applyUpdate(restored, u);
    expect(titles(restored)).toEqual(['from the laptop']);
  });

  it('a session that expires while its socket is open is closed with 4401 by the periodic check; one extended by a request stays', async () => {
    const clock = { now: Date.now() };
    const DAY = 24 * 60 * 60 * 1000;
    const config = parseConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: tempDir() });
    const server = await startServer({ ...config, logger: silentLogger, now: () => clock.now, sessionCheckMs: 20 });
    onTestFinished(() => server.close());
    const owner = await registerUser(server.url, 'Olive Owner');
    const boardId = await createBoard(server.url, owner);
    const busy = await registerUser(server.url, 'Bea Busy');
    const inv = await api(server.url, owner, 'POST', `/api/boards/${boardId}/invites`, { role: 'driver' });
    expect((await api(server.url, busy, 'POST', `/api/invites/${inv.body.token}/accept`)).status).toBe(200);

    const idle = connectClient(server.url, boardId, owner);
    const active = connectClient(server.url, boardId, busy);
    await Promise.all([waitSynced(idle), waitSynced(active)]);

    // 20 days on, Bea uses the app: her session (in its second half) is extended to day 50.
    clock.now += 20 * DAY;
    expect((await api(server.url, busy, 'GET', '/api/me')).status).toBe(200);
    await sleep(100);
    expect(idle.closes).toEqual([]);

    // Day 35: Olive's session (30 days, never extended) has expired.
    clock.now += 15 * DAY;
    await waitFor(() => idle.closes.length > 0, 2000, 'expired session closed');
    expect(idle.closes.map((c) => c.code)).toEqual([CloseCode.noSession]);
    await sleep(150); // several checks
    expect(active.closes).toEqual([]);
    createCard(active.doc, { title: 'still writing' }, busy.id);
    const check = connectClient(server.url, boardId, busy);
    await waitSynced(check);
    await waitFor(() => titles(check.doc).includes('still writing'), 2000, 'write after the check');
    expect((await api(server.url, owner, 'GET', '/api/me')).status).toBe(401);
  });
});
