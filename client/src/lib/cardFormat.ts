/**
 * Pure conversions between card fields and what the UI shows or the user types: item and tag
 * lists, coordinates, time windows, sorting. No DOM, no Yjs: unit-tested in cardFormat.test.ts.
 */
import { uniqueTags, type CardData, type Place, type Priority } from '@delivery-board/schema/boardDoc';

export const PRIORITY_LABELS: Record<Priority, string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  urgent: 'Urgent',
};

const PRIORITY_RANK: Record<Priority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

/** Splits "one per line or comma separated" text into trimmed, non-empty entries. */
export function parseList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Tags as typed: like parseList, without repeats that differ only in case ("Food, food" is one tag,
 * as the tag filter counts it); the first spelling stays.
 */
export function parseTags(text: string): string[] {
  return uniqueTags(parseList(text));
}

export function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Parses an optional coordinate: '' → null; otherwise a number within [min, max]. Accepts a decimal comma. */
export function parseCoord(text: string, min: number, max: number, name: string): Parsed<number | null> {
  const t = text.trim().replace(',', '.');
  if (t === '') return { ok: true, value: null };
  const n = Number(t);
  if (!Number.isFinite(n) || !/^[-+]?(\d+\.?\d*|\.\d+)$/.test(t)) return { ok: false, error: `${name} must be a number` };
  if (n < min || n > max) return { ok: false, error: `${name} must be between ${min} and ${max}` };
  return { ok: true, value: n };
}

export function formatCoord(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

function parseLocal(value: string | null): Date | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** formatWindow's formatters, made once per locale: it runs for every card row rendered. */
const formatsByLocale = new Map<string | undefined, { time: Intl.DateTimeFormat; date: Intl.DateTimeFormat; dateAndYear: Intl.DateTimeFormat }>();
function windowFormats(locale: string | undefined) {
  let f = formatsByLocale.get(locale);
  if (!f) {
    // "2:42 PM" on a 12-hour clock ("02:42 PM" reads oddly), "09:00" on a 24-hour one.
    const twelveHour = /^h1[12]$/.test(new Intl.DateTimeFormat(locale, { hour: 'numeric' }).resolvedOptions().hourCycle ?? '');
    f = {
      time: new Intl.DateTimeFormat(locale, { hour: twelveHour ? 'numeric' : '2-digit', minute: '2-digit' }),
      date: new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short' }),
      // A date in another year says which ("Fri 1 Jan" in December could be either).
      dateAndYear: new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }),
    };
    formatsByLocale.set(locale, f);
  }
  return f;
}

/**
 * A short, readable time window: "Today 14:00 – 16:00", "Tue 4 Jun 09:00 – 11:30",
 * "From Tue 4 Jun 09:00", "Until Fri, 2 Jan 2026 17:00" (the year only when it is not this
 * one)... '' when the window is open-ended on both sides.
 */
export function formatWindow(start: string | null, end: string | null, now: Date = new Date(), locale?: string): string {
  const s = parseLocal(start);
  const e = parseLocal(end);
  if (!s && !e) return '';
  const { time, date, dateAndYear } = windowFormats(locale);
  const tomorrow = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  const day = (d: Date) =>
    sameDay(d, now) ? 'Today' : sameDay(d, tomorrow) ? 'Tomorrow' : (d.getFullYear() === now.getFullYear() ? date : dateAndYear).format(d);
  const full = (d: Date) => `${day(d)} ${time.format(d)}`;
  if (s && e) return sameDay(s, e) ? `${full(s)} – ${time.format(e)}` : `${full(s)} – ${full(e)}`;
  if (s) return `From ${full(s)}`;
  return `Until ${full(e!)}`;
}

/** A warning for an impossible window, or null. */
export function windowProblem(start: string | null, end: string | null): string | null {
  const s = parseLocal(start);
  const e = parseLocal(end);
  return s && e && e.getTime() < s.getTime() ? 'The window ends before it starts' : null;
}

/** Longer than this, a window is more likely a mistyped date than meant (deliveries take hours, a few days at most). */
const LONG_WINDOW_DAYS = 31;

/**
 * A warning, not an error, for a window that is valid but probably mistyped: one ending 100 years
 * after it starts was kept silently and then sorted and shown as if meant. The coordinator may
 * mean it, so it is written to the board all the same.
 */
export function windowWarning(start: string | null, end: string | null): string | null {
  const s = parseLocal(start);
  const e = parseLocal(end);
  if (!s || !e) return null;
  const days = Math.round((e.getTime() - s.getTime()) / 86_400_000);
  return days > LONG_WINDOW_DAYS ? `This window is ${days.toLocaleString()} days long. Check the dates?` : null;
}

/** A place's name for lists: one picked on the map without an address is still a place (its pin shows). */
export function placeName(p: Place | null | undefined): string {
  return p?.label.trim() || (p && p.lat !== null && p.lng !== null ? 'Pinned on the map' : '');
}

export function itemsLabel(count: number): string {
  return count === 1 ? '1 item' : `${count} items`;
}

export const SORTS = {
  newest: 'Newest first',
  window: 'Time window',
  priority: 'Priority',
} as const;
export type SortMode = keyof typeof SORTS;

/** A card's position in an order: compared element by element (see compareKeys). */
export type SortKey = readonly (number | string)[];

/** Lexicographic comparison of two sort keys. */
export function compareKeys(a: SortKey, b: SortKey): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return a.length - b.length;
}

/** When a card's window starts (or ends, if it has no start); +∞ without one. */
export function windowTime(card: Pick<CardData, 'windowStart' | 'windowEnd'>): number {
  return parseLocal(card.windowStart ?? card.windowEnd)?.getTime() ?? Number.POSITIVE_INFINITY;
}

/**
 * The sort key of a card in `mode`. Cards without a window sort last in `window` mode; ties go
 * newest first, then by id, so the order is total (lists do not reshuffle between renders).
 */
export function sortKey(card: CardData, mode: SortMode): SortKey {
  const tail = [-card.createdAt, card.id];
  if (mode === 'window') return [windowTime(card), ...tail];
  if (mode === 'priority') return [PRIORITY_RANK[card.priority] ?? PRIORITY_RANK.normal, windowTime(card), ...tail];
  return tail;
}

/** Sorted copy of `cards` (keys computed once per card). */
export function sortCards(cards: readonly CardData[], mode: SortMode): CardData[] {
  return cards
    .map((card) => ({ card, key: sortKey(card, mode) }))
    .sort((a, b) => compareKeys(a.key, b.key))
    .map((x) => x.card);
}

/** Lower case, accents and punctuation dropped: "Mrs. Lee's Café" → "mrs lee s cafe". */
export function searchText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The search box's query, compiled once: whether a card's visible text, or `also` (its driver's
 * name), holds every word of it, in any order, ignoring case, accents and punctuation ("mrs lee"
 * finds "Groceries for Mrs. Lee").
 */
export function cardSearch(query: string): (card: CardData, also?: readonly (string | null | undefined)[]) => boolean {
  const words = searchText(query).split(' ').filter(Boolean);
  if (words.length === 0) return () => true;
  return (card, also = []) => {
    const hay = searchTextCached(card.id, [card.title, card.notes, card.pickup?.label, card.dropoff?.label, ...card.items, ...card.tags, ...also].filter(Boolean).join(' '));
    return words.every((w) => hay.includes(w));
  };
}

/**
 * searchText of each card's text, kept while the text is the same: a keystroke in the search box
 * on a 5,000-card board then costs a join and a compare per card, not a Unicode normalisation
 * (about 12 ms against 5 for 5,000 cards on this machine). By card id, so it is bounded by the board.
 */
const searchCache = new Map<string, { raw: string; text: string }>();
function searchTextCached(id: string, raw: string): string {
  const hit = searchCache.get(id);
  if (hit?.raw === raw) return hit.text;
  if (searchCache.size > 50_000) searchCache.clear();
  const text = searchText(raw);
  searchCache.set(id, { raw, text });
  return text;
}
