/**
 * Hostile and racy input: odd cookies, odd encodings, prototype keys, deep JSON, concurrent
 * requests on the same row, spoofed proxy headers, and session refresh on error answers.
 */
import { describe, expect, it } from 'vitest';
import { defaultLimits } from '../../src/auth/rateLimiter.ts';
import { DAY, PASSWORD, expectError, parseSetCookie, sessionCookie, setup, uniqueEmail } from './api.ts';

describe('hostile input', () => {
  it.each([
    'session=%E0%A4%A',
    'session=%',
    'session="unterminated',
    'session=' + 'A'.repeat(32),
    'session=' + 'a'.repeat(4096),
    'session=a; session=b',
    '=; ;;',
    'session',
  ])('a mangled cookie %j is just "no session" (401)', async (cookie) => {
    const t = setup();
    expectError(await t.request('GET', '/api/me', { as: cookie }), 401, 'unauthenticated');
  });

  it.each(['%E0%A4%A', '%', '%00', 'a%2Fb', '..', '%2e%2e%2fme'])('a path id %j never crashes', async (id) => {
    const t = setup();
    const user = await t.register('Paths');
    for (const path of [`/api/boards/${id}`, `/api/boards/${id}/members`, `/api/invites/${id}`]) {
      const res = await t.request('GET', path, { as: user });
      expect([400, 404]).toContain(res.status);
      expectError(res, res.status);
    }
  });

  it('prototype keys in a body are unknown fields, not a way in', async () => {
    const t = setup();
    const user = await t.register('Proto');
    for (const raw of ['{"name":"B","__proto__":{"role":"coordinator"}}', '{"name":"B","constructor":{"prototype":{"x":1}}}']) {
      const res = await t.request('POST', '/api/boards', { as: user, raw, headers: { 'content-type': 'application/json' } });
      expectError(res, 400, 'invalid_input');
    }
    expect(({} as Record<string, unknown>).role).toBeUndefined();
  });

  it('deeply nested JSON under the size limit is a 400, not a crash', async () => {
    const t = setup();
    const user = await t.register('Deep');
    const depth = 30_000;
    const raw = '['.repeat(depth) + ']'.repeat(depth);
    const res = await t.request('POST', '/api/boards', { as: user, raw, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expectError(res, 400);
  });

  it('other JSON-ish content types are 415', async () => {
    const t = setup();
    const user = await t.register('Types');
    for (const type of ['application/jsonx', 'application/json-patch+json', 'text/json', 'multipart/form-data; boundary=x']) {
      const res = await t.request('POST', '/api/boards', { as: user, raw: '{"name":"B"}', headers: { 'content-type': type } });
      expectError(res, 415, 'unsupported_media_type');
    }
    const upper = await t.request('POST', '/api/boards', { as: user, raw: '{"name":"B"}', headers: { 'content-type': 'Application/JSON' } });
    expect(upper.status).toBe(201);
  });
});

describe('concurrency', () => {
  it('two registrations racing for one email: one 201, one 409', async () => {
    const t = setup();
    const body = { email: uniqueEmail(), password: PASSWORD, name: 'Racer' };
    const results = await Promise.all([0, 1, 2].map(() => t.request('POST', '/api/auth/register', { json: body })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });

  it('five users racing for a single-use invite: exactly one gets in', async () => {
    const t = setup();
    const owner = await t.register('Owner');
    const boardId = await t.createBoard(owner);
    const users = await Promise.all(['A', 'B', 'C', 'D', 'E'].map((n) => t.register(n)));
    const inv = await t.createInvite(owner, boardId, { role: 'viewer', maxUses: 1 });
    const results = await Promise.all(users.map((u) => t.request('POST', `/api/invites/${inv.token}/accept`, { as: u })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 200)) expectError(r, 410, 'invite_used_up');
    expect((await t.request('GET', `/api/boards/${boardId}/members`, { as: owner })).body.members).toHaveLength(2);
  });

  it('two coordinators demoting each other at once: the board keeps a coordinator', async () => {
    const t = setup();
    const a = await t.register('A');
    const b = await t.register('B');
    const boardId = await t.createBoard(a);
    await t.addMember(a, boardId, b, 'coordinator');
    const [ra, rb] = await Promise.all([
      t.request('PATCH', `/api/boards/${boardId}/members/${b.id}`, { as: a, json: { role: 'viewer' } }),
      t.request('PATCH', `/api/boards/${boardId}/members/${a.id}`, { as: b, json: { role: 'viewer' } }),
    ]);
    const statuses = [ra.status, rb.status].sort();
    // Either the second is refused as the last coordinator, or it is refused because its caller
    // was demoted first; never both through.
    expect(statuses[0]).toBe(200);
    expect([403, 409]).toContain(statuses[1]);
    const members = (await t.request('GET', '/api/me', { as: a })).body.boards.concat((await t.request('GET', '/api/me', { as: b })).body.boards);
    expect(members.filter((m: { role: string }) => m.role === 'coordinator')).toHaveLength(1);
  });
});

describe('proxy headers', () => {
  it('without trustProxy, a spoofed X-Forwarded-For does not escape the login limit', async () => {
    const t = setup({ limits: { ...defaultLimits, loginPerIpPerMinute: 3 } });
    for (let i = 0; i < 3; i++) {
      await t.request('POST', '/api/auth/login', { json: { email: `x${i}@example.org`, password: 'wrong password' }, headers: { 'x-forwarded-for': `10.0.0.${i}` } });
    }
    const res = await t.request('POST', '/api/auth/login', { json: { email: 'y@example.org', password: 'wrong password' }, headers: { 'x-forwarded-for': '10.0.0.99' } });
    expectError(res, 429, 'rate_limited');
  });

  it('with trustProxy, each forwarded client address has its own login limit', async () => {
    const t = setup({ trustProxy: true, limits: { ...defaultLimits, loginPerIpPerMinute: 2 } });
    const login = (ip: string, i: number) =>
      t.request('POST', '/api/auth/login', { json: { email: `z${i}@example.org`, password: 'wrong password' }, headers: { 'x-forwarded-for': `203.0.113.7, ${ip}` } });
    expect((await login('10.1.1.1', 1)).status).toBe(401);
    expect((await login('10.1.1.1', 2)).status).toBe(401);
    expectError(await login('10.1.1.1', 3), 429, 'rate_limited');
    expect((await login('10.2.2.2', 4)).status).toBe(401);
  });

  it('with trustProxy and X-Forwarded-Proto: https, invite links are https like the cookie', async () => {
    const t = setup({ trustProxy: true });
    const headers = { 'x-forwarded-proto': 'https' };
    const reg = await t.request('POST', 'http://board.example/api/auth/register', { json: { email: uniqueEmail(), password: PASSWORD, name: 'P' }, headers });
    expect(parseSetCookie(reg)!.attrs.secure).toBe(true);
    const as = sessionCookie(reg);
    const created = await t.request('POST', 'http://board.example/api/boards', { as, json: { name: 'Proxied' }, headers });
    const inv = await t.request('POST', `http://board.example/api/boards/${created.body.id}/invites`, { as, json: { role: 'viewer' }, headers });
    expect(inv.status).toBe(201);
    expect(inv.body.url).toBe(`https://board.example/invite/${inv.body.token}`);
  });
});

describe('session refresh', () => {
  it('a refresh that happens on an error answer still re-sets the cookie', async () => {
    const clock = { now: Date.now() };
    const start = clock.now;
    const t = setup({}, clock);
    const user = await t.register('Refresh');
    clock.now = start + 16 * DAY;
    const res = await t.request('GET', '/api/boards/nosuchboard0000x', { as: user });
    expectError(res, 404, 'not_found');
    const cookie = parseSetCookie(res);
    expect(cookie?.value).toBe(user.cookie.slice('session='.length));
    expect(Math.abs(new Date(cookie!.attrs.expires as string).getTime() - (start + 46 * DAY))).toBeLessThan(1000);
  });

  it('logging out when a refresh is due ends with the cookie cleared', async () => {
    const clock = { now: Date.now() };
    const start = clock.now;
    const t = setup({}, clock);
    const user = await t.register('Refresh logout');
    clock.now = start + 20 * DAY;
    const res = await t.request('POST', '/api/auth/logout', { as: user });
    expect(res.status).toBe(204);
    const lines = res.headers.getSetCookie().filter((c) => c.startsWith('session='));
    // Browsers apply Set-Cookie lines in order: the last one for `session` must clear it.
    expect(lines.at(-1)).toMatch(/^session=;/);
    expectError(await t.request('GET', '/api/me', { as: user }), 401, 'unauthenticated');
  });
});
