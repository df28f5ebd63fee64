/**
 * The role matrix: every endpoint that takes a board, for every kind of caller. Members get their
 * roles by following real invites; each row runs on a fresh app so rows cannot affect each other.
 */
import { describe, expect, it } from 'vitest';
import type { Role } from '@delivery-board/schema/types';
import { expectError, setup, type Res, type TestContext, type TestUser } from './api.ts';

/** A board with its creator, a viewer to act on, and a live invite to revoke. */
async function world(t: TestContext) {
  const owner = await t.register('Owner');
  const target = await t.register('Target');
  const boardId = await t.createBoard(owner, 'Matrix board');
  await t.addMember(owner, boardId, target, 'viewer');
  const invite = await t.createInvite(owner, boardId, { role: 'driver', maxUses: 5 });
  return { owner, target, boardId, inviteId: invite.id };
}
type World = Awaited<ReturnType<typeof world>>;

interface Endpoint {
  method: string;
  path: (w: World) => string;
  json?: unknown;
  /** Checks a successful answer. */
  ok: (res: Res, w: World, callerRole: Role) => void;
  /** Checks, after a refused call, that nothing changed. */
  unchanged?: (t: TestContext, w: World) => Promise<void>;
}

const targetRole = async (t: TestContext, w: World) => (await t.request('GET', `/api/boards/${w.boardId}`, { as: w.target })).body.role;
const liveInvites = async (t: TestContext, w: World) => (await t.request('GET', `/api/boards/${w.boardId}/invites`, { as: w.owner })).body.invites;

const endpoints: Record<string, Endpoint> = {
  'GET board': {
    method: 'GET',
    path: (w) => `/api/boards/${w.boardId}`,
    ok: (res, w, role) => {
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ board: { id: w.boardId, name: 'Matrix board', createdAt: expect.any(Number) }, role });
    },
  },
  'GET members': {
    method: 'GET',
    path: (w) => `/api/boards/${w.boardId}/members`,
    ok: (res) => {
      expect(res.status).toBe(200);
      expect(res.body.members.length).toBeGreaterThanOrEqual(2);
    },
  },
  'PATCH member': {
    method: 'PATCH',
    path: (w) => `/api/boards/${w.boardId}/members/${w.target.id}`,
    json: { role: 'driver' },
    ok: (res, w) => {
      expect(res.status).toBe(200);
      expect(res.body.member).toMatchObject({ userId: w.target.id, role: 'driver' });
    },
    unchanged: async (t, w) => expect(await targetRole(t, w)).toBe('viewer'),
  },
  'DELETE member': {
    method: 'DELETE',
    path: (w) => `/api/boards/${w.boardId}/members/${w.target.id}`,
    ok: (res) => {
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
    },
    unchanged: async (t, w) => expect(await targetRole(t, w)).toBe('viewer'),
  },
  'POST invite': {
    method: 'POST',
    path: (w) => `/api/boards/${w.boardId}/invites`,
    json: { role: 'viewer' },
    ok: (res) => {
      expect(res.status).toBe(201);
      expect(res.body.token).toEqual(expect.any(String));
    },
    unchanged: async (t, w) => expect(await liveInvites(t, w)).toHaveLength(1),
  },
  'GET invites': {
    method: 'GET',
    path: (w) => `/api/boards/${w.boardId}/invites`,
    ok: (res, w) => {
      expect(res.status).toBe(200);
      expect(res.body.invites.map((i: { id: string }) => i.id)).toEqual([w.inviteId]);
    },
  },
  'DELETE invite': {
    method: 'DELETE',
    path: (w) => `/api/boards/${w.boardId}/invites/${w.inviteId}`,
    ok: (res) => expect(res.status).toBe(204),
    unchanged: async (t, w) => expect(await liveInvites(t, w)).toHaveLength(1),
  },
};

type Caller = 'anonymous' | 'outsider' | Role;
const callers: Caller[] = ['anonymous', 'outsider', 'viewer', 'requester', 'driver', 'coordinator'];

// prettier-ignore
const matrix: Record<string, number[]> = {
  //               anonymous outsider viewer requester driver coordinator
  'GET board':     [401,      403,     200,   200,      200,   200],
  'GET members':   [401,      403,     403,   403,      403,   200],
  'PATCH member':  [401,      403,     403,   403,      403,   200],
  'DELETE member': [401,      403,     403,   403,      403,   204],
  'POST invite':   [401,      403,     403,   403,      403,   201],
  'GET invites':   [401,      403,     403,   403,      403,   200],
  'DELETE invite': [401,      403,     403,   403,      403,   204],
};

const rows = Object.entries(matrix).flatMap(([endpoint, statuses]) =>
  callers.map((caller, i): [string, Caller, number] => [endpoint, caller, statuses[i]!]),
);

/** The caller, signed up and given its role the way users get one: by following an invite. */
async function makeCaller(t: TestContext, w: World, caller: Caller): Promise<TestUser | null> {
  if (caller === 'anonymous') return null;
  const user = await t.register(`Caller ${caller}`);
  if (caller !== 'outsider') await t.addMember(w.owner, w.boardId, user, caller);
  return user;
}

describe('role matrix', () => {
  it.each(rows)('%s as %s → %i', async (endpoint, caller, status) => {
    const t = setup();
    const w = await world(t);
    const user = await makeCaller(t, w, caller);
    const e = endpoints[endpoint]!;
    const res = await t.request(e.method, e.path(w), { as: user, json: e.json });
    if (status < 300) {
      e.ok(res, w, caller as Role);
    } else {
      expectError(res, status, status === 401 ? 'unauthenticated' : 'forbidden');
      await e.unchanged?.(t, w);
    }
  });

  it.each(Object.keys(endpoints))('%s as the board creator works too', async (endpoint) => {
    const t = setup();
    const w = await world(t);
    const e = endpoints[endpoint]!;
    e.ok(await t.request(e.method, e.path(w), { as: w.owner, json: e.json }), w, 'coordinator');
  });

  it.each(Object.keys(endpoints))('%s on an unknown board → 404 not_found for a signed-in user, 401 anonymous', async (endpoint) => {
    const t = setup();
    const w = await world(t);
    const e = endpoints[endpoint]!;
    const path = e.path(w).replace(w.boardId, 'nosuchboard0000x');
    expectError(await t.request(e.method, path, { as: w.owner, json: e.json }), 404, 'not_found');
    expectError(await t.request(e.method, path, { as: w.target, json: e.json }), 404, 'not_found');
    expectError(await t.request(e.method, path, { json: e.json }), 401, 'unauthenticated');
  });

  it('a coordinator of one board has no rights on another', async () => {
    const t = setup();
    const w = await world(t);
    const other = await t.register('Other coordinator');
    const otherBoard = await t.createBoard(other, 'Other board');
    for (const e of Object.values(endpoints)) {
      expectError(await t.request(e.method, e.path(w), { as: other, json: e.json }), 403, 'forbidden');
    }
    // Nor can the owner reach into the other board through their own board's ids.
    expectError(await t.request('PATCH', `/api/boards/${otherBoard}/members/${w.target.id}`, { as: w.owner, json: { role: 'coordinator' } }), 403, 'forbidden');
    expect(await targetRole(t, w)).toBe('viewer');
  });
});
