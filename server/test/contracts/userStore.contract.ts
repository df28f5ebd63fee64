/**
 * Contract suite for UserStore and SessionStore (SQLite, Postgres).
 *
 * U1. A created user reads back field for field, by id and by email.
 * U2. A second user with a taken email is refused (false) and the first is unchanged.
 * U3. Unknown ids and emails read as null.
 * U4. Millisecond times round-trip exactly (no 32-bit or float truncation).
 * S1. A created session reads back field for field with its user, in one read (getWithUser);
 *     an unknown id reads as null.
 * S2. setExpiry changes only that session's expiry.
 * S3. delete removes the session; deleting an unknown id is a no-op.
 * S4. Deleting a user's sessions leaves the user and other sessions alone.
 */
import { describe, expect, it } from 'vitest';
import type { SessionStore } from '../../src/stores/types.ts';
import { T0, userRecord, type StoresFactory } from './fixtures.ts';

const sessionById = async (sessions: SessionStore, id: string) => (await sessions.getWithUser(id))?.session ?? null;

export function userStoreContract(name: string, make: StoresFactory) {
  describe(`UserStore + SessionStore contract: ${name}`, () => {
    it('U1: a user reads back by id and by email', async () => {
      const { users } = await make();
      const u = userRecord('Ada Lovelace');
      expect(await users.create(u)).toBe(true);
      expect(await users.getById(u.id)).toEqual(u);
      expect(await users.getByEmail(u.email)).toEqual(u);
    });

    it('U2: a taken email is refused', async () => {
      const { users } = await make();
      const first = userRecord('First');
      const second = { ...userRecord('Second'), email: first.email };
      expect(await users.create(first)).toBe(true);
      expect(await users.create(second)).toBe(false);
      expect(await users.getByEmail(first.email)).toEqual(first);
      expect(await users.getById(second.id)).toBeNull();
    });

    it('U3: unknown users read as null', async () => {
      const { users } = await make();
      expect(await users.getById('nobody')).toBeNull();
      expect(await users.getByEmail('nobody@example.org')).toBeNull();
    });

    it('U4: millisecond times round-trip exactly', async () => {
      const { users, sessions } = await make();
      const u = { ...userRecord(), createdAt: 4_102_444_800_123 }; // 2100-01-01T00:00:00.123Z
      await users.create(u);
      expect((await users.getById(u.id))!.createdAt).toBe(4_102_444_800_123);
      await sessions.create({ id: 's', userId: u.id, expiresAt: Number.MAX_SAFE_INTEGER, createdAt: T0 });
      expect((await sessionById(sessions, 's'))!.expiresAt).toBe(Number.MAX_SAFE_INTEGER);
    });

    it('S1: a session reads back; unknown ones are null', async () => {
      const { users, sessions } = await make();
      const u = userRecord();
      await users.create(u);
      const s = { id: 'a'.repeat(64), userId: u.id, expiresAt: T0 + 1000, createdAt: T0 };
      await sessions.create(s);
      expect(await sessions.getWithUser(s.id)).toEqual({ session: s, user: u });
      expect(await sessions.getWithUser('b'.repeat(64))).toBeNull();
    });

    it('S2: setExpiry changes only that expiry', async () => {
      const { users, sessions } = await make();
      const u = userRecord();
      await users.create(u);
      await sessions.create({ id: 's1', userId: u.id, expiresAt: T0 + 1, createdAt: T0 });
      await sessions.create({ id: 's2', userId: u.id, expiresAt: T0 + 2, createdAt: T0 });
      await sessions.setExpiry('s1', T0 + 99);
      expect(await sessionById(sessions, 's1')).toEqual({ id: 's1', userId: u.id, expiresAt: T0 + 99, createdAt: T0 });
      expect((await sessionById(sessions, 's2'))!.expiresAt).toBe(T0 + 2);
    });

    it('S3: delete removes a session; unknown ids are a no-op', async () => {
      const { users, sessions } = await make();
      const u = userRecord();
      await users.create(u);
      await sessions.create({ id: 's1', userId: u.id, expiresAt: T0 + 1, createdAt: T0 });
      await sessions.delete('s1');
      await sessions.delete('never-existed');
      expect(await sessionById(sessions, 's1')).toBeNull();
    });

    it('S4: deleting sessions leaves the user and other sessions', async () => {
      const { users, sessions } = await make();
      const u = userRecord();
      const v = userRecord();
      await users.create(u);
      await users.create(v);
      await sessions.create({ id: 'u1', userId: u.id, expiresAt: T0 + 1, createdAt: T0 });
      await sessions.create({ id: 'v1', userId: v.id, expiresAt: T0 + 1, createdAt: T0 });
      await sessions.delete('u1');
      expect(await users.getById(u.id)).toEqual(u);
      expect(await sessionById(sessions, 'v1')).not.toBeNull();
    });
  });
}
