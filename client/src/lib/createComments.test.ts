import { describe, expect, it, vi } from 'vitest';

// Node resolves solid-js to its server build, where signals do not propagate: use the browser build.
// @ts-expect-error the file has no type declarations of its own (same API as 'solid-js')
vi.mock('solid-js', () => import('solid-js/dist/solid.js'));

import { createEffect, createRoot } from 'solid-js';
import * as Y from 'yjs';
import { addComment, boardRoots, createCard, type CommentData } from '@delivery-board/schema/boardDoc';
import { createComments } from './createComments.ts';

describe('createComments', () => {
  it('follows one card’s comments, from this doc and from a synced peer, and ignores other cards', () => {
    const doc = new Y.Doc();
    const peer = new Y.Doc();
    doc.on('update', (u: Uint8Array) => Y.applyUpdate(peer, u));
    peer.on('update', (u: Uint8Array) => Y.applyUpdate(doc, u));
    const a = createCard(doc, {}, 'u1');
    const b = createCard(doc, {}, 'u1');

    const seen: string[][] = [];
    const dispose = createRoot((dispose) => {
      const comments = createComments(doc, () => a);
      createEffect(() => seen.push(comments().map((c) => c.text)));
      return dispose;
    });
    expect(seen).toEqual([[]]);

    addComment(doc, a, { userId: 'u1', name: 'Amira', text: 'mine', at: 1 });
    addComment(peer, a, { userId: 'u2', name: 'Sam', text: 'theirs', at: 2 });
    addComment(doc, b, { userId: 'u1', name: 'Amira', text: 'other card', at: 3 });
    expect(seen).toEqual([[], ['mine'], ['mine', 'theirs']]);

    // The entry replaced (e.g. a faulty client's write repaired): re-read.
    boardRoots(peer).comments.set(a, new Y.Array<CommentData>());
    expect(seen.at(-1)).toEqual([]);

    dispose();
    addComment(doc, a, { userId: 'u1', name: 'Amira', text: 'after', at: 4 });
    expect(seen.at(-1)).toEqual([]);
  });
});
