/**
 * The audit API: newest first, filter by card, `before` cursor, limit bounds, CSV export (defused
 * against formula injection), coordinator only; card.created / card.deleted rows from the board
 * document with the author's id; a card deleted while booked is cancelled with an audit row.
 */
import { describe, expect, it } from 'vitest';
import { registerUser } from '../helpers.ts';
import { bookingsMap } from '../../src/bookings/bookingService.ts';
import { allAudit, api, boardWith, bootForTest, createCards, deleteCards, must, providerForTest, waitFor, type AuditEntry } from './harness.ts';

const COLUMNS = ['id', 'at', 'cardId', 'actorId', 'actorName', 'action', 'fromStatus', 'toStatus', 'note', 'data'];

/** RFC 4180 CSV → rows of cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    } else if (ch === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else cell += ch;
  }
  if (cell !== '' || row.length) row.push(cell), rows.push(row);
  return rows;
}

async function setup() {
  const { url } = await bootForTest();
  const b = await boardWith(url, {
    R: { name: 'Rae Requester', role: 'requester' },
    D: { name: 'Dana Driver', role: 'driver' },
    X: { name: '=HYPERLINK("http://evil.example","click")', role: 'driver' },
    V: { name: 'Val Viewer', role: 'viewer' },
  });
  return { url, ...b, ...b.users };
}

describe('audit API', () => {
  it('newest first, filter by card, every row once through `before`, limit bounds', async () => {
    const { url, boardId, coordinator, R, D } = await setup();
    const [a, b] = (await createCards(url, boardId, R, ['Alpha', 'Beta'])) as [string, string];
    for (let i = 0; i < 15; i++) {
      await must(url, D, boardId, a, 'claim');
      await must(url, D, boardId, a, 'release');
      await must(url, D, boardId, b, 'claim');
      await must(url, coordinator, boardId, b, 'release');
    }
    const base = `/api/boards/${boardId}/audit`;
    const full = await api(url, coordinator, 'GET', `${base}?limit=500`);
    expect(full.status).toBe(200);
    const all: AuditEntry[] = full.body.entries;
    expect(full.body.nextBefore).toBeNull();
    expect(all.length).toBeGreaterThan(60);
    for (let i = 1; i < all.length; i++) {
      expect(all[i]!.id).toBeLessThan(all[i - 1]!.id);
      expect(all[i]!.at).toBeLessThanOrEqual(all[i - 1]!.at);
    }
    // the newest is the last release of b, the oldest the board's creation
    expect(all[0]).toMatchObject({ action: 'booking.release', cardId: b, actorId: coordinator.id });
    expect(all.at(-1)).toMatchObject({ action: 'board.created', actorId: coordinator.id });

    // default limit 50, with a cursor
    const def = await api(url, coordinator, 'GET', base);
    expect(def.body.entries).toHaveLength(50);
    expect(def.body.entries).toEqual(all.slice(0, 50));
    expect(def.body.nextBefore).toBe(all[49]!.id);

    // paging with `before` gives every row exactly once, in order
    for (const limit of [1, 7, 50]) {
      const paged = await allAudit(url, coordinator, boardId, {}, limit);
      expect(paged.map((r) => r.id)).toEqual(all.map((r) => r.id));
    }
    // filter by card, also paged
    const onlyA = await allAudit(url, coordinator, boardId, { cardId: a }, 4);
    expect(onlyA.map((r) => r.id)).toEqual(all.filter((r) => r.cardId === a).map((r) => r.id));
    expect(onlyA.at(-1)).toMatchObject({ action: 'card.created', actorId: R.id });
    expect(onlyA.filter((r) => r.action.startsWith('booking.'))).toHaveLength(30);

    // limit bounds (1-500) and cursor validation
    expect((await api(url, coordinator, 'GET', `${base}?limit=1`)).body.entries).toHaveLength(1);
    expect((await api(url, coordinator, 'GET', `${base}?limit=500`)).status).toBe(200);
    for (const q of ['limit=0', 'limit=501', 'limit=-3', 'limit=abc', 'before=0', 'before=abc', 'cardId=bad%20id', 'format=xml']) {
      expect((await api(url, coordinator, 'GET', `${base}?${q}`)).status, q).toBe(400);
    }
  });

  it('CSV export: header row, the same rows as JSON, cursor header, formula cells defused', async () => {
    const { url, boardId, coordinator, R, X } = await setup();
    const [a] = (await createCards(url, boardId, R, ['=cmd|"/c calc"!A1'])) as [string];
    await must(url, X, boardId, a, 'claim', { note: '=HYPERLINK("http://evil.example")' });
    await must(url, X, boardId, a, 'release', { note: '+SUM(1,2)' });
    await must(url, coordinator, boardId, a, 'cancel', { note: '@import' });
    await must(url, coordinator, boardId, a, 'reopen', { note: '-1+2' });

    const json = await api(url, coordinator, 'GET', `/api/boards/${boardId}/audit?limit=500`);
    const res = await fetch(`${url}/api/boards/${boardId}/audit?limit=500&format=csv`, { headers: { cookie: coordinator.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment/);
    expect(res.headers.get('x-next-before')).toBeNull();
    const rows = parseCsv(await res.text());
    expect(rows[0]).toEqual(COLUMNS);
    const body = rows.slice(1);
    expect(body.map((r) => Number(r[0]))).toEqual(json.body.entries.map((e: AuditEntry) => e.id));
    body.forEach((r, i) => {
      const e = json.body.entries[i] as AuditEntry;
      expect(r).toHaveLength(COLUMNS.length);
      expect(r[5]).toBe(e.action);
      expect(r[2]).toBe(e.cardId ?? '');
      expect(r[3]).toBe(e.actorId);
      expect(new Date(r[1]!).getTime()).toBe(e.at);
    });
    // no cell starts with a formula character; the dangerous ones were prefixed with '
    for (const r of body) for (const cell of r) expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/);
    const notes = body.map((r) => r[8]);
    expect(notes).toContain(`'=HYPERLINK("http://evil.example")`);
    expect(notes).toContain(`'+SUM(1,2)`);
    expect(notes).toContain(`'@import`);
    expect(notes).toContain(`'-1+2`);
    expect(body.filter((r) => r[4] === `'${X.name}`).length).toBeGreaterThanOrEqual(2);

    // paged CSV: X-Next-Before matches the JSON cursor
    const page = await fetch(`${url}/api/boards/${boardId}/audit?limit=3&format=csv`, { headers: { cookie: coordinator.cookie } });
    const pageJson = await api(url, coordinator, 'GET', `/api/boards/${boardId}/audit?limit=3`);
    expect(page.headers.get('x-next-before')).toBe(String(pageJson.body.nextBefore));
    expect(parseCsv(await page.text()).slice(1).map((r) => Number(r[0]))).toEqual(pageJson.body.entries.map((e: AuditEntry) => e.id));
  });

  it('coordinators only', async () => {
    const { url, boardId, R, D, V } = await setup();
    const stranger = await registerUser(url, 'Stan Stranger');
    const path = `/api/boards/${boardId}/audit`;
    for (const u of [R, D, V, stranger]) {
      expect((await api(url, u, 'GET', path)).status, u.name).toBe(403);
      expect((await api(url, u, 'GET', `${path}?format=csv`)).status, u.name).toBe(403);
    }
    expect((await api(url, null, 'GET', path)).status).toBe(401);
    expect((await api(url, D, 'GET', '/api/boards/nosuchboard/audit')).status).toBe(404);
  });

  it('card.created / card.deleted carry the author; rows survive deletion; deleting a booked card cancels it', async () => {
    const { url, boardId, coordinator, R, D } = await setup();
    const [open, claimed, pickedUp] = (await createCards(url, boardId, R, ['Open one', 'Claimed one', 'Picked up one'])) as [string, string, string];
    await must(url, D, boardId, claimed, 'claim');
    await must(url, D, boardId, pickedUp, 'claim');
    await must(url, D, boardId, pickedUp, 'pickup');
    const bookingsClient = providerForTest(url, `${boardId}/bookings`, R);

    await deleteCards(url, boardId, R, [open]); // a requester takes back their own request
    await deleteCards(url, boardId, coordinator, [claimed]);
    await deleteCards(url, boardId, R, [pickedUp]);

    const rowsFor = (cardId: string) => allAudit(url, coordinator, boardId, { cardId });
    let byCard: Record<string, AuditEntry[]> = {};
    const ready = async () => {
      byCard = { open: await rowsFor(open), claimed: await rowsFor(claimed), pickedUp: await rowsFor(pickedUp) };
      return byCard.claimed!.some((r) => r.action === 'booking.cancel') && byCard.pickedUp!.some((r) => r.action === 'booking.cancel') && byCard.open!.some((r) => r.action === 'card.deleted');
    };
    for (let i = 0; i < 100 && !(await ready()); i++) await new Promise((r) => setTimeout(r, 50));

    const summary = (rows: AuditEntry[]) => rows.map((r) => [r.action, r.actorId]).reverse();
    expect(summary(byCard.open!)).toEqual([
      ['card.created', R.id],
      ['card.deleted', R.id],
    ]);
    expect(byCard.open!.find((r) => r.action === 'card.created')!.data).toMatchObject({ title: 'Open one' });
    expect(summary(byCard.claimed!)).toEqual([
      ['card.created', R.id],
      ['booking.claim', D.id],
      ['card.deleted', coordinator.id],
      ['booking.cancel', coordinator.id],
    ]);
    expect(summary(byCard.pickedUp!)).toEqual([
      ['card.created', R.id],
      ['booking.claim', D.id],
      ['booking.pickup', D.id],
      ['card.deleted', R.id],
      ['booking.cancel', R.id],
    ]);
    const cancel = byCard.claimed!.find((r) => r.action === 'booking.cancel')!;
    expect(cancel).toMatchObject({ actorName: coordinator.name, fromStatus: 'claimed', toStatus: 'cancelled', note: 'Card deleted from the board' });
    expect(cancel.data).toMatchObject({ version: 2, driverId: null });
    expect(byCard.pickedUp!.find((r) => r.action === 'booking.cancel')).toMatchObject({ actorName: R.name, fromStatus: 'picked_up', toStatus: 'cancelled', note: 'Card deleted from the board' });

    // the bookings document follows
    const map = bookingsMap(bookingsClient.doc);
    await waitFor(() => map.get(claimed)?.status === 'cancelled' && map.get(pickedUp)?.status === 'cancelled', 5000, 'cancelled bookings');
    expect(map.get(claimed)).toMatchObject({ status: 'cancelled', driverId: null, byId: coordinator.id, version: 2 });
    expect(map.get(pickedUp)).toMatchObject({ status: 'cancelled', driverId: null, byId: R.id, version: 3 });
    expect(map.has(open)).toBe(false);
    // and the driver can no longer act on them (404: not on the board)
    expect((await api(url, D, 'POST', `/api/boards/${boardId}/cards/${claimed}/transitions`, { action: 'pickup', intentId: 'after-delete-1' })).status).toBe(404);
  });
});
