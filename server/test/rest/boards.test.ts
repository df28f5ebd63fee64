/** Boards over REST: creating one, reading it, and the boards listed in /api/me; health endpoints. */
import { describe, expect, it } from 'vitest';
import { expectError, setup } from './api.ts';

describe('POST /api/boards', () => {
  it('answers 201 {id, name, role: "coordinator"} and makes the caller its coordinator', async () => {
    const clock = { now: Date.now() };
    const t = setup({}, clock);
    const user = await t.register('Creator');
    const res = await t.request('POST', '/api/boards', { as: user, json: { name: '  Soup run  ' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.stringMatching(/^[a-z0-9_-]{1,64}$/i), name: 'Soup run', role: 'coordinator' });

    const board = await t.request('GET', `/api/boards/${res.body.id}`, { as: user });
    expect(board.status).toBe(200);
    expect(board.body).toEqual({ board: { id: res.body.id, name: 'Soup run', createdAt: clock.now }, role: 'coordinator' });

    const members = await t.request('GET', `/api/boards/${res.body.id}/members`, { as: user });
    expect(members.body.members).toEqual([{ userId: user.id, name: 'Creator', email: user.email, role: 'coordinator', joinedAt: clock.now, holding: 0 }]);
    expect(t.membershipChanges).toEqual([]);
  });

  it('gives every board its own id, even with the same name', async () => {
    const t = setup();
    const user = await t.register('Twice');
    const a = await t.createBoard(user, 'Same');
    const b = await t.createBoard(user, 'Same');
    expect(a).not.toBe(b);
    expect((await t.request('GET', '/api/me', { as: user })).body.boards).toHaveLength(2);
  });

  it('keeps names as given (unicode, markup) and returns them as JSON data', async () => {
    const t = setup();
    const user = await t.register('Unicode');
    const name = 'Épicerie <b>solidaire</b> 🥕 "quoted"';
    const id = await t.createBoard(user, name);
    expect((await t.request('GET', `/api/boards/${id}`, { as: user })).body.board.name).toBe(name);
  });

  it('is 401 unauthenticated without a session', async () => {
    const t = setup();
    const res = await t.request('POST', '/api/boards', { json: { name: 'Nope' } });
    expectError(res, 401, 'unauthenticated');
  });
});

describe('GET /api/me boards', () => {
  it('lists the boards I belong to, by name, with my role on each; not other people’s', async () => {
    const t = setup();
    const me = await t.register('Me');
    const other = await t.register('Other');
    const mine = await t.createBoard(me, 'Bravo');
    const theirs = await t.createBoard(other, 'Alpha');
    await t.createBoard(other, 'Charlie (not mine)');
    await t.addMember(other, theirs, me, 'driver');

    const res = await t.request('GET', '/api/me', { as: me });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      user: { id: me.id, email: me.email, name: 'Me' },
      boards: [
        { id: theirs, name: 'Alpha', role: 'driver' },
        { id: mine, name: 'Bravo', role: 'coordinator' },
      ],
    });
  });
});

describe('GET /api/boards/:boardId', () => {
  it('answers each member with their own role', async () => {
    const t = setup();
    const owner = await t.register('Owner');
    const boardId = await t.createBoard(owner, 'Roles');
    for (const role of ['viewer', 'requester', 'driver', 'coordinator'] as const) {
      const user = await t.register(`As ${role}`);
      await t.addMember(owner, boardId, user, role);
      const res = await t.request('GET', `/api/boards/${boardId}`, { as: user });
      expect(res.status).toBe(200);
      expect(res.body.role).toBe(role);
      expect(res.body.board).toMatchObject({ id: boardId, name: 'Roles' });
    }
  });

  it('is 403 for a non-member of an existing board and 404 for an unknown board', async () => {
    const t = setup();
    const owner = await t.register('Owner');
    const stranger = await t.register('Stranger');
    const boardId = await t.createBoard(owner);
    expectError(await t.request('GET', `/api/boards/${boardId}`, { as: stranger }), 403, 'forbidden');
    expectError(await t.request('GET', '/api/boards/doesnotexist', { as: stranger }), 404, 'not_found');
    expectError(await t.request('GET', `/api/boards/${boardId}`), 401, 'unauthenticated');
  });
});

describe('ops', () => {
  it('GET /healthz answers 200 {ok: true}', async () => {
    const t = setup();
    const res = await t.request('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
  });

  it('GET /readyz answers 200 {ok: true}', async () => {
    const t = setup();
    const res = await t.request('GET', '/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
  });

  it('every /api answer carries a request id', async () => {
    const t = setup();
    const res = await t.request('GET', '/api/me');
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });
});
