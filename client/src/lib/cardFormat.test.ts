import { describe, expect, it } from 'vitest';
import { emptyCard } from '@delivery-board/schema/boardDoc';
import { cardSearch, formatWindow, parseCoord, parseList, parseTags, placeName, sortCards, windowProblem, windowWarning } from './cardFormat.ts';

describe('parseTags', () => {
  it('keeps one of the tags that differ only in case, as first spelled', () => {
    expect(parseTags('Food, urgent , food,URGENT, fridge')).toEqual(['Food', 'urgent', 'fridge']);
  });
});

describe('parseList', () => {
  it('splits on newlines and commas, trims, drops blanks', () => {
    expect(parseList('rice, beans\n\n  milk  ,')).toEqual(['rice', 'beans', 'milk']);
    expect(parseList('   ')).toEqual([]);
  });
});

describe('parseCoord', () => {
  it('accepts blank as null and a decimal comma', () => {
    expect(parseCoord('', -90, 90, 'Latitude')).toEqual({ ok: true, value: null });
    expect(parseCoord('52,52', -90, 90, 'Latitude')).toEqual({ ok: true, value: 52.52 });
  });
  it('rejects junk and out-of-range values', () => {
    expect(parseCoord('12abc', -90, 90, 'Latitude').ok).toBe(false);
    expect(parseCoord('91', -90, 90, 'Latitude')).toEqual({ ok: false, error: 'Latitude must be between -90 and 90' });
  });
});

describe('placeName', () => {
  it('names a place by its address, or as a pin when it has only coordinates', () => {
    expect(placeName({ label: ' 9 Station Road ', lat: null, lng: null })).toBe('9 Station Road');
    expect(placeName({ label: '', lat: 53.8, lng: -1.55 })).toBe('Pinned on the map');
    expect(placeName({ label: '  ', lat: null, lng: null })).toBe('');
    expect(placeName(null)).toBe('');
  });
});

describe('formatWindow', () => {
  const now = new Date(2025, 5, 3, 8, 0);
  it('uses Today/Tomorrow and one date for a same-day window', () => {
    expect(formatWindow('2025-06-03T14:00', '2025-06-03T16:30', now, 'en-GB')).toBe('Today 14:00 – 16:30');
    expect(formatWindow('2025-06-04T09:00', null, now, 'en-GB')).toBe('From Tomorrow 09:00');
  });
  it('names the year only of a date in another year', () => {
    expect(formatWindow('2025-06-10T09:00', '2025-06-10T11:30', now, 'en-GB')).toBe('Tue 10 Jun 09:00 – 11:30');
    const newYear = new Date(2025, 11, 29, 8, 0);
    expect(formatWindow('2025-12-31T09:00', '2026-01-02T17:00', newYear, 'en-GB')).toBe('Wed 31 Dec 09:00 – Fri, 2 Jan 2026 17:00');
    expect(formatWindow(null, '2024-01-05T17:00', now, 'en-GB')).toBe('Until Fri, 5 Jan 2024 17:00');
  });
  it('writes 12-hour times without a leading zero', () => {
    expect(formatWindow('2025-06-03T14:00', '2025-06-03T16:30', now, 'en-US')).toBe('Today 2:00 PM – 4:30 PM');
  });
  it('is empty when open-ended on both sides', () => {
    expect(formatWindow(null, null, now)).toBe('');
  });
  it('flags an end before the start', () => {
    expect(windowProblem('2025-06-03T14:00', '2025-06-03T13:00')).not.toBeNull();
    expect(windowProblem('2025-06-03T14:00', null)).toBeNull();
  });
  it('warns about a window of more than a month, which is more likely a mistyped year', () => {
    expect(windowWarning('2025-06-03T14:00', '2125-06-03T16:00')).toMatch(/^This window is 36,5\d\d days long/);
    expect(windowWarning('2025-06-03T14:00', '2025-07-04T14:00')).toBeNull();
    expect(windowWarning('2025-06-03T14:00', '2025-07-05T14:00')).toBe('This window is 32 days long. Check the dates?');
    expect(windowWarning('2025-06-03T14:00', null)).toBeNull();
  });
});

describe('sortCards / cardSearch', () => {
  const a = { ...emptyCard('a', 'u', 1), title: 'Rice', windowStart: '2025-06-03T14:00', priority: 'low' as const };
  const b = { ...emptyCard('b', 'u', 2), title: 'Milk', priority: 'urgent' as const };
  const c = { ...emptyCard('c', 'u', 3), title: 'Bread', windowStart: '2025-06-03T09:00' };
  it('sorts by newest, window (open-ended last) and priority', () => {
    expect(sortCards([a, b, c], 'newest').map((x) => x.id)).toEqual(['c', 'b', 'a']);
    expect(sortCards([a, b, c], 'window').map((x) => x.id)).toEqual(['c', 'a', 'b']);
    expect(sortCards([a, b, c], 'priority').map((x) => x.id)).toEqual(['b', 'c', 'a']);
  });
  it('searches title, places, items and tags', () => {
    expect(cardSearch('OAT')({ ...a, items: ['Oat milk'] })).toBe(true);
    expect(cardSearch('bread')(a)).toBe(false);
    expect(cardSearch('  ')(a)).toBe(true);
  });
  it('matches every word in any order, ignoring case, accents and punctuation, and what is passed along', () => {
    const lee = { ...a, title: 'Groceries for Mrs. Lee', dropoff: { label: 'Café Noir, 4B Elm Ct.', lat: null, lng: null } };
    expect(cardSearch('mrs lee')(lee)).toBe(true);
    expect(cardSearch('lee groceries')(lee)).toBe(true);
    expect(cardSearch('cafe 4b')(lee)).toBe(true);
    expect(cardSearch('mrs smith')(lee)).toBe(false);
    expect(cardSearch('sam')(lee)).toBe(false);
    expect(cardSearch('sam')(lee, ['Sam Okafor', null])).toBe(true);
  });
});
