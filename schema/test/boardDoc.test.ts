/** Reading cards written by clients: nothing a writer puts in the document may break a reader. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { boardRoots, cardMap, createCard, emptyCard, readCard, readCards, setCardField } from '../boardDoc.ts';

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
});
