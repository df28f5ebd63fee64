/**
 * Contract suite for BoardStore (SQLite, Postgres): boards, memberships, invites. The races between
 * connections (two demotions at once, an invite's last use taken twice) are in
 * pgConcurrency.test.ts.
 *
 * B1. create makes the creator the board's coordinator; get reads the board back; unknown → null.
 * B2. listForUser lists the user's boards with their role, ordered by name; none for non-members.
 * B3. getRole is the member's role, or null for non-members and unknown boards.
 * B4. listMembers lists members (userId, name, email, role, joinedAt), ordered by name.
 * B5. setRole changes a role and returns the changed member; unknown member or board → not_found.
 * B6. The last coordinator cannot be demoted; with two coordinators one can; promoting is free.
 * B7. removeMember removes; unknown member → not_found; the last coordinator cannot be removed.
 * I1. An invite reads back by token hash with uses 0 and revokedAt null; unknown hash → null.
 * I2. listInvites lists live invites only (not expired, revoked or used up), oldest first.
 * I3. revokeInvite revokes once (true), then false; an invite of another board → false.
 * I4. acceptInvite adds the member with the invite's role and counts one use.
 * I5. acceptInvite refuses unknown (not_found), revoked, expired (expiresAt <= now) and used-up
 *     invites, without changing memberships or uses.
 * I6. A member accepting an invite of an equal or lower role keeps their role, uses no slot and
 *     is told nothing changed (changed: false);
 *     of a higher role is upgraded and uses one.
 * A1. Every change writes the audit entry it is given, as given: create, setRole and acceptInvite
 *     (entries built from the changed member / the acceptance, also a member's repeat that uses no
 *     slot), removeMember, createInvite, revokeInvite. A refusal or a no-op writes none.
 * A2. A change whose audit row cannot be written is rolled back: the store throws and nothing of
 *     the change remains.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Role } from '@delivery-board/schema/types';
import { auditEntry, auditRows, inviteUsed, refusedAuditEntry, seedBoard, seedUser, T0, type Stores, type StoresFactory } from './fixtures.ts';

const HOUR = 3_600_000;

async function invite(stores: Stores, boardId: string, by: string, role: Role, opts: { createdAt?: number; expiresAt?: number; maxUses?: number | null } = {}) {
  const rec = {
    id: randomUUID(),
    boardId,
    tokenHash: randomUUID(),
    role,
    createdBy: by,
    createdAt: opts.createdAt ?? T0,
    expiresAt: opts.expiresAt ?? T0 + HOUR,
    maxUses: opts.maxUses === undefined ? null : opts.maxUses,
  };
  await stores.boards.createInvite(rec, auditEntry(boardId, 'invite.created'));
  return rec;
}

export function boardStoreContract(name: string, make: StoresFactory) {
  describe(`BoardStore contract: ${name}`, () => {
    it('B1: the creator becomes coordinator; boards read back', async () => {
      const stores = await make();
      const owner = await seedUser(stores, 'Olive');
      const board = { id: randomUUID(), name: 'Soup run', createdBy: owner.id, createdAt: T0 };
      await stores.boards.create(board, auditEntry(board.id));
      expect(await stores.boards.get(board.id)).toEqual(board);
      expect(await stores.boards.get('no-such-board')).toBeNull();
      expect(await stores.boards.listMembers(board.id)).toEqual([{ userId: owner.id, name: 'Olive', email: owner.email, role: 'coordinator', joinedAt: T0 }]);
    });

    it('B2: listForUser lists boards with roles, by name', async () => {
      const stores = await make();
      const owner = await seedUser(stores);
      const driver = await seedUser(stores);
      const stranger = await seedUser(stores);
      const b = await seedBoard(stores, owner, [[driver, 'driver']], 'Bread');
      const a = await seedBoard(stores, owner, [], 'Apples');
      const c = await seedBoard(stores, driver, [], 'Carrots');
      expect(await stores.boards.listForUser(owner.id)).toEqual([
        { id: a, name: 'Apples', role: 'coordinator' },
        { id: b, name: 'Bread', role: 'coordinator' },
      ]);
      expect(await stores.boards.listForUser(driver.id)).toEqual([
        { id: b, name: 'Bread', role: 'driver' },
        { id: c, name: 'Carrots', role: 'coordinator' },
      ]);
      expect(await stores.boards.listForUser(stranger.id)).toEqual([]);
    });

    it('B3: getRole', async () => {
      const stores = await make();
      const owner = await seedUser(stores);
      const viewer = await seedUser(stores);
      const stranger = await seedUser(stores);
      const b = await seedBoard(stores, owner, [[viewer, 'viewer']]);
      expect(await stores.boards.getRole(b, owner.id)).toBe('coordinator');
      expect(await stores.boards.getRole(b, viewer.id)).toBe('viewer');
      expect(await stores.boards.getRole(b, stranger.id)).toBeNull();
      expect(await stores.boards.getRole('no-such-board', owner.id)).toBeNull();
    });

    it('B4: listMembers, by name', async () => {
      const stores = await make();
      const owner = await seedUser(stores, 'Mia');
      const zed = await seedUser(stores, 'Zed');
      const abe = await seedUser(stores, 'Abe');
      const b = await seedBoard(stores, owner, [
        [zed, 'requester'],
        [abe, 'driver'],
      ]);
      const members = await stores.boards.listMembers(b);
      expect(members.map((m) => [m.name, m.role])).toEqual([
        ['Abe', 'driver'],
        ['Mia', 'coordinator'],
        ['Zed', 'requester'],
      ]);
      expect(members[0]).toEqual({ userId: abe.id, name: 'Abe', email: abe.email, role: 'driver', joinedAt: T0 });
    });

    it('B5: setRole changes a role', async () => {
      const stores = await make();
      const owner = await seedUser(stores);
      const d = await seedUser(stores, 'Dora');
      const b = await seedBoard(stores, owner, [[d, 'driver']]);
      expect(await stores.boards.setRole(b, d.id, 'viewer', () => auditEntry(b))).toEqual({ ok: true, member: { userId: d.id, name: 'Dora', email: d.email, role: 'viewer', joinedAt: T0 } });
      expect(await stores.boards.getRole(b, d.id)).toBe('viewer');
      expect(await stores.boards.setRole(b, 'nobody', 'viewer', () => auditEntry(b))).toEqual({ ok: false, reason: 'not_found' });
      expect(await stores.boards.setRole('no-such-board', d.id, 'viewer', () => auditEntry('no-such-board'))).toEqual({ ok: false, reason: 'not_found' });
    });

    it('B6: the last coordinator cannot be demoted', async () => {
      const stores = await make();
      const owner = await seedUser(stores);
      const other = await seedUser(stores);
      const b = await seedBoard(stores, owner, [[other, 'driver']]);
      expect(await stores.boards.setRole(b, owner.id, 'driver', () => auditEntry(b))).toEqual({ ok: false, reason: 'last_coordinator' });
      expect(await stores.boards.setRole(b, owner.id, 'coordinator', () => auditEntry(b))).toMatchObject({ ok: true });
      expect(await stores.boards.setRole(b, other.id, 'coordinator', () => auditEntry(b))).toMatchObject({ ok: true });
      expect(await stores.boards.setRole(b, owner.id, 'viewer', () => auditEntry(b))).toMatchObject({ ok: true });
      expect(await stores.boards.setRole(b, other.id, 'requester', () => auditEntry(b))).toEqual({ ok: false, reason: 'last_coordinator' });
      expect(await stores.boards.getRole(b, other.id)).toBe('coordinator');
    });

    it('B7: removeMember, never the last coordinator', async () => {
      const stores = await make();
      const owner = await seedUser(stores);
      const d = await seedUser(stores);
      const b = await seedBoard(stores, owner, [[d, 'driver']]);
      expect(await stores.boards.removeMember(b, owner.id, auditEntry(b))).toEqual({ ok: false, reason: 'last_coordinator' });
      expect(await stores.boards.removeMember(b, d.id, auditEntry(b))).toEqual({ ok: true });
      expect(await stores.boards.removeMember(b, d.id, auditEntry(b))).toEqual({ ok: false, reason: 'not_found' });
      expect(await stores.boards.getRole(b, d.id)).toBeNull();
      expect((await stores.boards.listMembers(b)).map((m) => m.userId)).toEqual([owner.id]);
    });

    it('I1: invites read back by token hash', async () => {
      const stores = await make();
      const owner = await seedUser(stores);
      const b = await seedBoard(stores, owner);
      const inv = await invite(stores, b, owner.id, 'driver', { maxUses: 3 });
      expect(await stores.boards.getInviteByTokenHash(inv.tokenHash)).toEqual({ ...inv, uses: 0, revokedAt: null });
      expect(await stores.boards.getInviteByTokenHash('unknown')).toBeNull();
    });

    it('I2: listInvites lists live invites, oldest first', async () => {
      const stores = await make();
      const owner = await seedUser(stores);
      const joiner = await seedUser(stores);
      const b = await seedBoard(stores, owner);
      const other = await seedBoard(stores, owner);
      const now = T0 + 10 * HOUR;
      const later = await invite(stores, b, owner.id, 'viewer', { createdAt: T0 + 2, expiresAt: now + HOUR });
      const earlier = await invite(stores, b, owner.id, 'driver', { createdAt: T0 + 1, expiresAt: now + HOUR, maxUses: 2 });
      await invite(stores, b, owner.id, 'driver', { expiresAt: now }); // expired at `now`
      const revoked = await invite(stores, b, owner.id, 'driver', { expiresAt: now + HOUR });
      await stores.boards.revokeInvite(b, revoked.id, now, auditEntry(b));
      const usedUp = await invite(stores, b, owner.id, 'driver', { expiresAt: now + HOUR, maxUses: 1 });
      await stores.boards.acceptInvite(usedUp.tokenHash, joiner.id, now, inviteUsed);
      await invite(stores, other, owner.id, 'driver', { expiresAt: now + HOUR });
      expect(await stores.boards.listInvites(b, now)).toEqual([
        { id: earlier.id, role: 'driver', expiresAt: now + HOUR, maxUses: 2, uses: 0, createdAt: T0 + 1 },
        { id: later.id, role: 'viewer', expiresAt: now + HOUR, maxUses: null, uses: 0, createdAt: T0 + 2 },
      ]);
    });

    it('I3: revokeInvite revokes once, only on its board', async () => {
      const stores = await make();
      const owner = await seedUser(stores);
      const b = await seedBoard(stores, owner);
      const other = await seedBoard(stores, owner);
      const inv = await invite(stores, b, owner.id, 'driver');
      expect(await stores.boards.revokeInvite(other, inv.id, T0 + 5, auditEntry(other))).toBe(false);
      expect(await stores.boards.revokeInvite(b, inv.id, T0 + 5, auditEntry(b))).toBe(true);
      expect(await stores.boards.revokeInvite(b, inv.id, T0 + 6, auditEntry(b))).toBe(false);
      expect((await stores.boards.getInviteByTokenHash(inv.tokenHash))!.revokedAt).toBe(T0 + 5);
    });

    it('I4: accepting adds the member and uses one slot', async () => {
      const stores = await make();
      const owner = await seedUser(stores);
      const joiner = await seedUser(stores, 'Jo');
      const b = await seedBoard(stores, owner);
      const inv = await invite(stores, b, owner.id, 'requester', { maxUses: 5 });
      expect(await stores.boards.acceptInvite(inv.tokenHash, joiner.id, T0 + 7, inviteUsed)).toEqual({ ok: true, changed: true, boardId: b, role: 'requester' });
      expect(await stores.boards.getRole(b, joiner.id)).toBe('requester');
      expect((await stores.boards.getInviteByTokenHash(inv.tokenHash))!.uses).toBe(1);
      expect((await stores.boards.listMembers(b)).find((m) => m.userId === joiner.id)!.joinedAt).toBe(T0 + 7);
    });

    it('I5: unknown, revoked, expired and used-up invites are refused', async () => {
      const stores = await make();
      const owner = await seedUser(stores);
      const first = await seedUser(stores);
      const joiner = await seedUser(stores);
      const b = await seedBoard(stores, owner);
      const now = T0 + HOUR;
      const revoked = await invite(stores, b, owner.id, 'driver', { expiresAt: now + HOUR });
      await stores.boards.revokeInvite(b, revoked.id, now, auditEntry(b));
      const expired = await invite(stores, b, owner.id, 'driver', { expiresAt: now });
      const single = await invite(stores, b, owner.id, 'driver', { expiresAt: now + HOUR, maxUses: 1 });
      expect(await stores.boards.acceptInvite(single.tokenHash, first.id, now, inviteUsed)).toMatchObject({ ok: true });

      expect(await stores.boards.acceptInvite('unknown', joiner.id, now, inviteUsed)).toEqual({ ok: false, reason: 'not_found' });
      expect(await stores.boards.acceptInvite(revoked.tokenHash, joiner.id, now, inviteUsed)).toEqual({ ok: false, reason: 'revoked' });
      expect(await stores.boards.acceptInvite(expired.tokenHash, joiner.id, now, inviteUsed)).toEqual({ ok: false, reason: 'expired' });
      expect(await stores.boards.acceptInvite(single.tokenHash, joiner.id, now, inviteUsed)).toEqual({ ok: false, reason: 'used_up' });
      expect(await stores.boards.getRole(b, joiner.id)).toBeNull();
      expect((await stores.boards.getInviteByTokenHash(single.tokenHash))!.uses).toBe(1);
      expect((await stores.boards.getInviteByTokenHash(revoked.tokenHash))!.uses).toBe(0);
    });

    it('I6: members keep higher roles and use no slot; lower roles are upgraded', async () => {
      const stores = await make();
      const owner = await seedUser(stores);
      const d = await seedUser(stores);
      const b = await seedBoard(stores, owner, [[d, 'driver']]);
      const same = await invite(stores, b, owner.id, 'driver', { maxUses: 1 });
      const lower = await invite(stores, b, owner.id, 'viewer', { maxUses: 1 });
      const higher = await invite(stores, b, owner.id, 'coordinator', { maxUses: 1 });
      expect(await stores.boards.acceptInvite(same.tokenHash, d.id, T0, inviteUsed)).toEqual({ ok: true, changed: false, boardId: b, role: 'driver' });
      expect(await stores.boards.acceptInvite(lower.tokenHash, d.id, T0, inviteUsed)).toEqual({ ok: true, changed: false, boardId: b, role: 'driver' });
      expect(await stores.boards.acceptInvite(lower.tokenHash, owner.id, T0, inviteUsed)).toEqual({ ok: true, changed: false, boardId: b, role: 'coordinator' });
      expect((await stores.boards.getInviteByTokenHash(same.tokenHash))!.uses).toBe(0);
      expect((await stores.boards.getInviteByTokenHash(lower.tokenHash))!.uses).toBe(0);
      expect(await stores.boards.acceptInvite(higher.tokenHash, d.id, T0, inviteUsed)).toEqual({ ok: true, changed: true, boardId: b, role: 'coordinator' });
      expect((await stores.boards.getInviteByTokenHash(higher.tokenHash))!.uses).toBe(1);
      expect(await stores.boards.getRole(b, d.id)).toBe('coordinator');
    });

    it('A1: changes write their audit row; refusals and no-ops none', async () => {
      const stores = await make();
      const owner = await seedUser(stores, 'Olive');
      const d = await seedUser(stores, 'Dora');
      const late = await seedUser(stores);
      const b = randomUUID();
      const entry = (action: string, data?: Record<string, unknown>) => auditEntry(b, action, { actorId: owner.id, actorName: 'Olive', data, at: T0 + 9 });
      const refused = entry('refused');
      await stores.boards.create({ id: b, name: 'Soup run', createdBy: owner.id, createdAt: T0 }, entry('board.created', { name: 'Soup run' }));
      const inv = { id: randomUUID(), boardId: b, tokenHash: randomUUID(), role: 'driver' as const, createdBy: owner.id, createdAt: T0, expiresAt: T0 + HOUR, maxUses: 1 };
      await stores.boards.createInvite(inv, entry('invite.created'));
      const used = ({ role }: { role: Role }) => entry('invite.used', { role });
      expect(await stores.boards.acceptInvite(inv.tokenHash, d.id, T0, used)).toMatchObject({ ok: true, changed: true });
      expect(await stores.boards.acceptInvite(inv.tokenHash, late.id, T0, () => refused)).toEqual({ ok: false, reason: 'used_up' });
      expect(await stores.boards.acceptInvite('unknown', late.id, T0, () => refused)).toEqual({ ok: false, reason: 'not_found' });
      expect(await stores.boards.acceptInvite(inv.tokenHash, d.id, T0, used)).toMatchObject({ ok: true, changed: false }); // a repeat: no slot used, no audit row
      expect(await stores.boards.setRole(b, owner.id, 'driver', () => refused)).toEqual({ ok: false, reason: 'last_coordinator' });
      expect(await stores.boards.setRole(b, 'nobody', 'viewer', () => refused)).toEqual({ ok: false, reason: 'not_found' });
      expect(await stores.boards.setRole(b, d.id, 'viewer', (m) => entry('member.role_changed', { name: m.name, role: m.role }))).toMatchObject({ ok: true });
      expect(await stores.boards.removeMember(b, owner.id, refused)).toEqual({ ok: false, reason: 'last_coordinator' });
      expect(await stores.boards.removeMember(b, d.id, entry('member.removed'))).toEqual({ ok: true });
      expect(await stores.boards.removeMember(b, d.id, refused)).toEqual({ ok: false, reason: 'not_found' });
      expect(await stores.boards.revokeInvite(b, inv.id, T0 + 1, entry('invite.revoked'))).toBe(true);
      expect(await stores.boards.revokeInvite(b, inv.id, T0 + 2, refused)).toBe(false);

      const rows = await auditRows(stores, b);
      expect(rows.map((r) => [r.action, r.data])).toEqual([
        ['board.created', { name: 'Soup run' }],
        ['invite.created', null],
        ['invite.used', { role: 'driver' }],
        ['member.role_changed', { name: 'Dora', role: 'viewer' }],
        ['member.removed', null],
        ['invite.revoked', null],
      ]);
      expect(rows[0]).toEqual({
        id: expect.any(Number),
        boardId: b,
        cardId: null,
        actorId: owner.id,
        actorName: 'Olive',
        action: 'board.created',
        fromStatus: null,
        toStatus: null,
        note: null,
        data: { name: 'Soup run' },
        at: T0 + 9,
      });
    });

    it('A2: a change whose audit row fails is rolled back', async () => {
      const stores = await make();
      const owner = await seedUser(stores);
      const d = await seedUser(stores);
      const joiner = await seedUser(stores);
      const lost = randomUUID();
      await expect(stores.boards.create({ id: lost, name: 'Lost', createdBy: owner.id, createdAt: T0 }, refusedAuditEntry(lost))).rejects.toThrow();
      expect(await stores.boards.get(lost)).toBeNull();
      expect(await stores.boards.listForUser(owner.id)).toEqual([]);

      const b = await seedBoard(stores, owner, [[d, 'driver']]);
      const bad = refusedAuditEntry(b);
      await expect(stores.boards.setRole(b, d.id, 'viewer', () => bad)).rejects.toThrow();
      await expect(stores.boards.removeMember(b, d.id, bad)).rejects.toThrow();
      expect(await stores.boards.getRole(b, d.id)).toBe('driver');
      const tokenHash = randomUUID();
      const rec = { id: randomUUID(), boardId: b, tokenHash, role: 'viewer' as const, createdBy: owner.id, createdAt: T0, expiresAt: T0 + HOUR, maxUses: null };
      await expect(stores.boards.createInvite(rec, bad)).rejects.toThrow();
      expect(await stores.boards.getInviteByTokenHash(tokenHash)).toBeNull();
      const inv = await invite(stores, b, owner.id, 'requester', { maxUses: 1 });
      const up = await invite(stores, b, owner.id, 'coordinator', { maxUses: 1 });
      await expect(stores.boards.revokeInvite(b, inv.id, T0 + 1, bad)).rejects.toThrow();
      await expect(stores.boards.acceptInvite(inv.tokenHash, joiner.id, T0, () => bad)).rejects.toThrow();
      await expect(stores.boards.acceptInvite(up.tokenHash, d.id, T0, () => bad)).rejects.toThrow(); // an upgrade
      // A driver following a requester invite changes nothing, so writes no audit row to fail.
      expect(await stores.boards.acceptInvite(inv.tokenHash, d.id, T0, () => bad)).toEqual({ ok: true, changed: false, boardId: b, role: 'driver' });
      expect(await stores.boards.getInviteByTokenHash(inv.tokenHash)).toMatchObject({ uses: 0, revokedAt: null });
      expect(await stores.boards.getInviteByTokenHash(up.tokenHash)).toMatchObject({ uses: 0, revokedAt: null });
      expect(await stores.boards.getRole(b, joiner.id)).toBeNull();
      expect(await stores.boards.getRole(b, d.id)).toBe('driver');
      expect((await auditRows(stores, b)).map((r) => r.action)).toEqual(['invite.created', 'invite.created']);
      // Nothing was left half-done: the same changes then go through.
      expect(await stores.boards.acceptInvite(inv.tokenHash, joiner.id, T0, inviteUsed)).toEqual({ ok: true, changed: true, boardId: b, role: 'requester' });
      expect(await stores.boards.setRole(b, d.id, 'viewer', () => auditEntry(b))).toMatchObject({ ok: true });
    });
  });
}
