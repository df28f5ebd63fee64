import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addComment, boardRoots, createCard, type CommentData } from '@delivery-board/schema/boardDoc';
import { isComment, readComments } from './readComments.ts';

const comment = (over: Partial<CommentData> = {}): CommentData => ({ id: 'c1', userId: 'u1', name: 'Sam Okafor', text: 'Buzzer broken, ring the neighbour', at: 1_700_000_000_000, ...over });

describe('readComments', () => {
  it('returns a card’s comments in the array’s order', () => {
    const doc = new Y.Doc();
    const id = createCard(doc, { title: 'Box' }, 'u1');
    addComment(doc, id, { userId: 'u1', name: 'Sam', text: 'first', at: 2 }, 'a');
    addComment(doc, id, { userId: 'u2', name: 'Amira', text: 'second', at: 1 }, 'b');
    expect(readComments(doc, id).map((c) => [c.id, c.text])).toEqual([
      ['a', 'first'],
      ['b', 'second'],
    ]);
  });

  it('reads no comments for an unknown card or an entry that is not a Y.Array', () => {
    const doc = new Y.Doc();
    const { comments } = boardRoots(doc);
    expect(readComments(doc, 'nope')).toEqual([]);
    const raw = comments as unknown as Y.Map<unknown>;
    raw.set('plain', [comment()]);
    raw.set('text', 'hello');
    const map = new Y.Map<unknown>();
    raw.set('map', map);
    map.set('0', comment());
    expect(readComments(doc, 'plain')).toEqual([]);
    expect(readComments(doc, 'text')).toEqual([]);
    expect(readComments(doc, 'map')).toEqual([]);
  });

  it('skips entries that are not CommentData-shaped and keeps the rest', () => {
    const doc = new Y.Doc();
    const id = createCard(doc, { title: 'Box' }, 'u1');
    const list = boardRoots(doc).comments.get(id) as unknown as Y.Array<unknown>;
    list.push([
      comment({ id: 'ok' }),
      null,
      'just a string',
      42,
      [comment()],
      { ...comment(), text: 7 },
      { ...comment(), text: '   ' },
      { ...comment(), name: null },
      { ...comment(), userId: undefined },
      { ...comment(), at: 'yesterday' },
      { ...comment(), at: null },
      { text: 'no author' },
      comment({ id: 'ok2', text: 'running 10 min late' }),
    ]);
    // A nested shared type is no comment either.
    list.push([new Y.Map()]);
    expect(readComments(doc, id).map((c) => c.id)).toEqual(['ok', 'ok2']);
  });

  it('returns the stored objects, so a keyed list keeps its rows between reads', () => {
    const doc = new Y.Doc();
    const id = createCard(doc, {}, 'u1');
    addComment(doc, id, { userId: 'u1', name: 'Sam', text: 'hi', at: 1 });
    const [first] = readComments(doc, id);
    addComment(doc, id, { userId: 'u1', name: 'Sam', text: 'again', at: 2 });
    expect(readComments(doc, id)[0]).toBe(first);
  });

  it('isComment accepts exactly CommentData', () => {
    expect(isComment(comment())).toBe(true);
    expect(isComment({ ...comment(), at: Number.NaN })).toBe(false);
    expect(isComment({ ...comment(), at: Number.POSITIVE_INFINITY })).toBe(false);
    expect(isComment({ ...comment(), at: 1e20 })).toBe(false); // new Date(1e20) is an Invalid Date
    expect(isComment(undefined)).toBe(false);
  });
});
