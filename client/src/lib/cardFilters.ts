/**
 * Pure rules for finding cards on a busy board: the time-window filter, tags, distance from the
 * device ("near me"), and the query (match + order) the list and map apply. No DOM, no Yjs:
 * unit-tested in cardFilters.test.ts. Text search and sort orders live in cardFormat.ts, status
 * rules in bookingFormat.ts.
 */
import type { CardData, Place } from '@delivery-board/schema/boardDoc';
import type { Booking } from '@delivery-board/schema/bookings';
import type { Role } from '@delivery-board/schema/types';
import { matchesStatusFilter, type StatusFilter } from './bookingFormat.ts';
import { cardSearch, compareKeys, sortKey, type SortKey, type SortMode } from './cardFormat.ts';

export const WINDOW_FILTERS = {
  any: 'Any time',
  overdue: 'Past its window',
  today: 'Today',
  tomorrow: 'Tomorrow',
  week: 'Next 7 days',
  none: 'No time window',
} as const;
export type WindowFilter = keyof typeof WINDOW_FILTERS;

/** Radius options of "near me", in km (0: not filtering by distance). */
export const NEAR_RADII = [0, 2, 5, 10, 25] as const;

export interface LatLng {
  lat: number;
  lng: number;
}

function time(value: string | null): number | null {
  if (!value) return null;
  const t = new Date(value).getTime();
  return Number.isNaN(t) ? null : t;
}

/** Whether a card's time window passes the filter, `now` being the device's clock. */
export function matchesWindow(card: Pick<CardData, 'windowStart' | 'windowEnd'>, filter: WindowFilter, now: Date): boolean {
  if (filter === 'any') return true;
  const s = time(card.windowStart);
  const e = time(card.windowEnd);
  if (filter === 'none') return s === null && e === null;
  if (s === null && e === null) return false;
  const start = s ?? Number.NEGATIVE_INFINITY;
  const end = e ?? Number.POSITIVE_INFINITY;
  if (filter === 'overdue') return end < now.getTime();
  // Calendar days, not 24-hour steps: on a clock-change day "today" is 23 or 25 hours long.
  const y = now.getFullYear();
  const m = now.getMonth();
  const d = now.getDate();
  const midnight = (days: number) => new Date(y, m, d + days).getTime();
  const inAWeek = new Date(now);
  inAWeek.setDate(d + 7);
  const range: Record<'today' | 'tomorrow' | 'week', [number, number]> = {
    today: [midnight(0), midnight(1)],
    tomorrow: [midnight(1), midnight(2)],
    week: [now.getTime(), inAWeek.getTime()],
  };
  const [from, to] = range[filter];
  return start < to && end >= from;
}

/** Still to be delivered (not delivered or cancelled) while the end of its time window has passed. */
export function isLate(card: Pick<CardData, 'windowStart' | 'windowEnd'>, status: Booking['status'], now: Date): boolean {
  return (status === 'open' || status === 'claimed' || status === 'picked_up') && matchesWindow(card, 'overdue', now);
}

/** Great-circle distance in km (haversine). */
export function distanceKm(a: LatLng, b: LatLng): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

const located = (p: Place | null): LatLng | null => (p && p.lat !== null && p.lng !== null ? { lat: p.lat, lng: p.lng } : null);

/** Where a driver goes first: the pickup's position, else the drop-off's, else null. */
export function cardLocation(card: Pick<CardData, 'pickup' | 'dropoff'>): LatLng | null {
  return located(card.pickup) ?? located(card.dropoff);
}

/** Distance from `from` to the card (km), or null when either is unknown. */
export function cardDistance(card: Pick<CardData, 'pickup' | 'dropoff'>, from: LatLng | null): number | null {
  const at = cardLocation(card);
  return at && from ? distanceKm(from, at) : null;
}

/** "350 m", "4.2 km", "38 km". */
export function formatDistance(km: number): string {
  if (km < 1) return `${Math.max(10, Math.round((km * 1000) / 10) * 10)} m`;
  return km < 10 ? `${km.toFixed(1)} km` : `${Math.round(km)} km`;
}

/** Whether the card carries `tag` (case-insensitive); an empty tag matches every card. */
export function hasTag(card: Pick<CardData, 'tags'>, tag: string): boolean {
  if (!tag) return true;
  const t = tag.toLowerCase();
  return card.tags.some((x) => x.toLowerCase() === t);
}

export type CardSort = SortMode | 'distance';

export interface CardFilterState {
  search: string;
  status: StatusFilter;
  window: WindowFilter;
  tag: string;
  /** Radius in km around `position`; 0 = any distance. */
  nearKm: number;
  sort: CardSort;
}

export const DEFAULT_FILTERS: CardFilterState = { search: '', status: 'all', window: 'any', tag: '', nearKm: 0, sort: 'newest' };

/** Everything a card's match depends on besides its own fields. */
export interface QueryContext {
  bookingFor: (cardId: string) => Booking;
  userId: string | null;
  role: Role;
  /** The device's position, when known. */
  position: LatLng | null;
  now: Date;
}

/** A compiled query: which cards pass, and in what order (ascending sort keys). */
export interface CardQuery {
  match(card: CardData): boolean;
  key(card: CardData): SortKey;
}

/** Builds the query for a filter state. "Near me" and distance order need `ctx.position`. */
export function makeCardQuery(f: CardFilterState, ctx: QueryContext): CardQuery {
  const near = f.nearKm > 0 && ctx.position ? f.nearKm : 0;
  const search = cardSearch(f.search);
  // The driver's name counts as the card's text: "Sam" finds the cards Sam has.
  const match = (card: CardData) => {
    const booking = ctx.bookingFor(card.id);
    return (
      search(card, [booking.driverName]) &&
      matchesWindow(card, f.window, ctx.now) &&
      hasTag(card, f.tag) &&
      matchesStatusFilter(booking, f.status, { userId: ctx.userId, role: ctx.role, createdBy: card.createdBy }) &&
      (near === 0 || (cardDistance(card, ctx.position) ?? Number.POSITIVE_INFINITY) <= near)
    );
  };
  if (f.sort === 'distance') {
    // Without a position every distance is unknown: the order falls back to newest first.
    return { match, key: (c) => [cardDistance(c, ctx.position) ?? Number.POSITIVE_INFINITY, ...sortKey(c, 'newest')] };
  }
  const mode = f.sort;
  return { match, key: (c) => sortKey(c, mode) };
}

/** The cards passing `query`, in its order (keys computed once per card). */
export function runQuery(cards: Iterable<CardData>, query: CardQuery): CardData[] {
  const keyed: { card: CardData; key: SortKey }[] = [];
  for (const card of cards) if (query.match(card)) keyed.push({ card, key: query.key(card) });
  return keyed.sort((a, b) => compareKeys(a.key, b.key)).map((x) => x.card);
}
