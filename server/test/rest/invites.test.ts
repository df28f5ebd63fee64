/** Invites over REST: creating, listing, revoking, previewing and accepting invite links. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HOUR, expectError, setup, type TestContext } from './api.ts';

const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');

async function board(t: TestContext) {
  const owner = await t.register('Owner');
  const boardId = await t.createBoard(owner, 'Invite board');
  return { owner, boardId };
}

describe('POST /api/boards/:boardId/invites', () => {
  it('answers 201 {id, token, url, role, expiresAt, maxUses} with a week-long default', async () => {
    const clock = { now: Date.now() };
    const t = setup({}, clock);
    const { owner, boardId } = await board(t);
    const res = await t.request('POST', `/api/boards/${boardId}/invites`, { as: owner, json: { role: 'driver' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      token: expect.any(String),
      url: expect.any(String),
      role: 'driver',
      expiresAt: clock.now + 168 * HOUR,
      maxUses: null,
    });
    expect(res.body.url).toBe(`http://localhost/invite/${res.body.token}`);

    const custom = await t.request('POST', `/api/boards/${boardId}/invites`, { as: owner, json: { role: 'viewer', expiresInHours: 2, maxUses: 3 } });
    expect(custom.body).toMatchObject({ role: 'viewer', expiresAt: clock.now + 2 * HOUR, maxUses: 3 });
  });

  it('hands out long random tokens, storing only their SHA-256', async () => {
    const t = setup();
    const { owner, boardId } = await board(t);
    const tokens: string[] = [];
    for (let i = 0; i < 20; i++) tokens.push((await t.createInvite(owner, boardId, { role: 'viewer' })).token);
    for (const token of tokens) expect(token).toMatch(/^[a-z2-7]{32,}$/); // >= 160 bits
    expect(new Set(tokens).size).toBe(tokens.length);
    // No shared prefix or suffix between consecutive tokens, as a counter or timestamp would give.
    for (let i = 1; i < tokens.length; i++) expect(tokens[i]!.slice(0, 8)).not.toBe(tokens[i - 1]!.slice(0, 8));

    const rows = t.database.sqlite.prepare('select * from invites').all() as Record<string, unknown>[];
    const stored = JSON.stringify(rows);
    for (const token of tokens) expect(stored).not.toContain(token);
    expect(rows.map((r) => r.token_hash).sort()).toEqual(tokens.map(sha256Hex).sort());
  });

  it('builds the url on PUBLIC_URL when configured, else on the request origin', async () => {
    const t = setup({ publicUrl: 'https://board.example' });
    const { owner, boardId } = await board(t);
    const inv = await t.createInvite(owner, boardId, { role: 'viewer' });
    expect(inv.url).toBe(`https://board.example/invite/${inv.token}`);

    const plain = setup();
    const other = await board(plain);
    const res = await plain.request('POST', `https://boards.example:8443/api/boards/${other.boardId}/invites`, { as: other.owner, json: { role: 'viewer' } });
    expect(res.status).toBe(201);
    expect(res.body.url).toBe(`https://boards.example:8443/invite/${res.body.token}`);
  });
});

describe('GET /api/boards/:boardId/invites and DELETE .../invites/:inviteId', () => {
  it('lists only live invites: not revoked, expired or used up', async () => {
    const clock = { now: Date.now() };
    const t = setup({}, clock);
    const { owner, boardId } = await board(t);
    const joiner = await t.register('Joiner');
    const created = clock.now;
    const live = await t.createInvite(owner, boardId, { role: 'driver', maxUses: 5 });
    const revoked = await t.createInvite(owner, boardId, { role: 'viewer' });
    const shortLived = await t.createInvite(owner, boardId, { role: 'viewer', expiresInHours: 1 });
    const single = await t.createInvite(owner, boardId, { role: 'requester', maxUses: 1 });

    expect((await t.request('DELETE', `/api/boards/${boardId}/invites/${revoked.id}`, { as: owner })).status).toBe(204);
    expect((await t.request('POST', `/api/invites/${single.token}/accept`, { as: joiner })).status).toBe(200);
    clock.now += 2 * HOUR;
    expect((await t.request('GET', `/api/invites/${shortLived.token}`)).status).toBe(410);

    const res = await t.request('GET', `/api/boards/${boardId}/invites`, { as: owner });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      invites: [{ id: live.id, role: 'driver', expiresAt: created + 168 * HOUR, maxUses: 5, uses: 0, createdAt: created }],
    });
    expect(res.text).not.toContain(live.token);
  });

  it('counts uses in the listing', async () => {
    const t = setup();
    const { owner, boardId } = await board(t);
    const inv = await t.createInvite(owner, boardId, { role: 'viewer', maxUses: 3 });
    for (const name of ['A', 'B']) {
      const user = await t.register(name);
      expect((await t.request('POST', `/api/invites/${inv.token}/accept`, { as: user })).status).toBe(200);
    }
    const res = await t.request('GET', `/api/boards/${boardId}/invites`, { as: owner });
    expect(res.body.invites).toEqual([expect.objectContaining({ id: inv.id, uses: 2, maxUses: 3 })]);
  });

  it('revoking answers 204 once, then 404; unknown ids and other boards’ invites are 404', async () => {
    const t = setup();
    const { owner, boardId } = await board(t);
    const other = await board(t);
    const inv = await t.createInvite(owner, boardId, { role: 'viewer' });
    const foreign = await t.createInvite(other.owner, other.boardId, { role: 'viewer' });

    const res = await t.request('DELETE', `/api/boards/${boardId}/invites/${inv.id}`, { as: owner });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectError(await t.request('DELETE', `/api/boards/${boardId}/invites/${inv.id}`, { as: owner }), 404, 'not_found');
    expectError(await t.request('DELETE', `/api/boards/${boardId}/invites/nosuchinvite000x`, { as: owner }), 404, 'not_found');
    // My board's path cannot revoke another board's invite.
    expectError(await t.request('DELETE', `/api/boards/${boardId}/invites/${foreign.id}`, { as: owner }), 404, 'not_found');
    expect((await t.request('GET', `/api/invites/${foreign.token}`)).status).toBe(200);
  });
});

describe('GET /api/invites/:token (preview)', () => {
  it('works without a session and tells only {boardName, role, expiresAt, memberRole: null}', async () => {
    const t = setup();
    const { owner, boardId } = await board(t);
    const inv = await t.createInvite(owner, boardId, { role: 'requester' });
    const res = await t.request('GET', `/api/invites/${inv.token}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ boardName: 'Invite board', role: 'requester', expiresAt: inv.expiresAt, memberRole: null });
    // Previewing uses nothing.
    expect((await t.request('GET', `/api/boards/${boardId}/invites`, { as: owner })).body.invites[0].uses).toBe(0);
  });

  it('tells a signed-in caller their own role on that board (null for a non-member)', async () => {
    const t = setup();
    const { owner, boardId } = await board(t);
    const stranger = await t.register('Stranger');
    const inv = await t.createInvite(owner, boardId, { role: 'driver' });
    expect((await t.request('GET', `/api/invites/${inv.token}`, { as: owner })).body.memberRole).toBe('coordinator');
    expect((await t.request('GET', `/api/invites/${inv.token}`, { as: stranger })).body.memberRole).toBeNull();
  });

  it('is 404 not_found for an unknown (well-formed) token', async () => {
    const t = setup();
    const user = await t.register('Guesser');
    const token = 'a'.repeat(32);
    expectError(await t.request('GET', `/api/invites/${token}`), 404, 'not_found');
    expectError(await t.request('POST', `/api/invites/${token}/accept`, { as: user }), 404, 'not_found');
    expect(t.membershipChanges).toEqual([]);
  });
});

describe('POST /api/invites/:token/accept', () => {
  it('is 401 without a session; with one it answers {boardId, role}, adds the member and reports it', async () => {
    const t = setup();
    const { owner, boardId } = await board(t);
    const joiner = await t.register('Joiner');
    const inv = await t.createInvite(owner, boardId, { role: 'driver' });

    expectError(await t.request('POST', `/api/invites/${inv.token}/accept`), 401, 'unauthenticated');
    expect(t.membershipChanges).toEqual([]);

    const res = await t.request('POST', `/api/invites/${inv.token}/accept`, { as: joiner });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ boardId, role: 'driver' });
    expect(t.membershipChanges).toEqual([{ boardId, userId: joiner.id, role: 'driver' }]);
    expect((await t.request('GET', `/api/boards/${boardId}`, { as: joiner })).body.role).toBe('driver');
    expect((await t.request('GET', '/api/me', { as: joiner })).body.boards).toEqual([{ id: boardId, name: 'Invite board', role: 'driver' }]);
  });

  it('maxUses 1: the second user gets 410 invite_used_up; the first can follow it again', async () => {
    const t = setup();
    const { owner, boardId } = await board(t);
    const first = await t.register('First');
    const second = await t.register('Second');
    const inv = await t.createInvite(owner, boardId, { role: 'viewer', maxUses: 1 });
    expect((await t.request('POST', `/api/invites/${inv.token}/accept`, { as: first })).status).toBe(200);

    expectError(await t.request('POST', `/api/invites/${inv.token}/accept`, { as: second }), 410, 'invite_used_up');
    expectError(await t.request('GET', `/api/invites/${inv.token}`), 410, 'invite_used_up');
    expectError(await t.request('GET', `/api/boards/${boardId}`, { as: second }), 403, 'forbidden');

    const again = await t.request('POST', `/api/invites/${inv.token}/accept`, { as: first });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ boardId, role: 'viewer' });
  });

  it('an expired invite is 410 invite_expired, for preview and accept', async () => {
    const clock = { now: Date.now() };
    const t = setup({}, clock);
    const { owner, boardId } = await board(t);
    const joiner = await t.register('Late');
    const inv = await t.createInvite(owner, boardId, { role: 'viewer', expiresInHours: 1 });

    clock.now += HOUR - 1;
    expect((await t.request('GET', `/api/invites/${inv.token}`)).status).toBe(200);
    clock.now += 1; // exactly at expiresAt
    expectError(await t.request('GET', `/api/invites/${inv.token}`), 410, 'invite_expired');
    expectError(await t.request('POST', `/api/invites/${inv.token}/accept`, { as: joiner }), 410, 'invite_expired');
    expectError(await t.request('GET', `/api/boards/${boardId}`, { as: joiner }), 403, 'forbidden');
    expect(t.membershipChanges).toEqual([]);
  });

  it('a revoked invite is 410 invite_revoked, for preview and accept', async () => {
    const t = setup();
    const { owner, boardId } = await board(t);
    const joiner = await t.register('Too late');
    const inv = await t.createInvite(owner, boardId, { role: 'viewer' });
    expect((await t.request('DELETE', `/api/boards/${boardId}/invites/${inv.id}`, { as: owner })).status).toBe(204);
    expectError(await t.request('GET', `/api/invites/${inv.token}`), 410, 'invite_revoked');
    expectError(await t.request('POST', `/api/invites/${inv.token}/accept`, { as: joiner }), 410, 'invite_revoked');
    expectError(await t.request('GET', `/api/boards/${boardId}`, { as: joiner }), 403, 'forbidden');
  });

  it('an existing coordinator following a viewer invite stays coordinator and uses no slot', async () => {
    const t = setup();
    const { owner, boardId } = await board(t);
    const inv = await t.createInvite(owner, boardId, { role: 'viewer', maxUses: 1 });
    const res = await t.request('POST', `/api/invites/${inv.token}/accept`, { as: owner });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ boardId, role: 'coordinator' });
    expect((await t.request('GET', `/api/boards/${boardId}`, { as: owner })).body.role).toBe('coordinator');
    expect((await t.request('GET', `/api/boards/${boardId}/invites`, { as: owner })).body.invites).toEqual([expect.objectContaining({ id: inv.id, uses: 0 })]);
    // The single slot is still there for someone else.
    const newcomer = await t.register('Newcomer');
    expect((await t.request('POST', `/api/invites/${inv.token}/accept`, { as: newcomer })).body).toEqual({ boardId, role: 'viewer' });
  });

  it('a member following an invite for a higher role is upgraded (using a slot); a lower one changes nothing', async () => {
    const t = setup();
    const { owner, boardId } = await board(t);
    const user = await t.register('Climber');
    await t.addMember(owner, boardId, user, 'viewer');
    const up = await t.createInvite(owner, boardId, { role: 'driver', maxUses: 2 });
    expect((await t.request('POST', `/api/invites/${up.token}/accept`, { as: user })).body).toEqual({ boardId, role: 'driver' });
    const down = await t.createInvite(owner, boardId, { role: 'requester' });
    expect((await t.request('POST', `/api/invites/${down.token}/accept`, { as: user })).body).toEqual({ boardId, role: 'driver' });
    expect((await t.request('GET', `/api/boards/${boardId}`, { as: user })).body.role).toBe('driver');
    const invites = (await t.request('GET', `/api/boards/${boardId}/invites`, { as: owner })).body.invites;
    expect(invites).toEqual([expect.objectContaining({ id: up.id, uses: 1 }), expect.objectContaining({ id: down.id, uses: 0 })]);
  });

  it('a coordinator invite makes a coordinator', async () => {
    const t = setup();
    const { owner, boardId } = await board(t);
    const co = await t.register('Co');
    await t.addMember(owner, boardId, co, 'coordinator');
    expect((await t.request('GET', `/api/boards/${boardId}/members`, { as: co })).status).toBe(200);
  });
});
