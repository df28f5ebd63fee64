import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addComment, boardRoots, createCard, deleteCard, setCardField } from '@delivery-board/schema/boardDoc';
import { encodeUpdate } from '../src/sync/encodeUpdate.ts';

describe('encodeUpdate', () => {
  it('writes back what Yjs wrote, for whole states, diffs and merged updates', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const updates: Uint8Array[] = [];
    a.on('update', (u: Uint8Array) => updates.push(u));
    const card = createCard(a, { title: 'Soup', items: ['2 crates'], tags: ['hot'] }, 'u1');
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const sv = Y.encodeStateVector(a);
    setCardField(a, card, 'notes', 'ring twice');
    addComment(a, card, { userId: 'u1', name: 'Sam', text: 'On my way', at: 1 });
    setCardField(b, card, 'title', 'Hot soup'); // another client's struct in the merged state
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    const other = createCard(a, { title: 'Bread' }, 'u1');
    deleteCard(a, other);
    const samples = [Y.encodeStateAsUpdate(a), Y.encodeStateAsUpdate(a, sv), Y.mergeUpdates(updates.slice(1)), ...updates];
    for (const update of samples) {
      const written = encodeUpdate(Y.decodeUpdate(update));
      // Byte for byte but one flag: an item placed next to a neighbour is written with its map-key
      // bit set, which readers ignore (the key comes from the neighbour) and decoding drops.
      expect(written.byteLength).toBe(update.byteLength);
      expect(Y.decodeUpdate(written)).toEqual(Y.decodeUpdate(update));
    }
    const copy = new Y.Doc();
    Y.applyUpdate(copy, encodeUpdate(Y.decodeUpdate(Y.encodeStateAsUpdate(a))));
    boardRoots(copy); // root types exist once asked for
    expect(copy.toJSON()).toEqual(a.toJSON());
    expect(Y.encodeStateVector(copy)).toEqual(Y.encodeStateVector(a));
  });

  it('refuses to rewrite a client listed twice (the second run would be written at other clocks)', () => {
    const a = new Y.Doc();
    const card = createCard(a, { title: 'Soup' }, 'u1');
    const sv = Y.encodeStateVector(a);
    setCardField(a, card, 'notes', 'ring twice');
    const first = Y.decodeUpdate(Y.encodeStateAsUpdate(a, sv));
    const whole = Y.decodeUpdate(Y.encodeStateAsUpdate(a));
    // The later run first, then the earlier one: what decodeUpdate returns for such an update.
    const twice = { structs: [...first.structs, ...whole.structs], ds: whole.ds };
    expect(() => encodeUpdate(twice)).toThrow(/not contiguous/);
  });
});
