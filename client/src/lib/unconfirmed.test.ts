import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appendMark, countUnconfirmed, decodeMarks, encodeMarks, markFor, marksCover, markSent, pruneConfirmed, syncState, type EditMark } from './unconfirmed.ts';

describe('countUnconfirmed', () => {
  it('counts inserting transactions beyond the stored clock of their client', () => {
    const marks: EditMark[] = [
      { client: 7, clock: 3 },
      { client: 7, clock: 5 },
      { client: 7, clock: 9 },
      { client: 8, clock: 2 },
    ];
    expect(countUnconfirmed(marks, null, 0)).toBe(4);
    expect(countUnconfirmed(marks, new Map([[7, 5]]), 1)).toBe(2);
    expect(countUnconfirmed(marks, new Map([[7, 9], [8, 2]]), 2)).toBe(0);
  });

  it('counts a delete-only transaction until a notice arrives after it was sent', () => {
    const offline = markFor(7, 4, 4, true, null)!;
    expect(offline).toEqual({ client: 7, clock: -1, sentAfterNotice: null });
    expect(countUnconfirmed([offline], new Map([[7, 100]]), 5)).toBe(1);
    const [sent] = markSent([offline], 5);
    expect(countUnconfirmed([sent], new Map([[7, 100]]), 5)).toBe(1);
    expect(countUnconfirmed([sent], new Map([[7, 100]]), 6)).toBe(0);
  });

  it('ignores transactions that changed nothing', () => {
    expect(markFor(1, 3, 3, false, 0)).toBeNull();
  });
});

describe('pruneConfirmed', () => {
  it('keeps the same array when nothing was confirmed', () => {
    const marks: EditMark[] = [{ client: 1, clock: 2, from: 1 }];
    expect(pruneConfirmed(marks, new Map([[1, 1]]), 1)).toBe(marks);
    expect(pruneConfirmed(marks, new Map([[1, 2]]), 1)).toEqual([]);
  });
  it('narrows a folded mark to the part the server has not stored', () => {
    const marks: EditMark[] = [{ client: 1, clock: 9, from: 2 }];
    expect(pruneConfirmed(marks, new Map([[1, 5]]), 1)).toEqual([{ client: 1, clock: 9, from: 5 }]);
  });
});

describe('stored marks', () => {
  it('round-trip without the per-session sending state and drop junk', () => {
    const marks: EditMark[] = [{ client: 1, clock: 4, from: 2 }, { client: 2, clock: -1, sentAfterNotice: 3 }];
    expect(decodeMarks(encodeMarks(marks))).toEqual([{ client: 1, clock: 4, from: 2 }, { client: 2, clock: -1, sentAfterNotice: null }]);
    // Marks stored before `from` existed cover every earlier clock; a `from` that makes no sense too.
    expect(decodeMarks('[[1,"x"],{"a":1},[3,5],[4,5,9]]')).toEqual([
      { client: 3, clock: 5, from: 0 },
      { client: 4, clock: 5, from: 0 },
    ]);
    expect(decodeMarks('not json')).toEqual([]);
    expect(decodeMarks(null)).toEqual([]);
  });
});

describe('appendMark', () => {
  it('folds a run of edits to one card into one change: inserts extend it, deletions make it wait for a notice too', () => {
    let marks: EditMark[] = [];
    marks = appendMark(marks, markFor(7, 0, 1, false, null)!, false);
    marks = appendMark(marks, markFor(7, 1, 2, false, null)!, true);
    marks = appendMark(marks, markFor(7, 2, 2, true, null)!, true); // a backspace, offline
    marks = appendMark(marks, markFor(7, 2, 3, false, null)!, true);
    expect(marks).toEqual([{ client: 7, clock: 3, from: 0, deletes: true, sentAfterNotice: null }]);
    // Stored by the server, the deletion not yet known to be: still waiting, until a notice after it went out.
    expect(countUnconfirmed(marks, new Map([[7, 3]]), 4)).toBe(1);
    const sent = markSent(marks, 4);
    expect(countUnconfirmed(sent, new Map([[7, 3]]), 4)).toBe(1);
    expect(countUnconfirmed(sent, new Map([[7, 3]]), 5)).toBe(0);
    // Another card (sameTarget false) is another change; so is a gap in the clock.
    expect(appendMark(marks, markFor(7, 3, 4, false, null)!, false)).toHaveLength(2);
    expect(appendMark(marks, markFor(7, 5, 6, false, null)!, true)).toHaveLength(2);
    // A deletion first, then typing: one change covering the typed range.
    const del = appendMark([], markFor(7, 3, 3, true, 2)!, false);
    expect(appendMark(del, markFor(7, 3, 5, false, 2)!, true)).toEqual([{ client: 7, clock: 5, from: 3, deletes: true, sentAfterNotice: 2 }]);
  });

  it('keeps folded deletions across a reload (stored as a fourth element)', () => {
    const marks: EditMark[] = [{ client: 7, clock: 3, from: 1, deletes: true, sentAfterNotice: 4 }];
    expect(decodeMarks(encodeMarks(marks))).toEqual([{ client: 7, clock: 3, from: 1, deletes: true, sentAfterNotice: null }]);
  });
});

describe('marksCover', () => {
  it('finds the transaction that made an item: its client, from its start clock up to its end', () => {
    const marks: EditMark[] = [
      { client: 7, clock: 5, from: 3 },
      { client: 7, clock: -1, sentAfterNotice: null },
      { client: 8, clock: 2, from: 0 },
    ];
    expect([2, 3, 4, 5].map((clock) => marksCover(marks, 7, clock))).toEqual([false, true, true, false]);
    expect(marksCover(marks, 8, 1)).toBe(true);
    expect(marksCover(marks, 9, 1)).toBe(false);
  });
});

describe('with real Yjs documents', () => {
  it('a local edit is unconfirmed until the server state vector covers it', () => {
    const local = new Y.Doc();
    const server = new Y.Doc();
    const marks: EditMark[] = [];
    local.on('afterTransaction', (tr: Y.Transaction) => {
      if (!tr.local) return;
      const id = local.clientID;
      const m = markFor(id, tr.beforeState.get(id) ?? 0, tr.afterState.get(id) ?? 0, tr.deleteSet.clients.size > 0, null);
      if (m) marks.push(m);
    });
    local.getMap('cards').set('a', 'one');
    local.getMap('cards').set('b', 'two');
    Y.applyUpdate(server, Y.encodeStateAsUpdate(local));
    local.getMap('cards').set('c', 'three');
    const durable = Y.decodeStateVector(Y.encodeStateVector(server));
    expect(marks).toHaveLength(3);
    expect(countUnconfirmed(marks, durable, 1)).toBe(1);
    // A remote change (not local) leaves no mark.
    const other = new Y.Doc();
    other.getMap('cards').set('d', 'four');
    Y.applyUpdate(local, Y.encodeStateAsUpdate(other));
    expect(marks).toHaveLength(3);
  });
});

describe('syncState', () => {
  it('goes offline → reconnecting → pending → synced', () => {
    expect(syncState({ status: 'offline', synced: false, unconfirmed: 2 })).toBe('offline');
    expect(syncState({ status: 'connecting', synced: false, unconfirmed: 2 })).toBe('reconnecting');
    expect(syncState({ status: 'connected', synced: true, unconfirmed: 2 })).toBe('pending');
    expect(syncState({ status: 'connected', synced: false, unconfirmed: 0 })).toBe('pending');
    expect(syncState({ status: 'connected', synced: true, unconfirmed: 0 })).toBe('synced');
    expect(syncState({ status: 'closed', synced: true, unconfirmed: 0 })).toBe('closed');
  });
});
