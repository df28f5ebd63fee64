import { describe, expect, it } from 'vitest';
import { emptyCard, type CardData } from '@delivery-board/schema/boardDoc';
import { isBlankCard } from './isBlankCard.ts';

const blank = emptyCard('c1', 'u1', 1_700_000_000_000);

describe('isBlankCard', () => {
  it('is true for a card as "New card" made it, and for blank text', () => {
    expect(isBlankCard(blank, 0)).toBe(true);
    expect(isBlankCard({ ...blank, title: '   ', notes: '\n' }, 0)).toBe(true);
  });

  it('is false once anything was written, or a comment posted', () => {
    const written: Partial<CardData>[] = [
      { title: 'Bread run' },
      { notes: 'Ring twice' },
      { pickup: { label: '', lat: 51.5, lng: -0.1 } },
      { dropoff: { label: '4B Elm Court', lat: null, lng: null } },
      { windowStart: '2026-11-22T10:00' },
      { windowEnd: '2026-11-22T12:00' },
      { items: ['rice'] },
      { tags: ['bulky'] },
      { priority: 'urgent' },
    ];
    for (const change of written) expect(isBlankCard({ ...blank, ...change }, 0), JSON.stringify(change)).toBe(false);
    expect(isBlankCard(blank, 1)).toBe(false);
  });
});
