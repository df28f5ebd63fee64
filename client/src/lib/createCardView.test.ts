import { describe, expect, it, vi } from 'vitest';

// Node resolves solid-js to its server build, where signals do not propagate: use the browser
// build. (solid-js/store cannot be swapped the same way, so the source below is a plain map.)
// @ts-expect-error the file has no type declarations of its own (same API as 'solid-js')
vi.mock('solid-js', () => import('solid-js/dist/solid.js'));

import { createRoot, createSignal } from 'solid-js';
import * as Y from 'yjs';
import { boardRoots, cardMap, createCard, readCard, setCardField, type CardData } from '@delivery-board/schema/boardDoc';
import { openBooking } from '@delivery-board/schema/bookings';
import { DEFAULT_FILTERS, makeCardQuery, runQuery, type CardFilterState } from './cardFilters.ts';
import { createCardView, type CardSource } from './createCardView.ts';

const ctx = { bookingFor: openBooking, userId: 'u', role: 'coordinator' as const, position: null, now: new Date(2025, 5, 3) };

/** Cards read from the doc, with the ids each transaction touched (like createCards.ts). */
function source(doc: Y.Doc): CardSource {
  const cards = boardRoots(doc).cards;
  const byId = new Map<string, CardData>();
  const listeners = new Set<(ids: string[]) => void>();
  cards.observeDeep((events) => {
    const ids = new Set<string>();
    for (const e of events) {
      if (e.target === cards) for (const k of e.changes.keys.keys()) ids.add(k);
      else if (typeof e.path[0] === 'string') ids.add(e.path[0]);
    }
    for (const id of ids) {
      const card = cardMap(doc, id);
      if (card) byId.set(id, readCard(id, card));
      else byId.delete(id);
    }
    for (const l of listeners) l([...ids]);
  });
  return {
    get: (id) => byId.get(id),
    all: () => [...byId.values()],
    subscribe: [(l) => (listeners.add(l), () => listeners.delete(l))],
  };
}

describe('createCardView', () => {
  it('stays equal to a full filter + sort through random edits and filter changes', () => {
    createRoot((dispose) => {
      const doc = new Y.Doc();
      const src = source(doc);
      const [filters, setFilters] = createSignal<CardFilterState>({ ...DEFAULT_FILTERS, sort: 'window' });
      const query = () => makeCardQuery(filters(), ctx);
      const view = createCardView(src, query);
      const ids: string[] = [];
      let seed = 7;
      const rand = (n: number) => {
        // mulberry32: a seeded generator, so a failure replays exactly.
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return (((t ^ (t >>> 14)) >>> 0) % n);
      };
      let rebuilt = 0;
      for (let i = 0; i < 400; i++) {
        const op = rand(6);
        if (op === 0 || ids.length < 5) {
          ids.push(createCard(doc, { title: `card ${i}`, windowStart: rand(2) ? `2025-06-0${1 + rand(9)}T1${rand(10)}:00` : null }, 'u', rand(1000)));
        } else if (op === 1) {
          boardRoots(doc).cards.delete(ids.splice(rand(ids.length), 1)[0]);
        } else if (op === 2) {
          setCardField(doc, ids[rand(ids.length)], 'windowStart', `2025-06-0${1 + rand(9)}T0${rand(10)}:00`);
        } else if (op === 3 || op === 4) {
          setCardField(doc, ids[rand(ids.length)], 'title', rand(2) ? 'bread' : 'milk');
        } else {
          rebuilt++;
          setFilters((f) => ({ ...f, search: ['', 'bread', 'milk', 'card'][rand(4)], sort: (['newest', 'window', 'priority'] as const)[rand(3)] }));
        }
        expect(view().map((c) => c.id)).toEqual(runQuery(src.all(), query()).map((c) => c.id));
      }
      expect(rebuilt).toBeGreaterThan(10);
      dispose();
    });
  });
});
