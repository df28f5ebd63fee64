/** Reading cards written by clients: nothing a writer puts in the document may break a reader. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { boardRoots, cardMap, createCard, emptyCard, readCard, readCards, setCardField, setList, type CardData } from '../boardDoc.ts';

describe('reading cards', () => {
  it('skips entries of the cards map that are not card maps', () => {
    const doc = new Y.Doc();
    const id = createCard(doc, { title: 'Real' }, 'u1');
    const { cards } = boardRoots(doc);
    cards.set('s', 'string');
    cards.set('n', 7);
    cards.set('a', new Y.Array());
    cards.set('o', { title: 'plain object' });
    expect(readCards(doc).map((c) => c.id)).toEqual([id]);
    expect(cardMap(doc, 's')).toBeNull();
    expect(cardMap(doc, 'o')).toBeNull();
    expect(cardMap(doc, id)).toBeInstanceOf(Y.Map);
    setCardField(doc, 's', 'title', 'no-op'); // not a card: nothing to set, nothing thrown
    expect(cards.get('s')).toBe('string');
  });

  it('reads fields of the wrong shape as their defaults', () => {
    const doc = new Y.Doc();
    const id = createCard(doc, { title: 'T' }, 'u1');
    const card = cardMap(doc, id)!;
    card.set('pickup', 'Town hall');
    card.set('dropoff', { label: 'Flat 2', lat: 'north', lng: 1 });
    card.set('windowStart', 1234);
    card.set('items', ['rice', 3]);
    card.set('priority', 'whenever');
    card.set('tags', 'urgent');
    card.set('createdAt', 'yesterday');
    const read = readCard(id, card);
    const base = emptyCard(id, 'u1', 0);
    expect(read).toMatchObject({
      title: 'T',
      pickup: base.pickup,
      dropoff: base.dropoff,
      windowStart: base.windowStart,
      items: base.items,
      priority: base.priority,
      tags: base.tags,
      createdAt: 0,
    });
  });

  it('keeps fields of the right shape', () => {
    const doc = new Y.Doc();
    const id = createCard(doc, { title: 'T' }, 'u1');
    const place = { label: 'Hall', lat: 53.8, lng: -1.55 };
    for (const [field, value] of [
      ['pickup', place],
      ['dropoff', { label: 'Flat', lat: null, lng: null }],
      ['windowStart', '2026-11-21T09:00'],
      ['windowEnd', null],
      ['items', ['rice', 'milk']],
      ['priority', 'urgent'],
      ['tags', ['cold']],
    ] as const) {
      setCardField(doc, id, field, value as never);
      expect(readCard(id, cardMap(doc, id)!)[field]).toEqual(value);
    }
  });

  it('merges two people typing in one title, and reads and upgrades a title stored as a plain string', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const id = createCard(a, { title: 'Bread from bakery' }, 'u1');
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    setCardField(a, id, 'title', 'Bread from bakery - 6 loaves');
    setCardField(b, id, 'title', 'FRESH Bread from bakery');
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(readCard(id, cardMap(a, id)!).title).toBe('FRESH Bread from bakery - 6 loaves');
    expect(readCard(id, cardMap(b, id)!).title).toBe('FRESH Bread from bakery - 6 loaves');

    // A card written before titles were texts.
    const card = cardMap(a, id)!;
    card.set('title', 'Old title');
    expect(readCard(id, card).title).toBe('Old title');
    setCardField(a, id, 'title', 'Old title'); // unchanged: left as it is
    expect(card.get('title')).toBe('Old title');
    setCardField(a, id, 'title', 'Old title, edited');
    expect(card.get('title')).toBeInstanceOf(Y.Text);
    expect(readCard(id, card).title).toBe('Old title, edited');
  });

  it('merges two people changing items and tags offline: every added, removed or changed entry survives', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const id = createCard(a, { items: ['2 bags rice', 'milk', 'eggs'], tags: ['food'] }, 'u1');
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    // Apart: one changes two entries and adds a tag, the other removes an entry, adds one, adds tags.
    setCardField(a, id, 'items', ['3 bags rice', 'milk', '12 eggs']);
    setCardField(a, id, 'tags', ['food', 'cold']);
    setCardField(b, id, 'items', ['2 bags rice', 'eggs', 'bread']);
    setCardField(b, id, 'tags', ['food', 'Cold', 'heavy']);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const read = (doc: Y.Doc): Pick<CardData, 'items' | 'tags'> => readCard(id, cardMap(doc, id)!);
    expect(read(a).items).toEqual(['3 bags rice', '12 eggs', 'bread']);
    expect(read(b)).toEqual(read(a));
    // The same tag added on both sides reads once (whichever spelling the merge put first).
    expect(read(a).tags.map((t) => t.toLowerCase())).toEqual(['food', 'cold', 'heavy']);

    // Both change one entry: both versions stay for someone to settle, none is silently lost.
    setCardField(a, id, 'items', ['4 bags rice', '12 eggs', 'bread']);
    setCardField(b, id, 'items', ['3 bags brown rice', '12 eggs', 'bread']);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect([...read(a).items].sort()).toEqual(['12 eggs', '3 bags brown rice', '4 bags rice', 'bread']);
    expect(read(b)).toEqual(read(a));

    // Editing the merged tags (shown without the repeat) removes the repeat from the list too.
    const shown = read(a).tags;
    setCardField(a, id, 'tags', [...shown, 'fragile']);
    const list = cardMap(a, id)!.get('tags') as Y.Array<string>;
    expect(list.toArray()).toEqual([...shown, 'fragile']);
  });

  it('reads and upgrades lists stored as plain arrays, and skips entries that are not strings', () => {
    const doc = new Y.Doc();
    const id = createCard(doc, {}, 'u1');
    const card = cardMap(doc, id)!;
    // A card written before lists were shared arrays.
    card.set('items', ['rice', 'milk']);
    expect(readCard(id, card).items).toEqual(['rice', 'milk']);
    setCardField(doc, id, 'items', ['rice', 'milk']); // unchanged: left as it is
    expect(card.get('items')).toEqual(['rice', 'milk']);
    setCardField(doc, id, 'items', ['rice', 'milk', 'tea']);
    expect(card.get('items')).toBeInstanceOf(Y.Array);
    expect(readCard(id, card).items).toEqual(['rice', 'milk', 'tea']);

    // A hand-made writer put a number and an object in the shared list: the strings still read.
    (card.get('items') as Y.Array<unknown>).insert(1, [3, { x: 1 }]);
    expect(readCard(id, card).items).toEqual(['rice', 'milk', 'tea']);
    setCardField(doc, id, 'items', ['rice', 'oat milk', 'tea']);
    expect(readCard(id, card).items).toEqual(['rice', 'oat milk', 'tea']);
  });

  it('setList turns any list into any other, keeping the entries both have', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), seed % n);
    const words = (n: number) => Array.from({ length: n }, () => 'abcdef'[rand(6)]!);
    for (let round = 0; round < 300; round++) {
      const doc = new Y.Doc();
      const list = doc.getArray<unknown>('l');
      const prev = words(rand(9));
      list.insert(0, prev);
      const next = words(rand(9));
      let removed = 0;
      list.observe((e) => {
        for (const d of e.changes.delta) removed += d.delete ?? 0;
      });
      setList(list, next);
      expect(list.toArray()).toEqual(next);
      expect(removed).toBe(prev.length - commonLength(prev, next));
    }
    // A long pasted list is replaced in one go instead of compared entry by entry.
    const doc = new Y.Doc();
    const list = doc.getArray<unknown>('l');
    list.insert(0, Array.from({ length: 1000 }, (_, i) => `old ${i}`));
    const next = Array.from({ length: 1000 }, (_, i) => `new ${i}`);
    setList(list, next);
    expect(list.toArray()).toEqual(next);
  });
});

/** Length of the longest common subsequence, computed plainly (recursion with a memo). */
function commonLength(a: string[], b: string[]): number {
  const memo = new Map<string, number>();
  const go = (i: number, j: number): number => {
    if (i === a.length || j === b.length) return 0;
    const key = `${i},${j}`;
    if (!memo.has(key)) memo.set(key, a[i] === b[j] ? 1 + go(i + 1, j + 1) : Math.max(go(i + 1, j), go(i, j + 1)));
    return memo.get(key)!;
  };
  return go(0, 0);
}
