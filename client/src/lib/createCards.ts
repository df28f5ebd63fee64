/**
 * The board's cards as a Solid store derived from the Y.Doc. Only cards touched by a Yjs
 * transaction are re-read (observeDeep tells us which), and `reconcile` updates just the fields
 * that changed, so typing in one card does not re-render the others. Views that filter and sort
 * all cards (createCardView.ts) subscribe to the touched ids instead of re-reading everything; the
 * tag index is kept the same way.
 */
import { batch, createMemo, createSignal, onCleanup, type Accessor } from 'solid-js';
import { createStore, produce, reconcile } from 'solid-js/store';
import type * as Y from 'yjs';
import { boardRoots, cardMap, readCard, readCards, type CardData } from '@delivery-board/schema/boardDoc';

export interface Cards {
  /** Cards by id; reading `byId[id]` tracks that card only. */
  byId: Record<string, CardData>;
  /** All cards, in no particular order (recomputed only when cards are added or removed). */
  list: Accessor<CardData[]>;
  /** Every tag in use, sorted, case-insensitively distinct. */
  tags: Accessor<string[]>;
  /** Calls `listener` with the ids of the cards each transaction changed, added or removed. */
  subscribe(listener: (ids: string[]) => void): () => void;
}

/** Subscribes to the doc's `cards` root; the observer is removed with the owner. */
export function createCards(doc: Y.Doc): Cards {
  const cardsMap = boardRoots(doc).cards;
  const initial: Record<string, CardData> = {};
  for (const card of readCards(doc)) initial[card.id] = card;
  const [byId, setById] = createStore<Record<string, CardData>>(initial);
  const listeners = new Set<(ids: string[]) => void>();

  // Tag index: how many cards use each tag (keyed lower-case, shown as first seen).
  const tagCount = new Map<string, { label: string; count: number }>();
  const tagsOf = new Map<string, string[]>();
  const [tags, setTags] = createSignal<string[]>([]);
  const indexTags = (id: string, next: string[]): boolean => {
    let changed = false;
    for (const t of tagsOf.get(id) ?? []) {
      const entry = tagCount.get(t.toLowerCase());
      if (entry && --entry.count === 0) {
        tagCount.delete(t.toLowerCase());
        changed = true;
      }
    }
    const unique = [...new Map(next.map((t) => [t.toLowerCase(), t])).values()];
    for (const t of unique) {
      const entry = tagCount.get(t.toLowerCase());
      if (entry) entry.count++;
      else {
        tagCount.set(t.toLowerCase(), { label: t, count: 1 });
        changed = true;
      }
    }
    if (unique.length) tagsOf.set(id, unique);
    else tagsOf.delete(id);
    return changed;
  };
  const publishTags = () => setTags([...tagCount.values()].map((e) => e.label).sort((a, b) => a.localeCompare(b)));
  for (const card of Object.values(initial)) indexTags(card.id, card.tags);
  publishTags();

  const onChange = (events: Y.YEvent<any>[]) => {
    const touched = new Set<string>();
    for (const event of events) {
      if (event.target === cardsMap) {
        for (const key of event.changes.keys.keys()) touched.add(key);
      } else {
        // A change inside a card (a field, or the notes Y.Text): path[0] is the card's id.
        const id = event.path[0];
        if (typeof id === 'string') touched.add(id);
      }
    }
    let tagsChanged = false;
    // One batch: a sync that brings 5,000 cards must not recompute `list` after each of them.
    batch(() => {
      for (const id of touched) {
        const card = cardMap(doc, id);
        if (card) {
          const data = readCard(id, card);
          setById(id, reconcile(data, { merge: true }));
          tagsChanged = indexTags(id, Array.isArray(data.tags) ? data.tags : []) || tagsChanged;
        } else {
          setById(
            produce((all) => {
              delete all[id];
            }),
          );
          tagsChanged = indexTags(id, []) || tagsChanged;
        }
      }
      if (tagsChanged) publishTags();
    });
    const ids = [...touched];
    for (const listener of listeners) listener(ids);
  };
  cardsMap.observeDeep(onChange);
  onCleanup(() => cardsMap.unobserveDeep(onChange));

  // Object.keys tracks only additions and removals; each `byId[id]` proxy is stable across edits.
  const list = createMemo(() => Object.keys(byId).map((id) => byId[id]).filter(Boolean));
  return {
    byId,
    list,
    tags,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
