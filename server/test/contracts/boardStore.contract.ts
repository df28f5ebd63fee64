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
 * I6. A member accepting an invite of an equal or lower role keeps their role and uses no slot;
 *     of a higher role is upgraded and uses one.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Role } from '@delivery-board/schema/types';
import { seedBoard, seedUser, T0, type Stores, type StoresFactory } from './fixtures.ts';

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
  await stores.boards.createInvite(rec);
  return rec;
}

export function boardStoreContract(name: string, make: StoresFactory) {
  describe(`BoardStore contract: ${name}`, () => {
    it('B1: the creator becomes coordinator; boards read back', async () => {
      const stores = await make();
      const owner = await seedUser(stores, 'Olive');
      const board = { id: randomUUID(), name: 'Soup run', createdBy: owner.id, createdAt: T0 };
      await stores.boards.create(board);
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
      expect(await stores.boards.setRole(b, d.id, 'viewer')).toEqual({ ok: true, member: { userId: d.id, name: 'Dora', email: d.email, role: 'viewer', joinedAt: T0 } });
      expect(await stores.boards.getRole(b, d.id)).toBe('viewer');
      expect(await stores.boards.setRole(b, 'nobody', 'viewer')).toEqual({ ok: false, reason: 'not_found' });
      expect(await stores.boards.setRole('no-such-board', d.id, 'viewer')).toEqual({ ok: false, reason: 'not_found' });
    });

    it('B6: the last coordinator cannot be demoted', async () => {
      const stores = await make();
      const owner = await seedUser(stores);
      const other = await seedUser(stores);
      const b = await seedBoard(stores, owner, [[other, 'driver']]);
      expect(await stores.boards.setRole(b, owner.id, 'driver')).toEqual({ ok: false, reason: 'last_coordinator' });
      expect(await stores.boards.setRole(b, owner.id, 'coordinator')).toMatchObject({ ok: true });
      expect(await stores.boards.setRole(b, other.id, 'coordinator')).toMatchObject({ ok: true });
      expect(await stores.boards.setRole(b, owner.id, 'viewer')).toMatchObject({ ok: true });
      expect(await stores.boards.setRole(b, other.id, 'requester')).toEqual({ ok: false, reason: 'last_coordinator' });
      expect(await stores.boards.getRole(b, other.id)).toBe('coordinator');
    });

    it('B7: removeMember, never the last coordinator', async () => {
      const stores = await make();
      const owner = await seedUser(stores);
      const d = await seedUser(stores);
      const b = await seedBoard(stores, owner, [[d, 'driver']]);
      expect(await stores.boards.removeMember(b, owner.id)).toEqual({ ok: false, reason: 'last_coordinator' });
      expect(await stores.boards.removeMember(b, d.id)).toEqual({ ok: true });
      expect(await stores.boards.removeMember(b, d.id)).toEqual({ ok: false, reason: 'not_found' });
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
      await stores.boards.revokeInvite(b, revoked.id, now);
      const usedUp = await invite(stores, b, owner.id, 'driver', { expiresAt: now + HOUR, maxUses: 1 });
      await stores.boards.acceptInvite(usedUp.tokenHash, joiner.id, now);
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
      expect(await stores.boards.revokeInvite(other, inv.id, T0 + 5)).toBe(false);
      expect(await stores.boards.revokeInvite(b, inv.id, T0 + 5)).toBe(true);
      expect(await stores.boards.revokeInvite(b, inv.id, T0 + 6)).toBe(false);
      expect((await stores.boards.getInviteByTokenHash(inv.tokenHash))!.revokedAt).toBe(T0 + 5);
    });

    it('I4: accepting adds the member and uses one slot', async () => {
      const stores = await make();
      const owner = await seedUser(stores);
      const joiner = await seedUser(stores, 'Jo');
      const b = await seedBoard(stores, owner);
      const inv = await invite(stores, b, owner.id, 'requester', { maxUses: 5 });
      expect(await stores.boards.acceptInvite(inv.tokenHash, joiner.id, T0 + 7)).toEqual({ ok: true, boardId: b, role: 'requester' });
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
      await stores.boards.revokeInvite(b, revoked.id, now);
      const expired = await invite(stores, b, owner.id, 'driver', { expiresAt: now });
      const single = await invite(stores, b, owner.id, 'driver', { expiresAt: now + HOUR, maxUses: 1 });
      expect(await stores.boards.acceptInvite(single.tokenHash, first.id, now)).toMatchObject({ ok: true });

      expect(await stores.boards.acceptInvite('unknown', joiner.id, now)).toEqual({ ok: false, reason: 'not_found' });
      expect(await stores.boards.acceptInvite(revoked.tokenHash, joiner.id, now)).toEqual({ ok: false, reason: 'revoked' });
      expect(await stores.boards.acceptInvite(expired.tokenHash, joiner.id, now)).toEqual({ ok: false, reason: 'expired' });
      expect(await stores.boards.acceptInvite(single.tokenHash, joiner.id, now)).toEqual({ ok: false, reason: 'used_up' });
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
      expect(await stores.boards.acceptInvite(same.tokenHash, d.id, T0)).toEqual({ ok: true, boardId: b, role: 'driver' });
      expect(await stores.boards.acceptInvite(lower.tokenHash, d.id, T0)).toEqual({ ok: true, boardId: b, role: 'driver' });
      expect(await stores.boards.acceptInvite(lower.tokenHash, owner.id, T0)).toEqual({ ok: true, boardId: b, role: 'coordinator' });
      expect((await stores.boards.getInviteByTokenHash(same.tokenHash))!.uses).toBe(0);
      expect((await stores.boards.getInviteByTokenHash(lower.tokenHash))!.uses).toBe(0);
      expect(await stores.boards.acceptInvite(higher.tokenHash, d.id, T0)).toEqual({ ok: true, boardId: b, role: 'coordinator' });
      expect((await stores.boards.getInviteByTokenHash(higher.tokenHash))!.uses).toBe(1);
      expect(await stores.boards.getRole(b, d.id)).toBe('coordinator');
    });
  });
}
