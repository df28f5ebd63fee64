/**
 * Bad input for every endpoint that takes a body or an id: 400 (invalid_json / invalid_input, the
 * message naming the field), 415 without a JSON content type, 413 over 64 KiB; malformed path ids;
 * Origin checks; unknown /api paths.
 */
import { describe, expect, it } from 'vitest';
import { PASSWORD, expectError, setup, uniqueEmail, type TestContext, type TestUser } from './api.ts';

/** A coordinator, a board, and a member of it: enough to reach every endpoint with a body. */
async function world(t: TestContext) {
  const coordinator = await t.register('Coordinator');
  const member = await t.register('Member');
  const boardId = await t.createBoard(coordinator);
  await t.addMember(coordinator, boardId, member, 'viewer');
  return { coordinator, member, boardId };
}
type World = Awaited<ReturnType<typeof world>>;

interface BodyEndpoint {
  method: string;
  path: (w: World) => string;
  as: (w: World) => TestUser | null;
  /** A body the endpoint accepts, and the status it answers with it. */
  good: Record<string, unknown>;
  ok: number;
}

const endpoints: Record<string, BodyEndpoint> = {
  register: { method: 'POST', path: () => '/api/auth/register', as: () => null, good: { email: 'new.user@example.org', password: PASSWORD, name: 'New' }, ok: 201 },
  login: { method: 'POST', path: () => '/api/auth/login', as: () => null, good: { email: 'nobody@example.org', password: PASSWORD }, ok: 401 },
  'create board': { method: 'POST', path: () => '/api/boards', as: (w) => w.coordinator, good: { name: 'Board' }, ok: 201 },
  'change role': { method: 'PATCH', path: (w) => `/api/boards/${w.boardId}/members/${w.member.id}`, as: (w) => w.coordinator, good: { role: 'driver' }, ok: 200 },
  'create invite': { method: 'POST', path: (w) => `/api/boards/${w.boardId}/invites`, as: (w) => w.coordinator, good: { role: 'viewer' }, ok: 201 },
};
const endpointNames = Object.keys(endpoints);

const long = (n: number) => 'x'.repeat(n);
// Valid in every respect but its length: 64-char local part, 63-char labels, 260 characters in all.
const longEmail = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.org`;

/** [endpoint, what, code, raw body (a string is sent as is, anything else as JSON), a word the message must contain] */
const badBodies: [string, string, string, unknown, string?][] = [
  ['register', 'malformed JSON', 'invalid_json', '{bad'],
  ['register', 'empty body', 'invalid_json', ''],
  ['register', 'no fields', 'invalid_input', {}, 'email'],
  ['register', 'missing email', 'invalid_input', { password: PASSWORD, name: 'A' }, 'email'],
  ['register', 'missing password', 'invalid_input', { email: uniqueEmail(), name: 'A' }, 'password'],
  ['register', 'missing name', 'invalid_input', { email: uniqueEmail(), password: PASSWORD }, 'name'],
  ['register', 'email is a number', 'invalid_input', { email: 42, password: PASSWORD, name: 'A' }, 'email'],
  ['register', 'password is a number', 'invalid_input', { email: uniqueEmail(), password: 12345678, name: 'A' }, 'password'],
  ['register', 'name is a number', 'invalid_input', { email: uniqueEmail(), password: PASSWORD, name: 7 }, 'name'],
  ['register', 'name is an object', 'invalid_input', { email: uniqueEmail(), password: PASSWORD, name: { first: 'A' } }, 'name'],
  ['register', 'body is an array', 'invalid_input', [{ email: uniqueEmail(), password: PASSWORD, name: 'A' }]],
  ['register', 'body is null', 'invalid_input', null],
  ['register', 'body is a JSON string', 'invalid_input', '"a string"'],
  ['register', 'name of 81 chars', 'invalid_input', { email: uniqueEmail(), password: PASSWORD, name: long(81) }, 'name'],
  ['register', 'blank name', 'invalid_input', { email: uniqueEmail(), password: PASSWORD, name: '   ' }, 'name'],
  ['register', 'email over 254 chars', 'invalid_input', { email: longEmail, password: PASSWORD, name: 'A' }, 'email'],
  ['register', 'not an email', 'invalid_input', { email: 'not-an-email', password: PASSWORD, name: 'A' }, 'email'],
  ['register', 'password of 7 chars', 'invalid_input', { email: uniqueEmail(), password: 'short12', name: 'A' }, 'password'],
  ['register', 'password of 257 chars', 'invalid_input', { email: uniqueEmail(), password: long(257), name: 'A' }, 'password'],
  ['register', 'unknown field', 'invalid_input', { email: uniqueEmail(), password: PASSWORD, name: 'A', admin: true }, 'admin'],
  ['register', 'name with a line break', 'invalid_input', { email: uniqueEmail(), password: PASSWORD, name: 'Ann\nAdmin' }, 'name'],
  ['register', 'name with a bidi isolate', 'invalid_input', { email: uniqueEmail(), password: PASSWORD, name: 'Ann \u2067Bob' }, 'name'],
  ['login', 'malformed JSON', 'invalid_json', '{bad'],
  ['login', 'no fields', 'invalid_input', {}, 'email'],
  ['login', 'missing password', 'invalid_input', { email: 'a@example.org' }, 'password'],
  ['login', 'email is a number', 'invalid_input', { email: 1, password: PASSWORD }, 'email'],
  ['login', 'password is a number', 'invalid_input', { email: 'a@example.org', password: 1 }, 'password'],
  ['login', 'body is an array', 'invalid_input', []],
  ['login', 'email over 254 chars', 'invalid_input', { email: longEmail, password: PASSWORD }, 'email'],
  ['login', 'password of 257 chars', 'invalid_input', { email: 'a@example.org', password: long(257) }, 'password'],
  ['login', 'empty password', 'invalid_input', { email: 'a@example.org', password: '' }, 'password'],
  ['login', 'unknown field', 'invalid_input', { email: 'a@example.org', password: PASSWORD, remember: true }, 'remember'],
  ['create board', 'malformed JSON', 'invalid_json', '{bad'],
  ['create board', 'no name', 'invalid_input', {}, 'name'],
  ['create board', 'name is a number', 'invalid_input', { name: 5 }, 'name'],
  ['create board', 'name is null', 'invalid_input', { name: null }, 'name'],
  ['create board', 'name is an array', 'invalid_input', { name: ['Board'] }, 'name'],
  ['create board', 'body is an array', 'invalid_input', [{ name: 'Board' }]],
  ['create board', 'empty name', 'invalid_input', { name: '' }, 'name'],
  ['create board', 'blank name', 'invalid_input', { name: ' \t ' }, 'name'],
  ['create board', 'name of 121 chars', 'invalid_input', { name: long(121) }, 'name'],
  ['create board', 'name with a NUL', 'invalid_input', { name: 'Food\u0000bank' }, 'name'],
  ['create board', 'name with a right-to-left override', 'invalid_input', { name: 'Invoice\u202Egpj.exe' }, 'name'],
  ['create board', 'name of a zero-width space only', 'invalid_input', { name: '\u200B' }, 'name'],
  ['create board', 'name with a lone surrogate', 'invalid_input', { name: 'Board \uD800' }, 'name'],
  ['create board', 'unknown field', 'invalid_input', { name: 'Board', id: 'mine' }, 'id'],
  ['change role', 'malformed JSON', 'invalid_json', '{bad'],
  ['change role', 'no role', 'invalid_input', {}, 'role'],
  ['change role', 'invalid role', 'invalid_input', { role: 'admin' }, 'role'],
  ['change role', 'role in the wrong case', 'invalid_input', { role: 'Coordinator' }, 'role'],
  ['change role', 'role is a number', 'invalid_input', { role: 3 }, 'role'],
  ['change role', 'role is an array', 'invalid_input', { role: ['viewer'] }, 'role'],
  ['change role', 'body is an array', 'invalid_input', ['viewer']],
  ['change role', 'unknown field', 'invalid_input', { role: 'viewer', userId: 'x' }, 'userId'],
  ['create invite', 'malformed JSON', 'invalid_json', '{bad'],
  ['create invite', 'no role', 'invalid_input', {}, 'role'],
  ['create invite', 'invalid role', 'invalid_input', { role: 'owner' }, 'role'],
  ['create invite', 'role is a number', 'invalid_input', { role: 1 }, 'role'],
  ['create invite', 'expiresInHours 0', 'invalid_input', { role: 'viewer', expiresInHours: 0 }, 'expiresInHours'],
  ['create invite', 'expiresInHours negative', 'invalid_input', { role: 'viewer', expiresInHours: -5 }, 'expiresInHours'],
  ['create invite', 'expiresInHours not an integer', 'invalid_input', { role: 'viewer', expiresInHours: 1.5 }, 'expiresInHours'],
  ['create invite', 'expiresInHours over 2160', 'invalid_input', { role: 'viewer', expiresInHours: 2161 }, 'expiresInHours'],
  ['create invite', 'expiresInHours is a string', 'invalid_input', { role: 'viewer', expiresInHours: '24' }, 'expiresInHours'],
  ['create invite', 'maxUses 0', 'invalid_input', { role: 'viewer', maxUses: 0 }, 'maxUses'],
  ['create invite', 'maxUses over 10000', 'invalid_input', { role: 'viewer', maxUses: 10_001 }, 'maxUses'],
  ['create invite', 'maxUses not an integer', 'invalid_input', { role: 'viewer', maxUses: 2.5 }, 'maxUses'],
  ['create invite', 'maxUses is a string', 'invalid_input', { role: 'viewer', maxUses: '5' }, 'maxUses'],
  ['create invite', 'maxUses is null', 'invalid_input', { role: 'viewer', maxUses: null }, 'maxUses'],
  ['create invite', 'body is an array', 'invalid_input', [{ role: 'viewer' }]],
  ['create invite', 'unknown field', 'invalid_input', { role: 'viewer', boardId: 'x' }, 'boardId'],
];

describe('bad bodies → 400', () => {
  it.each(badBodies)('%s: %s → %s', async (name, _what, code, body, field) => {
    const t = setup();
    const w = await world(t);
    const invitesBefore = (await t.request('GET', `/api/boards/${w.boardId}/invites`, { as: w.coordinator })).body.invites;
    const e = endpoints[name]!;
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const res = await t.request(e.method, e.path(w), { as: e.as(w), raw, headers: { 'content-type': 'application/json' } });
    expectError(res, 400, code);
    if (field) expect(res.body.error.message).toContain(field);
    // Nothing happened: the member kept their role, and no board or invite was made.
    const me = await t.request('GET', '/api/me', { as: w.coordinator });
    expect(me.body.boards).toHaveLength(1);
    expect((await t.request('GET', `/api/boards/${w.boardId}`, { as: w.member })).body.role).toBe('viewer');
    expect((await t.request('GET', `/api/boards/${w.boardId}/invites`, { as: w.coordinator })).body.invites).toEqual(invitesBefore);
  });
});

describe('boundaries that are accepted', () => {
  it.each<[string, Record<string, unknown>]>([
    ['register', { email: uniqueEmail(), password: long(256), name: long(80) }],
    ['register', { email: uniqueEmail(), password: '8 chars!', name: 'A' }],
    ['create board', { name: long(120) }],
    ['create invite', { role: 'driver', expiresInHours: 1, maxUses: 1 }],
    ['create invite', { role: 'coordinator', expiresInHours: 2160, maxUses: 10_000 }],
  ])('%s %j', async (name, body) => {
    const t = setup();
    const w = await world(t);
    const e = endpoints[name]!;
    const res = await t.request(e.method, e.path(w), { as: e.as(w), json: body });
    expect(res.status, res.text).toBe(e.ok);
  });
});

describe('content type and size', () => {
  it.each(endpointNames)('%s: a body without Content-Type is 415 unsupported_media_type', async (name) => {
    const t = setup();
    const w = await world(t);
    const e = endpoints[name]!;
    expectError(await t.request(e.method, e.path(w), { as: e.as(w), raw: JSON.stringify(e.good) }), 415, 'unsupported_media_type');
    const plain = await t.request(e.method, e.path(w), { as: e.as(w), raw: JSON.stringify(e.good), headers: { 'content-type': 'text/plain' } });
    expectError(plain, 415, 'unsupported_media_type');
    // With a charset parameter it is JSON all the same.
    const ok = await t.request(e.method, e.path(w), { as: e.as(w), raw: JSON.stringify(e.good), headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(ok.status, ok.text).toBe(e.ok);
  });

  it.each(endpointNames)('%s: a body over 64 KiB is 413 payload_too_large, with or without Content-Length', async (name) => {
    const t = setup();
    const w = await world(t);
    const e = endpoints[name]!;
    const json = JSON.stringify(e.good);
    const big = json + ' '.repeat(64 * 1024 + 1 - json.length); // valid JSON, one byte over
    const headers = { 'content-type': 'application/json' };
    // As a real client sends it (declared length)...
    const declared = await t.request(e.method, e.path(w), { as: e.as(w), raw: big, headers: { ...headers, 'content-length': String(big.length) } });
    expectError(declared, 413, 'payload_too_large');
    // ...and streamed without a length.
    const streamed = await t.request(e.method, e.path(w), { as: e.as(w), raw: big, headers });
    expectError(streamed, 413, 'payload_too_large');
    // Exactly at the limit it goes through.
    const atLimit = json + ' '.repeat(64 * 1024 - json.length);
    const ok = await t.request(e.method, e.path(w), { as: e.as(w), raw: atLimit, headers });
    expect(ok.status, ok.text).toBe(e.ok);
  });
});

describe('malformed ids in paths → 400', () => {
  const bad = ['%20bad%20', 'bad$id', 'a'.repeat(65), 'semi%3Bcolon'];
  it.each(bad)('board id %j', async (id) => {
    const t = setup();
    const w = await world(t);
    const as = w.coordinator;
    expectError(await t.request('GET', `/api/boards/${id}`, { as }), 400, 'invalid_input');
    expectError(await t.request('GET', `/api/boards/${id}/members`, { as }), 400, 'invalid_input');
    expectError(await t.request('PATCH', `/api/boards/${id}/members/${w.member.id}`, { as, json: { role: 'driver' } }), 400, 'invalid_input');
    expectError(await t.request('DELETE', `/api/boards/${id}/members/${w.member.id}`, { as }), 400, 'invalid_input');
    expectError(await t.request('POST', `/api/boards/${id}/invites`, { as, json: { role: 'viewer' } }), 400, 'invalid_input');
    expectError(await t.request('GET', `/api/boards/${id}/invites`, { as }), 400, 'invalid_input');
    expectError(await t.request('DELETE', `/api/boards/${id}/invites/abc`, { as }), 400, 'invalid_input');
  });

  it.each(bad)('member and invite id %j', async (id) => {
    const t = setup();
    const w = await world(t);
    const as = w.coordinator;
    expectError(await t.request('PATCH', `/api/boards/${w.boardId}/members/${id}`, { as, json: { role: 'driver' } }), 400, 'invalid_input');
    expectError(await t.request('DELETE', `/api/boards/${w.boardId}/members/${id}`, { as }), 400, 'invalid_input');
    expectError(await t.request('DELETE', `/api/boards/${w.boardId}/invites/${id}`, { as }), 400, 'invalid_input');
    expect((await t.request('GET', `/api/boards/${w.boardId}`, { as: w.member })).body.role).toBe('viewer');
  });

  it.each(['short', 'a'.repeat(129), 'has-dash-not-allowed-in-tokens', '%20' + 'a'.repeat(32)])('invite token %j', async (token) => {
    const t = setup();
    const w = await world(t);
    expectError(await t.request('GET', `/api/invites/${token}`), 400, 'invalid_input');
    expectError(await t.request('POST', `/api/invites/${token}/accept`, { as: w.member }), 400, 'invalid_input');
  });
});

describe('Origin checks', () => {
  it('a state-changing request from a foreign Origin is 403 bad_origin and has no effect', async () => {
    const t = setup();
    const w = await world(t);
    const evil = { origin: 'https://evil.example' };
    expectError(await t.request('POST', '/api/boards', { as: w.coordinator, json: { name: 'Forged' }, headers: evil }), 403, 'bad_origin');
    expectError(await t.request('PATCH', `/api/boards/${w.boardId}/members/${w.member.id}`, { as: w.coordinator, json: { role: 'coordinator' }, headers: evil }), 403, 'bad_origin');
    expectError(await t.request('DELETE', `/api/boards/${w.boardId}/members/${w.member.id}`, { as: w.coordinator, headers: evil }), 403, 'bad_origin');
    expectError(await t.request('POST', `/api/boards/${w.boardId}/invites`, { as: w.coordinator, json: { role: 'viewer' }, headers: evil }), 403, 'bad_origin');
    expectError(await t.request('POST', '/api/auth/login', { json: { email: w.member.email, password: PASSWORD }, headers: evil }), 403, 'bad_origin');
    expectError(await t.request('POST', '/api/auth/register', { json: { email: uniqueEmail(), password: PASSWORD, name: 'X' }, headers: evil }), 403, 'bad_origin');
    expectError(await t.request('POST', '/api/auth/logout', { as: w.member, headers: evil }), 403, 'bad_origin');
    // Lookalikes of our own origin are foreign too.
    // ...and so is our host under another scheme, with a user or a path: no browser sends those.
    const odd = ['ws://localhost', 'foo://localhost', 'http://user@localhost', 'http://localhost/evil/path'];
    for (const origin of ['null', 'http://localhost:8080', 'http://localhost.evil.example', 'http://evil.example/localhost', ...odd]) {
      expectError(await t.request('POST', '/api/boards', { as: w.coordinator, json: { name: 'Forged' }, headers: { origin } }), 403, 'bad_origin');
    }
    expect((await t.request('GET', '/api/me', { as: w.coordinator })).body.boards).toHaveLength(1);
    expect((await t.request('GET', `/api/boards/${w.boardId}`, { as: w.member })).body.role).toBe('viewer');
    expect((await t.request('GET', '/api/me', { as: w.member })).status).toBe(200); // logout did not happen
  });

  it("allows the request host's own origin (http://localhost for app.request) and configured origins", async () => {
    const t = setup({ allowedOrigins: ['https://app.example'] });
    const user = await t.register('Origin');
    const own = await t.request('POST', '/api/boards', { as: user, json: { name: 'Own' }, headers: { origin: 'http://localhost' } });
    expect(own.status, own.text).toBe(201);
    const listed = await t.request('POST', '/api/boards', { as: user, json: { name: 'Listed' }, headers: { origin: 'https://app.example' } });
    expect(listed.status, listed.text).toBe(201);
    const hostHeader = await t.request('POST', '/api/boards', { as: user, json: { name: 'Proxied' }, headers: { host: 'board.example', origin: 'https://board.example' } });
    expect(hostHeader.status, hostHeader.text).toBe(201);
    // Listed means exactly that origin.
    expectError(await t.request('POST', '/api/boards', { as: user, json: { name: 'X' }, headers: { origin: 'https://evil.app.example' } }), 403, 'bad_origin');

    const unlisted = setup();
    const other = await unlisted.register('Unlisted');
    expectError(await unlisted.request('POST', '/api/boards', { as: other, json: { name: 'X' }, headers: { origin: 'https://app.example' } }), 403, 'bad_origin');
  });

  it('does not block GETs from a foreign origin (cookies are SameSite=Lax; reads change nothing)', async () => {
    const t = setup();
    const w = await world(t);
    const res = await t.request('GET', `/api/boards/${w.boardId}`, { as: w.coordinator, headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(200);
    expect((await t.request('GET', '/api/me', { as: w.member, headers: { origin: 'https://evil.example' } })).status).toBe(200);
  });
});

describe('unknown paths', () => {
  it.each([
    ['GET', '/api/nope'],
    ['GET', '/api/boards'],
    ['PUT', '/api/boards/abc'],
    ['POST', '/api/boards/abc/members'],
    ['GET', '/api/auth/login'],
    ['DELETE', '/api/me'],
  ])('%s %s → 404 not_found as JSON', async (method, path) => {
    const t = setup();
    const user = await t.register('Lost');
    expectError(await t.request(method, path, { as: user }), 404, 'not_found');
    expectError(await t.request(method, path), 404, 'not_found');
  });
});

describe('endpoints that take no body', () => {
  /** Each endpoint, and whether what it would do happened (checked after a refused request too). */
  const cases: [string, (t: TestContext, w: World) => Promise<{ method: string; path: string; as: TestUser; done: () => Promise<boolean> }>][] = [
    ['sign out', async (t, w) => ({ method: 'POST', path: '/api/auth/logout', as: w.member, done: async () => (await t.request('GET', '/api/me', { as: w.member })).status === 401 })],
    [
      'accept an invite',
      async (t, w) => {
        const joiner = await t.register('Joiner');
        const { token } = await t.createInvite(w.coordinator, w.boardId, { role: 'driver' });
        return { method: 'POST', path: `/api/invites/${token}/accept`, as: joiner, done: async () => (await t.request('GET', `/api/boards/${w.boardId}`, { as: joiner })).status === 200 };
      },
    ],
    [
      'remove a member',
      async (t, w) => ({
        method: 'DELETE',
        path: `/api/boards/${w.boardId}/members/${w.member.id}`,
        as: w.coordinator,
        done: async () => (await t.request('GET', `/api/boards/${w.boardId}`, { as: w.member })).status === 403,
      }),
    ],
    [
      'revoke an invite',
      async (t, w) => {
        const { id } = await t.createInvite(w.coordinator, w.boardId, { role: 'viewer' });
        const live = async () => (await t.request('GET', `/api/boards/${w.boardId}/invites`, { as: w.coordinator })).body.invites.some((i: { id: string }) => i.id === id);
        return { method: 'DELETE', path: `/api/boards/${w.boardId}/invites/${id}`, as: w.coordinator, done: async () => !(await live()) };
      },
    ],
  ];

  it.each(cases)('%s: a body is 400 unexpected_body and nothing happens; none, or {}, goes through', async (_name, prepare) => {
    const t = setup();
    const w = await world(t);
    const e = await prepare(t, w);
    const headers = { 'content-type': 'application/json' };
    for (const raw of ['{"everywhere":true}', '[]', 'null', '{bad', 'x'.repeat(100)]) {
      expectError(await t.request(e.method, e.path, { as: e.as, raw, headers }), 400, 'unexpected_body');
      expect(await e.done()).toBe(false);
    }
    const ok = await t.request(e.method, e.path, { as: e.as, raw: ' { } ', headers });
    expect(ok.status, ok.text).toBeLessThan(300);
    expect(await e.done()).toBe(true);
  });
});
