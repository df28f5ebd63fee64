import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { boardRoots, createCard, deleteCard } from '@delivery-board/schema/boardDoc';
import { COMMENT_MAX_LENGTH, commentProblem, postComment } from './postComment.ts';
import { readComments } from './readComments.ts';

const sam = { id: 'u-sam', name: 'Sam Okafor' };

describe('postComment', () => {
  it('appends the trimmed text with its author and time', () => {
    const doc = new Y.Doc();
    const id = createCard(doc, { title: 'Box' }, 'u1');
    expect(postComment(doc, id, sam, '  running 10 min late\n', 1234)).toBeNull();
    expect(readComments(doc, id)).toEqual([{ id: expect.any(String), userId: 'u-sam', name: 'Sam Okafor', text: 'running 10 min late', at: 1234 }]);
  });

  it('refuses empty, blank and over-long text, and writes nothing', () => {
    const doc = new Y.Doc();
    const id = createCard(doc, {}, 'u1');
    expect(postComment(doc, id, sam, '')).toMatch(/write something/i);
    expect(postComment(doc, id, sam, ' \n\t ')).toMatch(/write something/i);
    expect(postComment(doc, id, sam, 'x'.repeat(COMMENT_MAX_LENGTH + 1))).toMatch(/at most 2000/);
    expect(readComments(doc, id)).toEqual([]);
    // Exactly the limit is fine, and so is more whitespace around it.
    expect(commentProblem(` ${'x'.repeat(COMMENT_MAX_LENGTH)} `)).toBeNull();
  });

  it('refuses a deleted card instead of leaving an orphan list', () => {
    const doc = new Y.Doc();
    const id = createCard(doc, {}, 'u1');
    deleteCard(doc, id);
    expect(postComment(doc, id, sam, 'hello')).toMatch(/deleted/);
    expect(boardRoots(doc).comments.has(id)).toBe(false);
  });

  it('replaces a comments entry that is not an array, and creates a missing one', () => {
    const doc = new Y.Doc();
    const a = createCard(doc, {}, 'u1');
    const b = createCard(doc, {}, 'u1');
    const { comments } = boardRoots(doc);
    (comments as unknown as Y.Map<unknown>).set(a, 'garbage');
    comments.delete(b);
    expect(postComment(doc, a, sam, 'one')).toBeNull();
    expect(postComment(doc, b, sam, 'two')).toBeNull();
    expect(readComments(doc, a).map((c) => c.text)).toEqual(['one']);
    expect(readComments(doc, b).map((c) => c.text)).toEqual(['two']);
  });
});
