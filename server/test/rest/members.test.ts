/** Members over REST: listing, changing roles, removing, and the "last coordinator" rule. */
import { describe, expect, it } from 'vitest';
import { expectError, setup, type TestContext } from './api.ts';

async function boardWith(t: TestContext) {
  const owner = await t.register('Owner');
  const member = await t.register('Member');
  const boardId = await t.createBoard(owner, 'Members board');
  await t.addMember(owner, boardId, member, 'viewer');
  t.membershipChanges.length = 0; // only what the test itself does
  return { owner, member, boardId };
}

const roleOf = async (t: TestContext, boardId: string, user: { cookie: string }) => (await t.request('GET', `/api/boards/${boardId}`, { as: user })).body.role;

describe('GET /api/boards/:boardId/members', () => {
  it('lists {userId, name, email, role, joinedAt, holding} for every member, by name', async () => {
    const clock = { now: Date.now() };
    const t = setup({}, clock);
    const owner = await t.register('Zoe');
    const boardId = await t.createBoard(owner);
    const created = clock.now;
    clock.now += 1000;
    const ann = await t.register('Ann');
    await t.addMember(owner, boardId, ann, 'requester');

    const res = await t.request('GET', `/api/boards/${boardId}/members`, { as: owner });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      members: [
        { userId: ann.id, name: 'Ann', email: ann.email, role: 'requester', joinedAt: created + 1000, holding: 0 },
        { userId: owner.id, name: 'Zoe', email: owner.email, role: 'coordinator', joinedAt: created, holding: 0 },
      ],
    });
  });
});

describe('PATCH /api/boards/:boardId/members/:userId', () => {
  it('changes the role, answers {member}, persists it and reports it to onMembershipChange', async () => {
    const t = setup();
    const { owner, member, boardId } = await boardWith(t);
    for (const role of ['requester', 'driver', 'coordinator', 'viewer'] as const) {
      const res = await t.request('PATCH', `/api/boards/${boardId}/members/${member.id}`, { as: owner, json: { role } });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toEqual({ member: { userId: member.id, name: 'Member', email: member.email, role, joinedAt: expect.any(Number) } });
      expect(await roleOf(t, boardId, member)).toBe(role);
    }
    expect(t.membershipChanges).toEqual(
      ['requester', 'driver', 'coordinator', 'viewer'].map((role) => ({ boardId, userId: member.id, role })),
    );
    const me = await t.request('GET', '/api/me', { as: member });
    expect(me.body.boards).toEqual([{ id: boardId, name: 'Members board', role: 'viewer' }]);
    const list = await t.request('GET', `/api/boards/${boardId}/members`, { as: owner });
    expect(list.body.members.find((m: { userId: string }) => m.userId === member.id).role).toBe('viewer');
  });

  it('a promoted coordinator can manage members; a demoted one cannot', async () => {
    const t = setup();
    const { owner, member, boardId } = await boardWith(t);
    expectError(await t.request('GET', `/api/boards/${boardId}/members`, { as: member }), 403, 'forbidden');
    await t.request('PATCH', `/api/boards/${boardId}/members/${member.id}`, { as: owner, json: { role: 'coordinator' } });
    expect((await t.request('GET', `/api/boards/${boardId}/members`, { as: member })).status).toBe(200);
    await t.request('PATCH', `/api/boards/${boardId}/members/${member.id}`, { as: owner, json: { role: 'driver' } });
    expectError(await t.request('GET', `/api/boards/${boardId}/members`, { as: member }), 403, 'forbidden');
  });

  it('refuses to demote the last coordinator (409 last_coordinator), allows it once there is a second', async () => {
    const t = setup();
    const { owner, member, boardId } = await boardWith(t);
    for (const role of ['driver', 'requester', 'viewer']) {
      const res = await t.request('PATCH', `/api/boards/${boardId}/members/${owner.id}`, { as: owner, json: { role } });
      expectError(res, 409, 'last_coordinator');
    }
    expect(await roleOf(t, boardId, owner)).toBe('coordinator');
    expect(t.membershipChanges).toEqual([]);
    // Setting the same role is not a demotion.
    expect((await t.request('PATCH', `/api/boards/${boardId}/members/${owner.id}`, { as: owner, json: { role: 'coordinator' } })).status).toBe(200);

    await t.request('PATCH', `/api/boards/${boardId}/members/${member.id}`, { as: owner, json: { role: 'coordinator' } });
    const demoted = await t.request('PATCH', `/api/boards/${boardId}/members/${owner.id}`, { as: owner, json: { role: 'driver' } });
    expect(demoted.status).toBe(200);
    expect(await roleOf(t, boardId, owner)).toBe('driver');
    // Now the other one is the last.
    expectError(await t.request('PATCH', `/api/boards/${boardId}/members/${member.id}`, { as: member, json: { role: 'viewer' } }), 409, 'last_coordinator');
  });

  it('is 404 not_found for a user who is not a member of this board, or does not exist', async () => {
    const t = setup();
    const { owner, boardId } = await boardWith(t);
    const stranger = await t.register('Stranger');
    const elsewhere = await t.createBoard(stranger, 'Elsewhere');
    expectError(await t.request('PATCH', `/api/boards/${boardId}/members/${stranger.id}`, { as: owner, json: { role: 'driver' } }), 404, 'not_found');
    expectError(await t.request('PATCH', `/api/boards/${boardId}/members/nosuchuser00000x`, { as: owner, json: { role: 'driver' } }), 404, 'not_found');
    expect(await roleOf(t, elsewhere, stranger)).toBe('coordinator');
    expectError(await t.request('GET', `/api/boards/${boardId}`, { as: stranger }), 403, 'forbidden');
    expect(t.membershipChanges).toEqual([]);
  });
});

describe('DELETE /api/boards/:boardId/members/:userId', () => {
  it('answers 204; the removed member then gets 403 on the board, and onMembershipChange hears null', async () => {
    const t = setup();
    const { owner, member, boardId } = await boardWith(t);
    const res = await t.request('DELETE', `/api/boards/${boardId}/members/${member.id}`, { as: owner });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(t.membershipChanges).toEqual([{ boardId, userId: member.id, role: null }]);

    expectError(await t.request('GET', `/api/boards/${boardId}`, { as: member }), 403, 'forbidden');
    expect((await t.request('GET', '/api/me', { as: member })).body.boards).toEqual([]);
    const list = await t.request('GET', `/api/boards/${boardId}/members`, { as: owner });
    expect(list.body.members.map((m: { userId: string }) => m.userId)).toEqual([owner.id]);
    // Removing again: there is no such member any more.
    expectError(await t.request('DELETE', `/api/boards/${boardId}/members/${member.id}`, { as: owner }), 404, 'not_found');
  });

  it('a removed member can come back through a new invite', async () => {
    const t = setup();
    const { owner, member, boardId } = await boardWith(t);
    await t.request('DELETE', `/api/boards/${boardId}/members/${member.id}`, { as: owner });
    await t.addMember(owner, boardId, member, 'requester');
    expect(await roleOf(t, boardId, member)).toBe('requester');
  });

  it('refuses to remove the last coordinator (409 last_coordinator), allows it once there is a second', async () => {
    const t = setup();
    const { owner, member, boardId } = await boardWith(t);
    expectError(await t.request('DELETE', `/api/boards/${boardId}/members/${owner.id}`, { as: owner }), 409, 'last_coordinator');
    expect(await roleOf(t, boardId, owner)).toBe('coordinator');
    expect(t.membershipChanges).toEqual([]);

    await t.request('PATCH', `/api/boards/${boardId}/members/${member.id}`, { as: owner, json: { role: 'coordinator' } });
    // A coordinator may leave (remove themselves) once another remains.
    expect((await t.request('DELETE', `/api/boards/${boardId}/members/${owner.id}`, { as: owner })).status).toBe(204);
    expectError(await t.request('GET', `/api/boards/${boardId}`, { as: owner }), 403, 'forbidden');
    expectError(await t.request('DELETE', `/api/boards/${boardId}/members/${member.id}`, { as: member }), 409, 'last_coordinator');
  });

  it('a coordinator can remove another coordinator', async () => {
    const t = setup();
    const { owner, member, boardId } = await boardWith(t);
    await t.request('PATCH', `/api/boards/${boardId}/members/${member.id}`, { as: owner, json: { role: 'coordinator' } });
    expect((await t.request('DELETE', `/api/boards/${boardId}/members/${owner.id}`, { as: member })).status).toBe(204);
    expect(t.membershipChanges.at(-1)).toEqual({ boardId, userId: owner.id, role: null });
  });

  it('is 404 not_found for an unknown member', async () => {
    const t = setup();
    const { owner, boardId } = await boardWith(t);
    const stranger = await t.register('Stranger');
    expectError(await t.request('DELETE', `/api/boards/${boardId}/members/${stranger.id}`, { as: owner }), 404, 'not_found');
    expectError(await t.request('DELETE', `/api/boards/${boardId}/members/nosuchuser00000x`, { as: owner }), 404, 'not_found');
    expect(t.membershipChanges).toEqual([]);
  });
});
