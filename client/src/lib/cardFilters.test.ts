import { describe, expect, it } from 'vitest';
import { emptyCard, type CardData } from '@delivery-board/schema/boardDoc';
import { openBooking, type Booking } from '@delivery-board/schema/bookings';
import { cardDistance, DEFAULT_FILTERS, distanceKm, formatDistance, hasTag, isLate, makeCardQuery, matchesWindow, runQuery, type QueryContext } from './cardFilters.ts';

const now = new Date(2025, 5, 3, 10, 0); // Tue 3 Jun 2025, 10:00 local
const card = (id: string, patch: Partial<CardData> = {}, createdAt = 1): CardData => ({ ...emptyCard(id, 'u1', createdAt), ...patch });
const ctx = (over: Partial<QueryContext> = {}): QueryContext => ({
  bookingFor: (id) => openBooking(id),
  userId: 'u1',
  role: 'coordinator',
  position: null,
  now,
  ...over,
});

describe('matchesWindow', () => {
  const today = card('a', { windowStart: '2025-06-03T14:00', windowEnd: '2025-06-03T16:00' });
  const tomorrow = card('b', { windowStart: '2025-06-04T09:00' });
  const past = card('c', { windowEnd: '2025-06-02T18:00' });
  const none = card('d');
  it('today, tomorrow, next 7 days', () => {
    expect(matchesWindow(today, 'today', now)).toBe(true);
    expect(matchesWindow(tomorrow, 'today', now)).toBe(false);
    // Open-ended "from tomorrow 9:00" overlaps tomorrow and the week.
    expect(matchesWindow(tomorrow, 'tomorrow', now)).toBe(true);
    expect(matchesWindow(tomorrow, 'week', now)).toBe(true);
    expect(matchesWindow(past, 'week', now)).toBe(false);
  });
  it('overdue and none', () => {
    expect(matchesWindow(past, 'overdue', now)).toBe(true);
    expect(matchesWindow(today, 'overdue', now)).toBe(false);
    expect(matchesWindow(none, 'none', now)).toBe(true);
    expect(matchesWindow(none, 'today', now)).toBe(false);
    expect(matchesWindow(none, 'any', now)).toBe(true);
  });
  it('late: past its window and still to be delivered', () => {
    for (const status of ['open', 'claimed', 'picked_up'] as const) expect(isLate(past, status, now)).toBe(true);
    for (const status of ['delivered', 'cancelled'] as const) expect(isLate(past, status, now)).toBe(false);
    expect(isLate(today, 'open', now)).toBe(false);
    expect(isLate(none, 'open', now)).toBe(false);
    // Only a start ("from 9:00 yesterday"): never late.
    expect(isLate(card('e', { windowStart: '2025-06-02T09:00' }), 'open', now)).toBe(false);
    // Late from the minute after its end.
    expect(isLate(today, 'open', new Date(2025, 5, 3, 16, 1))).toBe(true);
  });
});

describe('distance', () => {
  it('haversine is about right', () => {
    // London → Paris ≈ 344 km.
    expect(distanceKm({ lat: 51.5072, lng: -0.1276 }, { lat: 48.8566, lng: 2.3522 })).toBeGreaterThan(340);
    expect(distanceKm({ lat: 51.5072, lng: -0.1276 }, { lat: 48.8566, lng: 2.3522 })).toBeLessThan(348);
  });
  it('uses the pickup, else the drop-off', () => {
    const from = { lat: 0, lng: 0 };
    expect(cardDistance(card('a'), from)).toBeNull();
    expect(cardDistance(card('a', { dropoff: { label: '', lat: 0, lng: 1 } }), from)).toBeCloseTo(111.2, 0);
    expect(cardDistance(card('a', { pickup: { label: '', lat: 0, lng: 0 }, dropoff: { label: '', lat: 0, lng: 1 } }), from)).toBe(0);
    expect(cardDistance(card('a', { pickup: { label: 'x', lat: null, lng: null } }), null)).toBeNull();
  });
  it('formats metres and kilometres', () => {
    expect(formatDistance(0.347)).toBe('350 m');
    expect(formatDistance(4.23)).toBe('4.2 km');
    expect(formatDistance(38.4)).toBe('38 km');
  });
});

describe('hasTag', () => {
  it('is case-insensitive and empty matches all', () => {
    expect(hasTag(card('a', { tags: ['Fridge'] }), 'fridge')).toBe(true);
    expect(hasTag(card('a', { tags: ['heavy'] }), 'fridge')).toBe(false);
    expect(hasTag(card('a'), '')).toBe(true);
  });
});

describe('makeCardQuery + runQuery', () => {
  const near = card('near', { title: 'Bread', pickup: { label: 'A', lat: 51.5, lng: -0.12 } }, 1);
  const far = card('far', { title: 'Bread too', pickup: { label: 'B', lat: 51.6, lng: -0.12 } }, 2);
  const nowhere = card('nowhere', { title: 'Milk', tags: ['fridge'] }, 3);
  const all = [near, far, nowhere];
  const me = { lat: 51.5, lng: -0.12 };

  it('defaults to everything, newest first', () => {
    expect(runQuery(all, makeCardQuery(DEFAULT_FILTERS, ctx())).map((c) => c.id)).toEqual(['nowhere', 'far', 'near']);
  });
  it('sorts by distance, unknown last; near me drops far and unplaced cards', () => {
    const byDistance = makeCardQuery({ ...DEFAULT_FILTERS, sort: 'distance' }, ctx({ position: me }));
    expect(runQuery(all, byDistance).map((c) => c.id)).toEqual(['near', 'far', 'nowhere']);
    const within5 = makeCardQuery({ ...DEFAULT_FILTERS, nearKm: 5 }, ctx({ position: me }));
    expect(runQuery(all, within5).map((c) => c.id)).toEqual(['near']);
    // No position yet: "near me" does not hide anything.
    expect(runQuery(all, makeCardQuery({ ...DEFAULT_FILTERS, nearKm: 5 }, ctx())).length).toBe(3);
  });
  it('combines text, tag and status', () => {
    expect(runQuery(all, makeCardQuery({ ...DEFAULT_FILTERS, search: 'bread' }, ctx())).map((c) => c.id)).toEqual(['far', 'near']);
    expect(runQuery(all, makeCardQuery({ ...DEFAULT_FILTERS, tag: 'fridge' }, ctx())).map((c) => c.id)).toEqual(['nowhere']);
    const claimed: Booking = { ...openBooking('far'), status: 'claimed', driverId: 'd', driverName: 'D', version: 1 };
    const q = makeCardQuery({ ...DEFAULT_FILTERS, status: 'claimed' }, ctx({ bookingFor: (id) => (id === 'far' ? claimed : openBooking(id)) }));
    expect(runQuery(all, q).map((c) => c.id)).toEqual(['far']);
  });
});
