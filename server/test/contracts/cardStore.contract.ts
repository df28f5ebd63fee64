/**
 * Contract suite for CardStore (SQLite, Postgres): private details and tracking links.
 *
 * C1. A card without private details reads as empty strings with updatedBy/updatedAt null.
 * C2. putPrivate stores and returns the details with who and when; a second put replaces the
 *     fields it gives and keeps the others (a first put with some fields leaves the rest empty);
 *     details are per (board, card).
 * C3. A tracking link reads back by token hash (never exposing the hash); listTracking lists a
 *     card's live links oldest first, only that card's.
 * C4. revokeTracking revokes once (true), then false, and only with the right board and card; a
 *     revoked link is gone from getTracking and listTracking.
 * C5. putPrivate, createTracking and revokeTracking write the audit entry they are given, as given;
 *     a revoke that revokes nothing writes none.
 * C6. A change whose audit row cannot be written is rolled back: the store throws and nothing of
 *     the change remains.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditEntry, auditRows, refusedAuditEntry, seedBoard, seedUser, T0, type Stores, type StoresFactory } from './fixtures.ts';

async function setup(stores: Stores) {
  const owner = await seedUser(stores);
  return { owner, boardId: await seedBoard(stores, owner), otherBoard: await seedBoard(stores, owner) };
}

export function cardStoreContract(name: string, make: StoresFactory) {
  describe(`CardStore contract: ${name}`, () => {
    it('C1: no details read as empty', async () => {
      const stores = await make();
      const { boardId } = await setup(stores);
      expect(await stores.cards.getPrivate(boardId, 'c1')).toEqual({ recipientName: '', phone: '', accessNotes: '', updatedBy: null, updatedAt: null });
    });

    it('C2: details are stored, replaced, and per card', async () => {
      const stores = await make();
      const { owner, boardId, otherBoard } = await setup(stores);
      const details = { recipientName: 'Mrs Ng', phone: '+44 20 7946 0000', accessNotes: 'Side gate; dog is friendly' };
      expect(await stores.cards.putPrivate(boardId, 'c1', details, owner.id, T0 + 1, auditEntry(boardId))).toEqual({ ...details, updatedBy: owner.id, updatedAt: T0 + 1 });
      expect(await stores.cards.getPrivate(boardId, 'c1')).toEqual({ ...details, updatedBy: owner.id, updatedAt: T0 + 1 });
      const changed = { recipientName: 'Mr Ng', phone: '', accessNotes: '' };
      await stores.cards.putPrivate(boardId, 'c1', changed, 'someone', T0 + 2, auditEntry(boardId));
      expect(await stores.cards.getPrivate(boardId, 'c1')).toEqual({ ...changed, updatedBy: 'someone', updatedAt: T0 + 2 });
      expect(await stores.cards.putPrivate(boardId, 'c1', { accessNotes: 'Ring twice' }, owner.id, T0 + 3, auditEntry(boardId))).toEqual({
        ...changed,
        accessNotes: 'Ring twice',
        updatedBy: owner.id,
        updatedAt: T0 + 3,
      });
      expect(await stores.cards.getPrivate(boardId, 'c1')).toEqual({ ...changed, accessNotes: 'Ring twice', updatedBy: owner.id, updatedAt: T0 + 3 });
      expect(await stores.cards.putPrivate(boardId, 'c3', { phone: '+44 1' }, owner.id, T0 + 4, auditEntry(boardId))).toEqual({
        recipientName: '',
        phone: '+44 1',
        accessNotes: '',
        updatedBy: owner.id,
        updatedAt: T0 + 4,
      });
      expect((await stores.cards.getPrivate(boardId, 'c2')).updatedAt).toBeNull();
      expect((await stores.cards.getPrivate(otherBoard, 'c1')).updatedAt).toBeNull();
    });

    it('C3: tracking links read back and list by card', async () => {
      const stores = await make();
      const { owner, boardId, otherBoard } = await setup(stores);
      const link = (cardId: string, createdAt: number, board = boardId) => ({ id: randomUUID(), boardId: board, cardId, createdBy: owner.id, createdAt, tokenHash: randomUUID() });
      const second = link('c1', T0 + 2);
      const first = link('c1', T0 + 1);
      for (const l of [second, first, link('c2', T0), link('c1', T0, otherBoard)]) await stores.cards.createTracking(l, auditEntry(l.boardId));
      const { tokenHash, ...visible } = first;
      expect(await stores.cards.getTracking(tokenHash)).toEqual({ ...visible, revokedAt: null });
      expect(await stores.cards.getTracking('unknown')).toBeNull();
      expect((await stores.cards.listTracking(boardId, 'c1')).map((l) => l.id)).toEqual([first.id, second.id]);
    });

    it('C4: revoked links are gone', async () => {
      const stores = await make();
      const { owner, boardId, otherBoard } = await setup(stores);
      const l = { id: randomUUID(), boardId, cardId: 'c1', createdBy: owner.id, createdAt: T0, tokenHash: randomUUID() };
      await stores.cards.createTracking(l, auditEntry(l.boardId));
      expect(await stores.cards.revokeTracking(otherBoard, 'c1', l.id, T0 + 1, auditEntry(otherBoard))).toBe(false);
      expect(await stores.cards.revokeTracking(boardId, 'c2', l.id, T0 + 1, auditEntry(boardId))).toBe(false);
      expect(await stores.cards.revokeTracking(boardId, 'c1', l.id, T0 + 1, auditEntry(boardId))).toBe(true);
      expect(await stores.cards.revokeTracking(boardId, 'c1', l.id, T0 + 2, auditEntry(boardId))).toBe(false);
      expect(await stores.cards.getTracking(l.tokenHash)).toBeNull();
      expect(await stores.cards.listTracking(boardId, 'c1')).toEqual([]);
    });

    it('C5: changes write their audit row; a revoke of nothing none', async () => {
      const stores = await make();
      const { owner, boardId } = await setup(stores);
      const entry = (action: string, data?: Record<string, unknown>) =>
        auditEntry(boardId, action, { cardId: 'c1', actorId: owner.id, actorName: owner.name, data, at: T0 + 3 });
      const details = { recipientName: 'Mrs Ng', phone: '', accessNotes: '' };
      await stores.cards.putPrivate(boardId, 'c1', details, owner.id, T0 + 1, entry('card.private_updated'));
      const l = { id: randomUUID(), boardId, cardId: 'c1', createdBy: owner.id, createdAt: T0, tokenHash: randomUUID() };
      await stores.cards.createTracking(l, entry('tracking.created', { linkId: l.id }));
      expect(await stores.cards.revokeTracking(boardId, 'c2', l.id, T0 + 2, entry('refused'))).toBe(false);
      expect(await stores.cards.revokeTracking(boardId, 'c1', l.id, T0 + 2, entry('tracking.revoked', { linkId: l.id }))).toBe(true);
      expect(await stores.cards.revokeTracking(boardId, 'c1', l.id, T0 + 2, entry('refused'))).toBe(false);
      const rows = await auditRows(stores, boardId);
      expect(rows.map((r) => [r.action, r.data])).toEqual([
        ['card.private_updated', null],
        ['tracking.created', { linkId: l.id }],
        ['tracking.revoked', { linkId: l.id }],
      ]);
      expect(rows[0]).toEqual({
        id: expect.any(Number),
        boardId,
        cardId: 'c1',
        actorId: owner.id,
        actorName: owner.name,
        action: 'card.private_updated',
        fromStatus: null,
        toStatus: null,
        note: null,
        data: null,
        at: T0 + 3,
      });
    });

    it('C6: a change whose audit row fails is rolled back', async () => {
      const stores = await make();
      const { owner, boardId } = await setup(stores);
      const bad = refusedAuditEntry(boardId);
      const details = { recipientName: 'Mrs Ng', phone: '+44 20 7946 0000', accessNotes: '' };
      await expect(stores.cards.putPrivate(boardId, 'c1', details, owner.id, T0 + 1, bad)).rejects.toThrow();
      expect((await stores.cards.getPrivate(boardId, 'c1')).updatedAt).toBeNull();
      await stores.cards.putPrivate(boardId, 'c1', details, owner.id, T0 + 1, auditEntry(boardId));
      await expect(stores.cards.putPrivate(boardId, 'c1', { ...details, phone: '' }, 'someone', T0 + 2, bad)).rejects.toThrow();
      expect(await stores.cards.getPrivate(boardId, 'c1')).toEqual({ ...details, updatedBy: owner.id, updatedAt: T0 + 1 });

      const l = { id: randomUUID(), boardId, cardId: 'c1', createdBy: owner.id, createdAt: T0, tokenHash: randomUUID() };
      await expect(stores.cards.createTracking(l, bad)).rejects.toThrow();
      expect(await stores.cards.getTracking(l.tokenHash)).toBeNull();
      await stores.cards.createTracking(l, auditEntry(boardId));
      await expect(stores.cards.revokeTracking(boardId, 'c1', l.id, T0 + 2, bad)).rejects.toThrow();
      expect(await stores.cards.getTracking(l.tokenHash)).toMatchObject({ id: l.id, revokedAt: null });
      expect(await auditRows(stores, boardId)).toHaveLength(2);
    });
  });
}
