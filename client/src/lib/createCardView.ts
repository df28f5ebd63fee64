/**
 * The cards a view shows: filtered and sorted by a query (cardFilters.ts), kept up to date
 * incrementally. When the query changes (a filter, the sort, the device position) the whole list
 * is rebuilt once; when cards or bookings change, only the touched cards are taken out and put
 * back at their place (binary search on cached sort keys). So typing in one card of 5,000 costs a
 * few comparisons, not a re-read, re-filter and re-sort of the board.
 */
import { createComputed, createSignal, onCleanup, untrack, type Accessor } from 'solid-js';
import type { CardData } from '@delivery-board/schema/boardDoc';
import { compareKeys, type SortKey } from './cardFormat.ts';
import type { CardQuery } from './cardFilters.ts';

export interface CardSource {
  /** The card with this id now, or undefined when it is gone. */
  get(id: string): CardData | undefined;
  /** Every card now (read untracked). */
  all(): CardData[];
  /** Subscriptions to changed card ids; each returns its unsubscribe. */
  subscribe: ((listener: (ids: string[]) => void) => () => void)[];
}

/** Index of the first entry whose key is greater than `key` (entries sorted by key). */
function upperBound(keys: SortKey[], key: SortKey): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareKeys(keys[mid], key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The filtered, sorted cards for `query`; subscriptions end with the owner. */
export function createCardView(source: CardSource, query: Accessor<CardQuery>): Accessor<CardData[]> {
  let cards: CardData[] = [];
  let keys: SortKey[] = [];
  let q: CardQuery;
  const [view, setView] = createSignal<CardData[]>([], { equals: false });

  const rebuild = () => {
    const keyed: { card: CardData; key: SortKey }[] = [];
    for (const card of source.all()) if (q.match(card)) keyed.push({ card, key: q.key(card) });
    keyed.sort((a, b) => compareKeys(a.key, b.key));
    cards = keyed.map((x) => x.card);
    keys = keyed.map((x) => x.key);
    setView(cards);
  };

  // Tracks only what the query depends on (filters, sort, position...), never card fields.
  createComputed(() => {
    q = query();
    untrack(rebuild);
  });

  const update = (ids: string[]) => {
    if (ids.length === 0) return;
    // Many changes at once (the first sync of a big board): one rebuild is cheaper.
    if (ids.length > 64) return rebuild();
    let next = cards.slice();
    let nextKeys = keys.slice();
    for (const id of ids) {
      const at = next.findIndex((c) => c.id === id);
      if (at >= 0) {
        next.splice(at, 1);
        nextKeys.splice(at, 1);
      }
      const card = source.get(id);
      if (card && q.match(card)) {
        const key = q.key(card);
        const to = upperBound(nextKeys, key);
        next.splice(to, 0, card);
        nextKeys.splice(to, 0, key);
      }
    }
    cards = next;
    keys = nextKeys;
    setView(cards);
  };
  for (const subscribe of source.subscribe) onCleanup(subscribe((ids) => untrack(() => update(ids))));

  return view;
}
