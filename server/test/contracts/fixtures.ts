/** Shared by the contract suites: the store set under test, and rows to seed it with. */
import { randomUUID } from 'node:crypto';
import type { Role } from '@delivery-board/schema/types';
import type { Stores } from '../../src/stores/pg/createPgStores.ts';
import type { AuditEntry, AuditRow, UserRecord } from '../../src/stores/types.ts';

export type { Stores };
/** Returns a store set over an empty database. */
export type StoresFactory = () => Promise<Stores>;

/** A fixed, realistic time: past 2^31 ms and 2^32 s, so 32-bit columns would show. */
export const T0 = 1_763_000_000_000;

let n = 0;
export function userRecord(name = `User ${++n}`): UserRecord {
  const id = randomUUID();
  return { id, email: `${id}@example.org`, name, passwordHash: `hash-${id}`, createdAt: T0 + n };
}

export async function seedUser(stores: Stores, name?: string): Promise<UserRecord> {
  const u = userRecord(name);
  if (!(await stores.users.create(u))) throw new Error('seed user refused');
  return u;
}

/** An audit entry to hand a store change (the stores write what they are given). */
export function auditEntry(boardId: string, action = 'test.change', extra: Partial<AuditEntry> = {}): AuditEntry {
  return { boardId, cardId: null, actorId: null, actorName: null, action, at: T0, ...extra };
}

/** What acceptInvite is given to build its audit row. */
export const inviteUsed = (accepted: { boardId: string }) => auditEntry(accepted.boardId, 'invite.used');

/** An entry the audit table refuses (`action` is NOT NULL): the change it comes with must roll back. */
export function refusedAuditEntry(boardId: string): AuditEntry {
  return { ...auditEntry(boardId), action: null as unknown as string };
}

/** A board's audit rows, oldest first. */
export async function auditRows(stores: Stores, boardId: string): Promise<AuditRow[]> {
  return (await stores.bookings.listAudit(boardId, { limit: 1000 })).reverse();
}

/**
 * A board created by `owner` (its coordinator), with `members` added through invites. The seeding's
 * audit rows go under another board id (`seed:<id>`), so the board's own trail starts empty.
 */
export async function seedBoard(stores: Stores, owner: UserRecord, members: [UserRecord, Role][] = [], name = 'Board'): Promise<string> {
  const id = randomUUID();
  const seedAudit = auditEntry(`seed:${id}`, 'seed');
  await stores.boards.create({ id, name, createdBy: owner.id, createdAt: T0 }, seedAudit);
  for (const [user, role] of members) {
    const tokenHash = randomUUID();
    await stores.boards.createInvite(
      { id: randomUUID(), boardId: id, tokenHash, role, createdBy: owner.id, createdAt: T0, expiresAt: T0 + 3_600_000, maxUses: 1 },
      seedAudit,
    );
    const res = await stores.boards.acceptInvite(tokenHash, user.id, T0, () => seedAudit);
    if (!res.ok) throw new Error(`seed membership refused: ${res.reason}`);
  }
  return id;
}
