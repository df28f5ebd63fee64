/**
 * Races between replicas on Postgres: two pools on one database (as two server processes would
 * have), requests fired at once on both. Each test names the rule it pins.
 *
 * P1. Claims racing on two connections: exactly one winner per card and one audit row, both for a
 *     card's first booking (no row yet) and once its row exists (released, open again).
 * P2. Demoting or removing the last two coordinators at once on two connections: one is refused,
 *     and the board keeps a coordinator.
 * P3. An invite's last use taken at once by several users: exactly one joins. One user accepting
 *     two invites of a board at once: both answer, no error, and the higher role is kept.
 * P4. The same intent sent on two connections at once acts once; both get the same answer.
 * P5. Appends from two connections racing compactions lose no update (seq order = commit order
 *     within a document).
 * P6. Several replicas starting at once on an empty database all migrate it, once.
 * P7. A compaction does not wait for an append to the same document that is in flight (holding the
 *     document's lock), and that append is kept after it.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Role } from '@delivery-board/schema/types';
import { DOC_LOCK_NS, openPg, PG_MIGRATIONS } from '../../src/db/pg.ts';
import { createPgStores } from '../../src/stores/pg/createPgStores.ts';
import { auditEntry, inviteUsed, seedBoard, seedUser, T0, type Stores } from './fixtures.ts';
import { createTestDatabase, usePgDatabase } from './pgTestDb.ts';

const pg = usePgDatabase();
/** Two store sets, each on its own pool: "replica A" and "replica B". */
let a: Stores;
let b: Stores;
beforeAll(async () => {
  a = await pg.freshStores();
  b = createPgStores((await pg.openPool()).db);
});

const both = () => [a, b] as const;
const actor = (u: { id: string; name: string }, role: Role) => ({ userId: u.id, name: u.name, role });

describe('Postgres across connections', () => {
  it('P1: racing claims have exactly one winner per card', async () => {
    const owner = await seedUser(a);
    const drivers = await Promise.all([1, 2, 3, 4].map(() => seedUser(a)));
    const boardId = await seedBoard(a, owner, drivers.map((d) => [d, 'driver'] as [typeof d, Role]));
    const cards = Array.from({ length: 20 }, (_, i) => `card-${i}`);
    const race = async (version: number) => {
      const attempts = cards.flatMap((cardId) =>
        drivers.flatMap((d) =>
          both().map((stores) =>
            stores.bookings.transition({ boardId, cardId, action: 'claim', intentId: randomUUID(), actor: actor(d, 'driver'), note: null, cardCreatedBy: null, now: T0 }),
          ),
        ),
      );
      const outcomes = await Promise.all(attempts);
      const perCard = drivers.length * 2;
      for (const [i, cardId] of cards.entries()) {
        const statuses = outcomes.slice(i * perCard, (i + 1) * perCard).map((o) => o.httpStatus).sort();
        expect(statuses, cardId).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
        expect(await b.bookings.get(boardId, cardId)).toMatchObject({ status: 'claimed', version });
        expect(await a.bookings.listAudit(boardId, { cardId, limit: 10 })).toHaveLength(version);
      }
    };
    await race(1); // no booking rows yet
    for (const cardId of cards) {
      const booking = await a.bookings.get(boardId, cardId);
      const d = drivers.find((x) => x.id === booking.driverId)!;
      const out = await a.bookings.transition({ boardId, cardId, action: 'release', intentId: randomUUID(), actor: actor(d, 'driver'), note: null, cardCreatedBy: null, now: T0 });
      expect(out.httpStatus).toBe(200);
    }
    await race(3); // rows exist: the row lock decides
  });

  it('P2: demoting or removing the last two coordinators at once refuses one', async () => {
    const ops = [
      (s: Stores, boardId: string, userId: string) => s.boards.setRole(boardId, userId, 'driver', () => auditEntry(boardId)),
      (s: Stores, boardId: string, userId: string) => s.boards.removeMember(boardId, userId, auditEntry(boardId)),
    ];
    for (let round = 0; round < 12; round++) {
      const first = await seedUser(a);
      const second = await seedUser(a);
      const boardId = await seedBoard(a, first, [[second, 'coordinator']]);
      const [opA, opB] = [ops[round % 2]!, ops[Math.floor(round / 2) % 2]!];
      const results = await Promise.all([opA(a, boardId, first.id), opB(b, boardId, second.id)]);
      expect(results.filter((r) => r.ok), `round ${round}`).toHaveLength(1);
      expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'last_coordinator' }]);
      const coordinators = (await a.boards.listMembers(boardId)).filter((m) => m.role === 'coordinator');
      expect(coordinators).toHaveLength(1);
    }
  });

  it("P3: an invite's last use goes to one user; one user's two invites both answer", async () => {
    const owner = await seedUser(a);
    const boardId = await seedBoard(a, owner);
    const joiners = await Promise.all(Array.from({ length: 8 }, () => seedUser(a)));
    const tokenHash = randomUUID();
    await a.boards.createInvite({ id: randomUUID(), boardId, tokenHash, role: 'driver', createdBy: owner.id, createdAt: T0, expiresAt: T0 + 1e6, maxUses: 1 }, auditEntry(boardId));
    const results = await Promise.all(joiners.map((j, i) => (i % 2 ? b : a).boards.acceptInvite(tokenHash, j.id, T0, inviteUsed)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual(Array(7).fill({ ok: false, reason: 'used_up' }));
    expect((await a.boards.getInviteByTokenHash(tokenHash))!.uses).toBe(1);
    expect(await a.boards.listMembers(boardId)).toHaveLength(2);

    for (let round = 0; round < 6; round++) {
      const user = await seedUser(a);
      const [low, high] = [randomUUID(), randomUUID()];
      await a.boards.createInvite({ id: randomUUID(), boardId, tokenHash: low, role: 'requester', createdBy: owner.id, createdAt: T0, expiresAt: T0 + 1e6, maxUses: null }, auditEntry(boardId));
      await a.boards.createInvite({ id: randomUUID(), boardId, tokenHash: high, role: 'driver', createdBy: owner.id, createdAt: T0, expiresAt: T0 + 1e6, maxUses: null }, auditEntry(boardId));
      const [r1, r2] = await Promise.all([a.boards.acceptInvite(low, user.id, T0, inviteUsed), b.boards.acceptInvite(high, user.id, T0, inviteUsed)]);
      expect(r1.ok && r2.ok).toBe(true);
      expect(await a.boards.getRole(boardId, user.id)).toBe('driver');
    }
  });

  it('P4: one intent sent on two connections at once acts once', async () => {
    const owner = await seedUser(a);
    const driver = await seedUser(a);
    const boardId = await seedBoard(a, owner, [[driver, 'driver']]);
    for (let i = 0; i < 10; i++) {
      const cardId = `dup-${i}`;
      const request = { boardId, cardId, action: 'claim' as const, intentId: randomUUID(), actor: actor(driver, 'driver'), note: null, cardCreatedBy: null, now: T0 };
      const [x, y] = await Promise.all([a.bookings.transition(request), b.bookings.transition(request)]);
      expect([x.httpStatus, y.httpStatus]).toEqual([200, 200]);
      expect(x.body).toEqual(y.body);
      expect([x.replayed, y.replayed].sort()).toEqual([false, true]);
      expect(await a.bookings.listAudit(boardId, { cardId, limit: 10 })).toHaveLength(1);
    }
  });

  it('P5: appends racing compactions on two connections lose nothing', async () => {
    const name = `doc-${randomUUID()}`;
    const writer = (stores: Stores, prefix: string) => async () => {
      const doc = new Y.Doc();
      for (let i = 0; i < 40; i++) {
        const before = Y.encodeStateVector(doc);
        doc.getMap('cards').set(`${prefix}${i}`, i);
        await stores.documents.append(name, [Y.encodeStateAsUpdate(doc, before)]);
      }
    };
    let writing = true;
    const compactor = async (stores: Stores) => {
      while (writing) {
        const stored = await stores.documents.load(name);
        const doc = new Y.Doc();
        if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
        for (const u of stored.updates) Y.applyUpdate(doc, u);
        await stores.documents.compact(name, Y.encodeStateAsUpdate(doc), stored.lastSeq);
      }
    };
    const compactors = Promise.all([compactor(a), compactor(b)]);
    await Promise.all([writer(a, 'a')(), writer(b, 'b')(), writer(a, 'c')(), writer(b, 'd')()]);
    writing = false;
    await compactors;
    const stored = await a.documents.load(name);
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const u of stored.updates) Y.applyUpdate(doc, u);
    expect(Object.keys(doc.getMap('cards').toJSON())).toHaveLength(160);
  });

  it('P7: a compaction does not wait for an append in flight, and the append is kept', async () => {
    const name = `doc-${randomUUID()}`;
    const doc = new Y.Doc();
    const edit = (key: string) => {
      const before = Y.encodeStateVector(doc);
      doc.getMap('cards').set(key, key);
      return Y.encodeStateAsUpdate(doc, before);
    };
    const [s1] = await a.documents.append(name, [edit('one')]);
    const snapshot = Y.encodeStateAsUpdate(doc);
    const late = edit('two');
    // An append on another connection that has taken the document's lock and not yet committed
    // (as a slow append of another replica would be).
    const holder = await (await pg.openPool()).pool.connect();
    try {
      await holder.query('begin');
      await holder.query('select pg_advisory_xact_lock($1::int, hashtext($2))', [DOC_LOCK_NS, name]);
      const blockedAppend = b.documents.append(name, [late]);
      const compacted = a.documents.compact(name, snapshot, s1!).then(() => 'compacted');
      const waited = new Promise((resolve) => setTimeout(() => resolve('still waiting after 5 s'), 5000));
      expect(await Promise.race([compacted, waited])).toBe('compacted');
      await holder.query('commit');
      const [s2] = await blockedAppend;
      expect(s2).toBeGreaterThan(s1!);
    } finally {
      holder.release();
    }
    const stored = await b.documents.load(name);
    expect(stored.snapshot).not.toBeNull();
    expect(stored.updates).toHaveLength(1);
    const fresh = new Y.Doc();
    Y.applyUpdate(fresh, stored.snapshot!);
    for (const u of stored.updates) Y.applyUpdate(fresh, u);
    expect(fresh.getMap('cards').toJSON()).toEqual({ one: 'one', two: 'two' });
  });

  it('P6: replicas starting at once migrate an empty database once', async () => {
    const database = await createTestDatabase();
    try {
      const opened = await Promise.all([openPg(database.url, { max: 1 }), openPg(database.url, { max: 1 }), openPg(database.url, { max: 1 })]);
      const migrations = await opened[0]!.pool.query('select count(*)::int as n from drizzle.__drizzle_migrations');
      const journal = JSON.parse(readFileSync(join(PG_MIGRATIONS, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
      expect(migrations.rows).toEqual([{ n: journal.entries.length }]);
      for (const o of opened) expect((await o.pool.query('select count(*)::int as n from users')).rows).toEqual([{ n: 0 }]);
      await Promise.all(opened.map((o) => o.close()));
    } finally {
      await database.drop();
    }
  });
});
