/**
 * Private details (recipient name, phone, access notes) live in a server table: never in any
 * websocket frame, readable by coordinators, the card's requester and the driver holding the card
 * (claimed or picked up), writable by coordinators and the card's requester.
 */
import { describe, expect, it } from 'vitest';
import { setCardField } from '@delivery-board/schema/boardDoc';
import { registerUser } from '../helpers.ts';
import { bookingsMap } from '../../src/bookings/bookingService.ts';
import { allAudit, api, boardWith, bootForTest, createCards, must, providerForTest, rawClient, sleep, waitFor } from './harness.ts';

async function setup() {
  const { url } = await bootForTest();
  const b = await boardWith(url, {
    R: { name: 'Rae Requester', role: 'requester' },
    Q: { name: 'Quin Requester', role: 'requester' },
    D: { name: 'Dana Driver', role: 'driver' },
    E: { name: 'Eli Driver', role: 'driver' },
    V: { name: 'Val Viewer', role: 'viewer' },
  });
  return { url, ...b, ...b.users };
}

const privatePath = (boardId: string, cardId: string) => `/api/boards/${boardId}/cards/${cardId}/private`;

describe('private details', () => {
  it('never appear in any websocket frame of the board or bookings document', async () => {
    const { url, boardId, coordinator, R, D } = await setup();
    const [cardId, other] = (await createCards(url, boardId, R, ['Parcel for flat 3', 'Other parcel'])) as [string, string];
    const secrets1 = { recipientName: 'Xanthippe Quarrington', phone: '+44 7700 981234', accessNotes: 'Door code 4-8-1-5-Zeta, key under the gnome' };
    const secrets2 = { recipientName: 'Bartholomew Wobblesworth', phone: '+1 202 555 0147', accessNotes: 'Gate PIN 99-Omega-37, dog is friendly' };
    // Parts of the numbers keep their space: bare digits like "0147" turn up in timestamps and ids.
    const needles = [...Object.values(secrets1), ...Object.values(secrets2), 'Xanthippe', 'Wobblesworth', '4-8-1-5-Zeta', '99-Omega-37', '7700 981234', '555 0147'];

    expect((await api(url, coordinator, 'PUT', privatePath(boardId, cardId), secrets1)).status).toBe(200);

    // Raw sockets on both documents, for the coordinator (may read the details) and the driver.
    const sockets = [coordinator, D].flatMap((u) => [rawClient(url, boardId, u), rawClient(url, `${boardId}/bookings`, u)]);
    await Promise.all(sockets.map((s) => s.opened));
    // Board edits going on meanwhile, so the board sockets carry traffic too.
    const editor = providerForTest(url, boardId, R);
    await waitFor(() => editor.provider.synced, 5000, 'editor synced');

    await must(url, D, boardId, cardId, 'claim');
    expect((await api(url, D, 'GET', privatePath(boardId, cardId))).body.details).toMatchObject(secrets1);
    await must(url, D, boardId, cardId, 'pickup');
    expect((await api(url, R, 'PUT', privatePath(boardId, cardId), secrets2)).status).toBe(200);
    expect((await api(url, D, 'GET', privatePath(boardId, cardId))).body.details).toMatchObject(secrets2);
    // A PUT with some fields changes only those.
    const notesOnly = await api(url, R, 'PUT', privatePath(boardId, cardId), { accessNotes: secrets1.accessNotes });
    expect(notesOnly.body.details).toMatchObject({ ...secrets2, accessNotes: secrets1.accessNotes });
    expect((await api(url, D, 'GET', privatePath(boardId, cardId))).body.details).toMatchObject({ ...secrets2, accessNotes: secrets1.accessNotes });
    setCardField(editor.doc, cardId, 'title', 'Parcel for flat 3 (fragile)');
    await must(url, D, boardId, other, 'claim');
    expect((await api(url, coordinator, 'PUT', privatePath(boardId, other), secrets1)).status).toBe(200);
    await must(url, D, boardId, cardId, 'deliver');
    await must(url, coordinator, boardId, other, 'release');

    // Wait until every socket has seen the last changes (so frames really were recorded).
    const has = (frames: Buffer[], s: string) => frames.some((f) => f.includes(Buffer.from(s, 'utf8')));
    await waitFor(() => sockets.every((s, i) => (i % 2 === 0 ? has(s.frames, '(fragile)') : has(s.frames, 'delivered'))), 5000, 'frames');
    await sleep(100);
    for (const s of sockets) {
      for (const needle of needles) {
        expect(has(s.frames, needle), `"${needle}" in a frame`).toBe(false);
      }
    }
    // Nor in the bookings document a fresh client gets, nor in the audit trail.
    const fresh = providerForTest(url, `${boardId}/bookings`, coordinator);
    await waitFor(() => fresh.provider.synced && bookingsMap(fresh.doc).size === 2, 5000, 'bookings doc');
    const auditText = JSON.stringify(await allAudit(url, coordinator, boardId));
    const docText = JSON.stringify(bookingsMap(fresh.doc).toJSON());
    for (const needle of needles) {
      expect(auditText.includes(needle), `"${needle}" in the audit trail`).toBe(false);
      expect(docText.includes(needle)).toBe(false);
    }
  });

  it('each role reads and writes exactly as the contract says', async () => {
    const { url, boardId, coordinator, R, Q, D, E, V } = await setup();
    const stranger = await registerUser(url, 'Stan Stranger');
    const [cardId] = (await createCards(url, boardId, R, ['Medicine pickup'])) as [string];
    const path = privatePath(boardId, cardId);
    const body = { recipientName: 'Nadia Nakamura', phone: '0123 456 789', accessNotes: 'Ring twice' };
    const get = async (u: typeof R | null) => (await api(url, u, 'GET', path)).status;
    const put = async (u: typeof R | null) => (await api(url, u, 'PUT', path, body)).status;

    // coordinator and the card's requester: read and write
    const put1 = await api(url, coordinator, 'PUT', path, body);
    expect(put1.status).toBe(200);
    expect(put1.body.details).toMatchObject({ ...body, updatedBy: coordinator.id });
    expect(typeof put1.body.details.updatedAt).toBe('number');
    expect(await get(coordinator)).toBe(200);
    const byR = await api(url, R, 'PUT', path, { ...body, phone: '0999 000 111' });
    expect(byR.status).toBe(200);
    const readR = await api(url, R, 'GET', path);
    expect(readR.status).toBe(200);
    expect(readR.body.details).toMatchObject({ ...body, phone: '0999 000 111', updatedBy: R.id });

    // another requester, a viewer, a non-member, anonymous
    expect([await get(Q), await put(Q)]).toEqual([403, 403]);
    expect([await get(V), await put(V)]).toEqual([403, 403]);
    expect([await get(stranger), await put(stranger)]).toEqual([403, 403]);
    expect([await get(null), await put(null)]).toEqual([401, 401]);

    // drivers: nothing while the card is open
    expect([await get(D), await put(D)]).toEqual([403, 403]);
    // the holding driver reads (claimed, picked up) but never writes; other drivers nothing
    await must(url, D, boardId, cardId, 'claim');
    expect([await get(D), await put(D)]).toEqual([200, 403]);
    expect((await api(url, D, 'GET', path)).body.details).toMatchObject({ recipientName: body.recipientName, phone: '0999 000 111' });
    expect([await get(E), await put(E)]).toEqual([403, 403]);
    await must(url, D, boardId, cardId, 'pickup');
    expect([await get(D), await put(D)]).toEqual([200, 403]);
    expect([await get(E), await put(E)]).toEqual([403, 403]);
    // after delivery: no longer
    await must(url, D, boardId, cardId, 'deliver');
    expect([await get(D), await put(D)]).toEqual([403, 403]);
    // the details are unchanged by all the refused writes
    expect((await api(url, coordinator, 'GET', path)).body.details).toMatchObject({ ...body, phone: '0999 000 111', updatedBy: R.id });

    // unknown card: 404
    expect((await api(url, coordinator, 'GET', privatePath(boardId, 'nosuchcard'))).status).toBe(404);
    expect((await api(url, coordinator, 'PUT', privatePath(boardId, 'nosuchcard'), body)).status).toBe(404);

    // every accepted write is audited (without the details)
    const rows = (await allAudit(url, coordinator, boardId, { cardId })).filter((r) => r.action === 'card.private_updated');
    expect(rows.map((r) => r.actorId)).toEqual([R.id, coordinator.id]);
  });

  it('a driver who released the card, or whose card was reassigned, loses access', async () => {
    const { url, boardId, coordinator, R, D, E } = await setup();
    const [cardId] = (await createCards(url, boardId, R, ['Soup'])) as [string];
    const path = privatePath(boardId, cardId);
    await api(url, R, 'PUT', path, { phone: '555' });
    await must(url, D, boardId, cardId, 'claim');
    expect((await api(url, D, 'GET', path)).status).toBe(200);
    await must(url, D, boardId, cardId, 'release');
    expect((await api(url, D, 'GET', path)).status).toBe(403);
    await must(url, coordinator, boardId, cardId, 'assign', { driverId: E.id });
    expect((await api(url, E, 'GET', path)).status).toBe(200);
    expect((await api(url, D, 'GET', path)).status).toBe(403);
    await must(url, coordinator, boardId, cardId, 'cancel');
    expect((await api(url, E, 'GET', path)).status).toBe(403);
  });

  it('rejects invalid bodies with 400', async () => {
    const { url, boardId, coordinator, R } = await setup();
    const [cardId] = (await createCards(url, boardId, R, ['x'])) as [string];
    const path = privatePath(boardId, cardId);
    for (const bad of [{ phone: 'x'.repeat(41) }, { recipientName: 'x'.repeat(121) }, { accessNotes: 'x'.repeat(2001) }, { phone: 12 }, { ssn: '1' }]) {
      expect((await api(url, coordinator, 'PUT', path, bad)).status, JSON.stringify(bad)).toBe(400);
    }
  });
});
