/**
 * A card's comments as a live list: re-read whenever anyone (this device or another) adds to that
 * card's comment array or replaces it, and only then; comments on other cards do not touch it.
 */
import { createMemo, createSignal, onCleanup, untrack, type Accessor } from 'solid-js';
import type * as Y from 'yjs';
import { boardRoots, type CommentData } from '@delivery-board/schema/boardDoc';
import { readComments } from './readComments.ts';

export function createComments(doc: Y.Doc, cardId: Accessor<string>): Accessor<CommentData[]> {
  const { comments } = boardRoots(doc);
  const [changes, setChanges] = createSignal(0);
  const onChange = (events: Y.YEvent<any>[]) => {
    const id = untrack(cardId);
    // The card's entry set or deleted (an event on the map itself), or its array changed (path [id]).
    const touched = events.some((e) => (e.target === comments ? e.changes.keys.has(id) : e.path[0] === id));
    if (touched) setChanges((n) => n + 1);
  };
  comments.observeDeep(onChange);
  onCleanup(() => comments.unobserveDeep(onChange));
  return createMemo(() => {
    changes();
    return readComments(doc, cardId());
  });
}
