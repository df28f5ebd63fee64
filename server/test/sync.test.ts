/** Live sync over real websockets with stock y-websocket clients against a real server. */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { boardRoots, createCard, deleteCard, readCards, setCardField } from '@delivery-board/schema/boardDoc';
import { CloseCode } from '@delivery-board/schema/types';
import { openSqlite } from '../src/db/sqlite.ts';
import { createSqliteDocumentStore } from '../src/stores/sqlite/documentStore.ts';
import { addMember, api, connectClient, createBoard, registerUser, startTestServer, tempDir, waitFor, waitSynced } from './helpers.ts';
import { join } from 'node:path';

async function setup(env: Record<string, string> = {}) {
  const dataDir = tempDir();
  const server = await startTestServer(dataDir, env);
  const owner = await registerUser(server.url, 'Olive Owner');
  const boardId = await createBoard(server.url, owner);
  return { dataDir, server, owner, boardId };
}

/** Raw websocket with the user's cookie; resolves its close event. */
function rawSocket(url: string, boardId: string, cookie: string | null, headers: Record<string, string> = {}) {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + '/sync/' + boardId, { headers: { ...(cookie ? { cookie } : {}), ...headers } });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const opened = new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('error', reject);
  });
  return { ws, closed, opened };
}

const cardTitles = (doc: Y.Doc) => readCards(doc).map((c) => c.title).sort();

/** lib0's varuint: 7 bits a byte, low first. */
function varUint(n: number): number[] {
  const out: number[] = [];
  for (; n > 127; n >>>= 7) out.push((n & 127) | 128);
  out.push(n);
  return out;
}

describe('sync', () => {
  it('two clients converge, and a third joining later gets the full state', async () => {
    const { server, owner, boardId } = await setup();
    const a = connectClient(server.url, boardId, owner);
    const b = connectClient(server.url, boardId, owner);
    await Promise.all([waitSynced(a), waitSynced(b)]);
    const id = createCard(a.doc, { title: 'Soup to Elm St' }, owner.id);
    createCard(b.doc, { title: 'Bread to Oak Ave' }, owner.id);
    await waitFor(() => boardRoots(b.doc).cards.has(id));
    setCardField(b.doc, id, 'notes', 'ring twice');
    await waitFor(() => cardTitles(a.doc).length === 2 && cardTitles(b.doc).length === 2);
    await waitFor(() => readCards(a.doc).find((c) => c.id === id)?.notes === 'ring twice');
    expect(Y.encodeStateAsUpdate(a.doc)).toEqual(Y.encodeStateAsUpdate(b.doc));

    const c = connectClient(server.url, boardId, owner);
    await waitSynced(c);
    // "synced" means the whole document, at that moment
    expect(cardTitles(c.doc)).toEqual(['Bread to Oak Ave', 'Soup to Elm St']);
  });

  it("a viewer's edits never reach others nor the database; their awareness does", async () => {
    const { server, owner, boardId, dataDir } = await setup();
    const viewer = await registerUser(server.url, 'Vera Viewer');
    await addMember(server.url, owner, boardId, viewer, 'viewer');
    const v = connectClient(server.url, boardId, viewer);
    const o = connectClient(server.url, boardId, owner);
    await Promise.all([waitSynced(v), waitSynced(o)]);
    createCard(v.doc, { title: 'forged by viewer' }, viewer.id);
    v.provider.awareness.setLocalStateField('user', { id: viewer.id, name: 'Vera Viewer', role: 'viewer' });
    await waitFor(() => [...o.provider.awareness.getStates().values()].some((s) => s.user?.name === 'Vera Viewer'));
    createCard(o.doc, { title: 'by owner' }, owner.id);
    await waitFor(() => cardTitles(v.doc).includes('by owner'));
    // The owner's card arrived after the viewer's edit was sent: had it been relayed, it would be here.
    expect(cardTitles(o.doc)).toEqual(['by owner']);
    const fresh = connectClient(server.url, boardId, owner);
    await waitSynced(fresh);
    expect(cardTitles(fresh.doc)).toEqual(['by owner']);
    await server.close();
    const db = openSqlite(join(dataDir, 'delivery-board.sqlite'));
    const stored = await createSqliteDocumentStore(db.db).load(boardId);
    const restored = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(restored, stored.snapshot);
    for (const u of stored.updates) Y.applyUpdate(restored, u);
    db.close();
    expect(cardTitles(restored)).toEqual(['by owner']);
  });

  it('refuses non-members (4403), anonymous (4401), unknown boards (4404) and foreign origins (4403)', async () => {
    const { server, boardId, owner } = await setup();
    const stranger = await registerUser(server.url, 'Stan Stranger');
    expect((await rawSocket(server.url, boardId, stranger.cookie).closed).code).toBe(CloseCode.forbidden);
    expect((await rawSocket(server.url, boardId, null).closed).code).toBe(CloseCode.noSession);
    expect((await rawSocket(server.url, 'nosuchboard', owner.cookie).closed).code).toBe(CloseCode.unknownBoard);
    // A malformed %-escape in the path is an unknown board too, with or without a session, and the
    // server lives on (it once threw outside any handler and ended the process).
    expect((await rawSocket(server.url, '%E0', owner.cookie).closed).code).toBe(CloseCode.unknownBoard);
    expect((await rawSocket(server.url, '%E0%A4%A', null).closed).code).toBe(CloseCode.noSession);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await rawSocket(server.url, boardId, owner.cookie, { origin: 'https://evil.example' }).closed).code).toBe(CloseCode.forbidden);
    // A stock client stops retrying after a 44xx close.
    const s = connectClient(server.url, boardId, stranger);
    await waitFor(() => s.closes.length > 0);
    await new Promise((r) => setTimeout(r, 300));
    expect(s.closes.map((c) => c.code)).toEqual([CloseCode.forbidden]);
    expect(s.provider.shouldConnect).toBe(false);
  });

  it('a garbage frame closes only its sender (4400), and the document is untouched', async () => {
    const { server, owner, boardId } = await setup();
    const a = connectClient(server.url, boardId, owner);
    await waitSynced(a);
    createCard(a.doc, { title: 'keep me' }, owner.id);
    const before = () => Y.encodeStateAsUpdate(a.doc);
    const bad = rawSocket(server.url, boardId, owner.cookie);
    await bad.opened;
    // sync message, update subtype, then a length prefix promising more bytes than there are
    bad.ws.send(new Uint8Array([0, 2, 200, 1, 1, 2, 3]));
    expect((await bad.closed).code).toBe(CloseCode.badFrame);
    const bad2 = rawSocket(server.url, boardId, owner.cookie);
    await bad2.opened;
    bad2.ws.send(new Uint8Array([99, 1, 2]));
    expect((await bad2.closed).code).toBe(CloseCode.badFrame);
    const bad3 = rawSocket(server.url, boardId, owner.cookie);
    await bad3.opened;
    bad3.ws.send('hello');
    expect((await bad3.closed).code).toBe(CloseCode.badFrame);
    // The well-behaved client is still connected and still syncing.
    const b = connectClient(server.url, boardId, owner);
    await waitSynced(b);
    createCard(b.doc, { title: 'after garbage' }, owner.id);
    await waitFor(() => cardTitles(a.doc).includes('after garbage'));
    expect(a.closes).toEqual([]);
    expect(cardTitles(b.doc)).toEqual(['after garbage', 'keep me']);
    expect(before().length).toBeGreaterThan(0);
  });

  it('an update that decodes but fails partway through applying stores and sends none of it; the document reloads', async () => {
    const { server, owner, boardId } = await setup();
    const a = connectClient(server.url, boardId, owner);
    await waitSynced(a);
    createCard(a.doc, { title: 'keep me' }, owner.id);
    const fresh = () => {
      const c = connectClient(server.url, boardId, owner);
      return waitSynced(c).then(() => c);
    };
    await waitFor(() => cardTitles(a.doc).length === 1, 5000);
    const check = await fresh();
    await waitFor(() => cardTitles(check.doc).includes('keep me'), 5000, 'keep me stored');
    check.provider.destroy();

    // Three new cards as one update against what the server holds, then one byte changed: find a
    // variant that decodes, throws while being applied, and leaves part of it in the document.
    const base = Y.encodeStateAsUpdate(a.doc);
    const writer = new Y.Doc();
    Y.applyUpdate(writer, base);
    writer.transact(() => ['one', 'two', 'three'].forEach((t) => createCard(writer, { title: `partial ${t}` }, owner.id)));
    const good = Y.encodeStateAsUpdate(writer, Y.encodeStateVector(a.doc));
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let bad: Uint8Array | null = null;
    for (let tries = 0; tries < 50_000 && !bad; tries++) {
      const candidate = good.slice();
      candidate[Math.floor(random() * candidate.length)] = Math.floor(random() * 256);
      try {
        Y.decodeUpdate(candidate);
      } catch {
        continue;
      }
      const probe = new Y.Doc();
      Y.applyUpdate(probe, base);
      try {
        Y.applyUpdate(probe, candidate);
      } catch {
        if (readCards(probe).some((c) => c.title.startsWith('partial'))) bad = candidate;
      }
    }
    expect(bad, 'a half-applying variant').not.toBeNull();

    const sender = rawSocket(server.url, boardId, owner.cookie);
    await sender.opened;
    // sync message (0), update (2), then the update as a varUint8Array
    sender.ws.send(new Uint8Array([0, 2, ...varUint(bad!.length), ...bad!]));
    expect((await sender.closed).code).toBe(CloseCode.badFrame);

    // No partial card reached anyone or the store: a new client gets the stored document. The
    // others are sent to reload (1012) and come back to it, and editing goes on.
    const after = await fresh();
    expect(cardTitles(after.doc)).toEqual(['keep me']);
    await waitFor(() => a.closes.some((c) => c.code === CloseCode.goingAway), 5000, 'a was sent to reconnect');
    await waitSynced(a, 5000);
    createCard(a.doc, { title: 'after the reload' }, owner.id);
    await waitFor(() => cardTitles(after.doc).includes('after the reload'), 5000, 'edits go on');
    expect(cardTitles(a.doc)).toEqual(['after the reload', 'keep me']);
    // ...nor the audit trail: only the two real cards were recorded as created.
    const audit = await api(server.url, owner, 'GET', `/api/boards/${boardId}/audit?limit=100`);
    const created = (audit.body.entries as { action: string; data: { title: string } }[]).filter((r) => r.action === 'card.created');
    expect(created.map((r) => r.data.title).sort()).toEqual(['after the reload', 'keep me']);
  });

  it('a frame over the size limit closes the sender with 4413', async () => {
    const { server, owner, boardId } = await setup({ MAX_FRAME_BYTES: '4096' });
    const a = connectClient(server.url, boardId, owner);
    await waitSynced(a);
    const big = rawSocket(server.url, boardId, owner.cookie);
    await big.opened;
    big.ws.send(new Uint8Array(5000));
    expect((await big.closed).code).toBe(CloseCode.frameTooLarge);
    createCard(a.doc, { title: 'still fine' }, owner.id);
    const b = connectClient(server.url, boardId, owner);
    await waitSynced(b);
    await waitFor(() => cardTitles(b.doc).includes('still fine'));
    expect(a.closes).toEqual([]);
  });

  it('refuses updates that would grow a document past MAX_DOC_BYTES (4413 "document full"); deletions still go through', async () => {
    const { server, owner, boardId } = await setup({ MAX_DOC_BYTES: String(64 * 1024) });
    const other = connectClient(server.url, boardId, owner);
    await waitSynced(other);
    const filler = connectClient(server.url, boardId, owner);
    await waitSynced(filler);
    // Cards with 8 KB of notes each: the ninth cannot fit.
    const ids: string[] = [];
    for (let i = 0; i < 12 && filler.closes.length === 0; i++) {
      ids.push(createCard(filler.doc, { title: `Big ${i}`, notes: `${i}`.padEnd(8000, 'x') }, owner.id));
      await new Promise((r) => setTimeout(r, 50));
    }
    await waitFor(() => filler.closes.length > 0, 5000, 'the filler closed');
    expect(filler.closes[0]).toEqual({ code: CloseCode.frameTooLarge, reason: 'document full' });
    // Everyone else is fine and holds what was accepted; the refused card is nowhere.
    expect(other.closes).toEqual([]);
    const accepted = ids.slice(0, -1);
    await waitFor(() => cardTitles(other.doc).length === accepted.length, 5000, 'the other client has the accepted cards');
    expect(Y.encodeStateAsUpdate(other.doc).byteLength).toBeLessThanOrEqual(64 * 1024);
    // Deleting makes room: a deletion is accepted even at the limit, and a small card fits again.
    deleteCard(other.doc, accepted[0]!);
    deleteCard(other.doc, accepted[1]!);
    await new Promise((r) => setTimeout(r, 200));
    createCard(other.doc, { title: 'Fits again' }, owner.id);
    const fresh = connectClient(server.url, boardId, owner);
    await waitSynced(fresh);
    await waitFor(() => cardTitles(fresh.doc).includes('Fits again'), 5000, 'the new card stored');
    expect(cardTitles(fresh.doc)).not.toContain(`Big ${ids.length - 1}`);
    expect(other.closes).toEqual([]);
  });

  it('removing a member closes their socket at once; demoting to viewer stops their writes', async () => {
    const { server, owner, boardId } = await setup();
    const driver = await registerUser(server.url, 'Dora Driver');
    const req = await registerUser(server.url, 'Rita Requester');
    await addMember(server.url, owner, boardId, driver, 'driver');
    await addMember(server.url, owner, boardId, req, 'requester');
    const d = connectClient(server.url, boardId, driver);
    const r = connectClient(server.url, boardId, req);
    const o = connectClient(server.url, boardId, owner);
    await Promise.all([waitSynced(d), waitSynced(r), waitSynced(o)]);
    expect((await api(server.url, owner, 'DELETE', `/api/boards/${boardId}/members/${driver.id}`)).status).toBe(204);
    await waitFor(() => d.closes.some((c) => c.code === CloseCode.forbidden), 2000, 'removed member closed');

    expect((await api(server.url, owner, 'PATCH', `/api/boards/${boardId}/members/${req.id}`, { role: 'viewer' })).status).toBe(200);
    // Told to re-read its role (4001), and reconnected as a viewer.
    await waitFor(() => r.closes.some((c) => c.code === CloseCode.roleChanged), 2000, 'role-change close');
    await waitFor(() => r.provider.synced && r.provider.wsconnected, 3000, 'reconnected');
    createCard(r.doc, { title: 'after demotion' }, req.id);
    createCard(o.doc, { title: 'owner marker' }, owner.id);
    await waitFor(() => cardTitles(r.doc).includes('owner marker'));
    await new Promise((res) => setTimeout(res, 100));
    expect(cardTitles(o.doc)).toEqual(['owner marker']);
  });

  it('after a server restart the document is intact, and synced means loaded', async () => {
    const { server, owner, boardId, dataDir } = await setup();
    const a = connectClient(server.url, boardId, owner);
    await waitSynced(a);
    for (let i = 0; i < 30; i++) createCard(a.doc, { title: `card ${i}` }, owner.id);
    setCardField(a.doc, readCards(a.doc)[0]!.id, 'notes', 'hello');
    const expected = boardRoots(a.doc).cards.toJSON();
    const b = connectClient(server.url, boardId, owner);
    await waitSynced(b);
    await waitFor(() => cardTitles(b.doc).length === 30);
    a.provider.destroy();
    b.provider.destroy();
    await server.close();

    const again = await startTestServer(dataDir);
    const c = connectClient(again.url, boardId, owner);
    let atSynced: number | null = null;
    c.provider.on('sync', (s: boolean) => {
      if (s && atSynced === null) atSynced = readCards(c.doc).length;
    });
    await waitSynced(c);
    expect(atSynced).toBe(30);
    expect(boardRoots(c.doc).cards.toJSON()).toEqual(expected);
  });

  it('compacts the update log into a snapshot and reloads from it', async () => {
    const { server, owner, boardId, dataDir } = await setup({ COMPACT_EVERY_UPDATES: '10', DOC_IDLE_MS: '50' });
    const a = connectClient(server.url, boardId, owner);
    await waitSynced(a);
    for (let i = 0; i < 25; i++) {
      createCard(a.doc, { title: `c${i}` }, owner.id);
      await new Promise((r) => setTimeout(r, 5));
    }
    const b = connectClient(server.url, boardId, owner);
    await waitSynced(b);
    expect(cardTitles(b.doc)).toHaveLength(25);
    a.provider.destroy();
    b.provider.destroy();
    // Idle rooms leave memory; the next connection loads snapshot + tail.
    await waitFor(() => server.sync.roomCount === 0, 3000, 'room unloaded');
    const db = openSqlite(join(dataDir, 'delivery-board.sqlite'));
    const stored = await createSqliteDocumentStore(db.db).load(boardId);
    db.close();
    expect(stored.snapshot).not.toBeNull();
    expect(stored.updates.length).toBeLessThan(10);
    const c = connectClient(server.url, boardId, owner);
    await waitSynced(c);
    expect(cardTitles(c.doc)).toHaveLength(25);
  });
});
