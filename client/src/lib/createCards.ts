/**
 * The board's cards as a Solid store derived from the Y.Doc. Only cards touched by a Yjs
 * transaction are re-read (observeDeep tells us which), and `reconcile` updates just the fields
 * that changed, so typing in one card does not re-render the others.
 */
import { createMemo, onCleanup, type Accessor } from 'solid-js';
import { createStore, produce, reconcile } from 'solid-js/store';
import type * as Y from 'yjs';
import { boardRoots, readCard, readCards, type CardData } from '@delivery-board/schema/boardDoc';

export interface Cards {
  /** Cards by id; reading `byId[id]` tracks that card only. */
  byId: Record<string, CardData>;
  /** All cards, in no particular order (sort in the view). */
  list: Accessor<CardData[]>;
}

/** Subscribes to the doc's `cards` root; the observer is removed with the owner. */
export function createCards(doc: Y.Doc): Cards {
  const cardsMap = boardRoots(doc).cards;
  const initial: Record<string, CardData> = {};
  for (const card of readCards(doc)) initial[card.id] = card;
  const [byId, setById] = createStore<Record<string, CardData>>(initial);

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
    for (const id of touched) {
      const card = cardsMap.get(id);
      if (card) setById(id, reconcile(readCard(id, card), { merge: true }));
      else
        setById(
          produce((all) => {
            delete all[id];
          }),
        );
    }
  };
  cardsMap.observeDeep(onChange);
  onCleanup(() => cardsMap.unobserveDeep(onChange));

  const list = createMemo(() => Object.keys(byId).map((id) => byId[id]).filter(Boolean));
  return { byId, list };
}
