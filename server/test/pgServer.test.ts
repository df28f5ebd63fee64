/**
 * The whole server on Postgres (DATABASE_URL), against a fresh database for this file: REST,
 * websocket sync, restart and compaction, and two replicas sharing the database (sessions valid on
 * both, claims racing across them). Fails, never skips, without Postgres.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { boardRoots, createCard, readCards, setCardField } from '@delivery-board/schema/boardDoc';
import { openPg } from '../src/db/pg.ts';
import { createPgDocumentStore } from '../src/stores/pg/documentStore.ts';
import { api, connectClient, createBoard, registerUser, startTestServer, tempDir, waitFor, waitSynced } from './helpers.ts';
import { bootForTest, createCards, newIntent, transition } from './bookings/harness.ts';
import { createTestDatabase } from './contracts/pgTestDb.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const pgEnv = (extra: Record<string, string> = {}) => ({ DATABASE_URL: database.url, ...extra });
const cardTitles = (doc: Y.Doc) => readCards(doc).map((c) => c.title).sort();

describe('server on Postgres', () => {
  it('serves REST: register, sign in, boards, /api/me, readiness', async () => {
    const server = await startTestServer(tempDir(), pgEnv());
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const owner = await registerUser(server.url, 'Pia Postgres');
    const boardId = await createBoard(server.url, owner, 'Pantry run');
    const me = await api(server.url, owner, 'GET', '/api/me');
    expect(me.status).toBe(200);
    expect(me.body.boards).toEqual([{ id: boardId, name: 'Pantry run', role: 'coordinator' }]);
    const login = await api(server.url, null, 'POST', '/api/auth/login', { email: owner.email, password: 'correct horse battery' });
    expect(login.status).toBe(200);
  });

  it('syncs: two clients converge, and a third joining later gets the full state', async () => {
    const server = await startTestServer(tempDir(), pgEnv());
    const owner = await registerUser(server.url, 'Olive Owner');
    const boardId = await createBoard(server.url, owner);
    const a = connectClient(server.url, boardId, owner);
    const b = connectClient(server.url, boardId, owner);
    await Promise.all([waitSynced(a), waitSynced(b)]);
    const id = createCard(a.doc, { title: 'Soup to Elm St' }, owner.id);
    createCard(b.doc, { title: 'Bread to Oak Ave' }, owner.id);
    await waitFor(() => boardRoots(b.doc).cards.has(id));
    setCardField(b.doc, id, 'notes', 'ring twice');
    await waitFor(() => cardTitles(a.doc).length === 2 && cardTitles(b.doc).length === 2);
    await waitFor(() => readCards(a.doc).find((c) => c.id === id)?.notes === 'ring twice');
    const c = connectClient(server.url, boardId, owner);
    await waitSynced(c);
    expect(cardTitles(c.doc)).toEqual(['Bread to Oak Ave', 'Soup to Elm St']);
  });

  it('keeps the document across a restart, and compacts it into a snapshot', async () => {
    const env = pgEnv({ COMPACT_EVERY_UPDATES: '10', DOC_IDLE_MS: '50' });
    const server = await startTestServer(tempDir(), env);
    const owner = await registerUser(server.url, 'Rita Restart');
    const boardId = await createBoard(server.url, owner);
    const a = connectClient(server.url, boardId, owner);
    await waitSynced(a);
    for (let i = 0; i < 25; i++) {
      createCard(a.doc, { title: `c${i}` }, owner.id);
      await new Promise((r) => setTimeout(r, 5));
    }
    const expected = boardRoots(a.doc).cards.toJSON();
    const b = connectClient(server.url, boardId, owner); // sees all 25 only once the server has them
    await waitSynced(b);
    await waitFor(() => cardTitles(b.doc).length === 25);
    a.provider.destroy();
    b.provider.destroy();
    await waitFor(() => server.sync.roomCount === 0, 3000, 'room unloaded');
    await server.close();

    const pg = await openPg(database.url, { max: 1 });
    const stored = await createPgDocumentStore(pg.db).load(boardId);
    await pg.close();
    expect(stored.snapshot).not.toBeNull();
    expect(stored.updates.length).toBeLessThan(10);

    const again = await startTestServer(tempDir(), env);
    const c = connectClient(again.url, boardId, owner);
    let atSynced: number | null = null;
    c.provider.on('sync', (s: boolean) => {
      if (s && atSynced === null) atSynced = readCards(c.doc).length;
    });
    await waitSynced(c);
    expect(atSynced).toBe(25);
    expect(boardRoots(c.doc).cards.toJSON()).toEqual(expected);
  });

  it('two replicas on one database: shared sessions, one winner per card across replicas', async () => {
    const [r1, r2] = await Promise.all([bootForTest({ env: pgEnv() }), bootForTest({ env: pgEnv() })]);
    const coordinator = await registerUser(r1.url, 'Cora Coordinator');
    const boardId = await createBoard(r1.url, coordinator, 'Two replicas');
    // The session cookie from replica 1 is good on replica 2: sessions live in the shared database.
    expect((await api(r2.url, coordinator, 'GET', `/api/boards/${boardId}`)).status).toBe(200);
    const invite = await api(r1.url, coordinator, 'POST', `/api/boards/${boardId}/invites`, { role: 'driver', maxUses: 6 });
    const drivers = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const d = await registerUser(i % 2 ? r2.url : r1.url, `Driver ${i}`);
        expect((await api(i % 2 ? r1.url : r2.url, d, 'POST', `/api/invites/${invite.body.token}/accept`)).status).toBe(200);
        return d;
      }),
    );
    const cards = await createCards(r1.url, boardId, coordinator, ['one', 'two', 'three', 'four', 'five']);
    const plan = cards.flatMap((cardId) => drivers.map((d, i) => ({ cardId, d, url: i % 2 ? r2.url : r1.url })));
    const replies = await Promise.all(plan.map((p) => transition(p.url, p.d, boardId, p.cardId, 'claim', { intentId: newIntent() })));
    for (const cardId of cards) {
      const statuses = replies.filter((_, i) => plan[i]!.cardId === cardId).map((r) => r.status).sort();
      expect(statuses, cardId).toEqual([200, 409, 409, 409, 409, 409]);
    }
    const audit = await api(r2.url, coordinator, 'GET', `/api/boards/${boardId}/audit?limit=100`);
    expect(audit.body.entries.filter((e: { action: string }) => e.action === 'booking.claim')).toHaveLength(cards.length);
  });
});
