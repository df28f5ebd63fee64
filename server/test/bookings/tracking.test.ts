/**
 * Tracking links: created by a coordinator or the card's requester; anyone holding the token sees
 * title, status, the driver's first name and the timeline — nothing private, no ids, no last names.
 */
import { describe, expect, it } from 'vitest';
import { registerUser } from '../helpers.ts';
import { allAudit, api, boardWith, bootForTest, createCards, deleteCards, memoryLogger, must } from './harness.ts';

async function setup() {
  const { url } = await bootForTest();
  const b = await boardWith(url, {
    R: { name: 'Rae Requesterson', role: 'requester' },
    Q: { name: 'Quin Otherrequester', role: 'requester' },
    D: { name: 'Dana Vanderquist', role: 'driver' },
    V: { name: 'Val Viewerling', role: 'viewer' },
  });
  const [cardId] = (await createCards(url, b.boardId, b.users.R, ['Bread for the shelter'])) as [string];
  const base = `/api/boards/${b.boardId}/cards/${cardId}/tracking`;
  return { url, ...b, ...b.users, cardId, base };
}

describe('tracking links', () => {
  it('coordinator and the card\'s requester create links; others cannot', async () => {
    const { url, boardId, coordinator, R, Q, D, V, base } = await setup();
    const stranger = await registerUser(url, 'Stan Stranger');
    const byC = await api(url, coordinator, 'POST', base);
    expect(byC.status).toBe(201);
    expect(byC.body).toMatchObject({ id: expect.any(String), token: expect.any(String) });
    expect(byC.body.url).toBe(`${url}/track/${byC.body.token}`);
    const byR = await api(url, R, 'POST', base);
    expect(byR.status).toBe(201);
    expect(byR.body.token).not.toBe(byC.body.token);

    for (const u of [Q, D, V, stranger]) expect((await api(url, u, 'POST', base)).status, u.name).toBe(403);
    expect((await api(url, null, 'POST', base)).status).toBe(401);
    expect((await api(url, coordinator, 'POST', `/api/boards/${boardId}/cards/nosuchcard/tracking`)).status).toBe(404);

    // listing: the same people
    const list = await api(url, R, 'GET', base);
    expect(list.status).toBe(200);
    expect(list.body.links.map((l: { id: string }) => l.id).sort()).toEqual([byC.body.id, byR.body.id].sort());
    expect(JSON.stringify(list.body)).not.toContain(byC.body.token);
    for (const u of [Q, D, V]) expect((await api(url, u, 'GET', base)).status, u.name).toBe(403);

    const rows = (await allAudit(url, coordinator, boardId)).filter((r) => r.action === 'tracking.created');
    expect(rows.map((r) => r.actorId).sort()).toEqual([coordinator.id, R.id].sort());
    expect(JSON.stringify(rows)).not.toContain(byC.body.token);
  });

  it('the public view: title, status, driver first name, timeline — nothing private', async () => {
    const { url, boardId, coordinator, R, D, cardId, base } = await setup();
    const secrets = { recipientName: 'Ottoline Featherstonehaugh', phone: '+31 6 1234 9876', accessNotes: 'Side door, code 7319-Kappa' };
    expect((await api(url, coordinator, 'PUT', `/api/boards/${boardId}/cards/${cardId}/private`, secrets)).status).toBe(200);
    const { token } = (await api(url, R, 'POST', base)).body;

    const view = async () => {
      const res = await fetch(`${url}/api/track/${token}`); // no session
      const text = await res.text();
      return { status: res.status, text, body: JSON.parse(text), headers: res.headers };
    };
    const v0 = await view();
    expect(v0.status).toBe(200);
    expect(v0.body).toMatchObject({ title: 'Bread for the shelter', status: 'open', driver: null, timeline: [] });
    expect(v0.headers.get('cache-control')).toMatch(/no-store/);

    await must(url, D, boardId, cardId, 'claim', { note: 'Call Ottoline on arrival' });
    await must(url, D, boardId, cardId, 'pickup');
    const v1 = await view();
    expect(v1.body).toMatchObject({ title: 'Bread for the shelter', status: 'picked_up', driver: 'Dana' });
    expect(typeof v1.body.updatedAt).toBe('number');
    const timeline = [...v1.body.timeline].sort((a: { at: number }, b: { at: number }) => a.at - b.at);
    expect(timeline.map((t: { status: string; driver: string }) => [t.status, t.driver])).toEqual([
      ['claimed', 'Dana'],
      ['picked_up', 'Dana'],
    ]);

    await must(url, D, boardId, cardId, 'deliver', { note: 'Handed to Ottoline' });
    const v2 = await view();
    expect(v2.body).toMatchObject({ status: 'delivered', driver: 'Dana' });
    expect(v2.body.timeline).toHaveLength(3);

    // Clearing delivered cards off the board does not turn the recipient's view into "cancelled".
    await deleteCards(url, boardId, coordinator, [cardId]);
    expect((await view()).body).toMatchObject({ title: 'Bread for the shelter', status: 'delivered', driver: 'Dana' });

    for (const v of [v0, v1, v2]) {
      for (const needle of [...Object.values(secrets), 'Ottoline', 'Featherstonehaugh', 'code 7319', '1234 9876', D.id, D.email, 'Vanderquist', 'Requesterson', R.id, coordinator.id, 'Coordinator', 'driverId', 'phone', 'accessNotes', 'recipientName']) {
        expect(v.text.includes(needle), `"${needle}" in ${v.text}`).toBe(false);
      }
    }
  });

  it('creating and revoking take no body (over real HTTP): one is 400 unexpected_body and nothing happens', async () => {
    const { url, coordinator, base } = await setup();
    const ids = async () => ((await api(url, coordinator, 'GET', base)).body.links as Array<{ id: string }>).map((l) => l.id);
    const refused = await api(url, coordinator, 'POST', base, { expiresInHours: 1 });
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'unexpected_body' } } });
    expect(await ids()).toEqual([]);
    const made = await api(url, coordinator, 'POST', base, {});
    expect(made.status).toBe(201);
    expect((await api(url, coordinator, 'DELETE', `${base}/${made.body.id}`, { reason: 'typo' })).status).toBe(400);
    expect(await ids()).toEqual([made.body.id]);
    expect((await api(url, coordinator, 'DELETE', `${base}/${made.body.id}`)).status).toBe(204);
    expect(await ids()).toEqual([]);
  });

  it('revoked or unknown links are 404; only coordinator and the card\'s requester revoke', async () => {
    const { url, boardId, coordinator, R, D, V, base } = await setup();
    const a = (await api(url, coordinator, 'POST', base)).body;
    const b = (await api(url, R, 'POST', base)).body;
    const track = async (token: string) => (await fetch(`${url}/api/track/${token}`)).status;
    expect([await track(a.token), await track(b.token)]).toEqual([200, 200]);

    for (const u of [D, V]) expect((await api(url, u, 'DELETE', `${base}/${a.id}`)).status, u.name).toBe(403);
    expect(await track(a.token)).toBe(200);

    expect((await api(url, R, 'DELETE', `${base}/${a.id}`)).status).toBe(204);
    expect(await track(a.token)).toBe(404);
    expect(await track(b.token)).toBe(200);
    expect((await api(url, R, 'DELETE', `${base}/${a.id}`)).status).toBe(404);
    expect((await api(url, coordinator, 'DELETE', `${base}/${b.id}`)).status).toBe(204);
    expect(await track(b.token)).toBe(404);
    expect((await api(url, R, 'GET', base)).body.links).toEqual([]);

    expect(await track('a'.repeat(43))).toBe(404);
    const rows = (await allAudit(url, coordinator, boardId)).filter((r) => r.action === 'tracking.revoked');
    expect(rows.map((r) => r.actorId).sort()).toEqual([coordinator.id, R.id].sort());
  });
  it('invite and tracking tokens never reach the logs', async () => {
    const log = memoryLogger();
    const { url } = await bootForTest({ logger: log.logger });
    const { coordinator, boardId } = await boardWith(url, {});
    const [cardId] = (await createCards(url, boardId, coordinator, ['Soup'])) as [string];
    const { token: trackToken } = (await api(url, coordinator, 'POST', `/api/boards/${boardId}/cards/${cardId}/tracking`)).body;
    const { token: inviteToken } = (await api(url, coordinator, 'POST', `/api/boards/${boardId}/invites`, { role: 'driver' })).body;
    const joiner = await registerUser(url, 'Jo Joiner');
    expect((await fetch(`${url}/api/track/${trackToken}`)).status).toBe(200);
    expect((await api(url, joiner, 'GET', `/api/invites/${inviteToken}`)).status).toBe(200);
    expect((await api(url, joiner, 'POST', `/api/invites/${inviteToken}/accept`)).status).toBe(200);
    const paths = log.entries().filter((e) => e.msg === 'request').map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/api/track/:token', '/api/invites/:token', '/api/invites/:token/accept']));
    for (const line of log.lines) {
      expect(line).not.toContain(trackToken);
      expect(line).not.toContain(inviteToken);
    }
  });
});
