/**
 * A card's comments as plain objects, oldest first. Any member who may write can put anything into
 * the `comments` map (an old, buggy or hostile client), so the reader trusts nothing: an entry that
 * is not a Y.Array reads as no comments, and an item that is not CommentData-shaped is skipped
 * rather than shown as "undefined" or breaking the list for everyone.
 */
import * as Y from 'yjs';
import { boardRoots, type CommentData } from '@delivery-board/schema/boardDoc';

const isText = (v: unknown): v is string => typeof v === 'string';
/** A time a Date can hold (±8.64e15 ms): anything else would throw when formatted. */
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= 8.64e15;

export function isComment(v: unknown): v is CommentData {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const c = v as Record<string, unknown>;
  return isText(c.id) && isText(c.userId) && isText(c.name) && isText(c.text) && c.text.trim() !== '' && isTime(c.at);
}

/**
 * The comments of card `cardId` in the array's order, which is the same on every device (Yjs
 * orders concurrent appends), unlike the writers' clocks. The objects are the array's own, so a
 * keyed list keeps the rows it has already drawn.
 */
export function readComments(doc: Y.Doc, cardId: string): CommentData[] {
  const list: unknown = boardRoots(doc).comments.get(cardId);
  if (!(list instanceof Y.Array)) return [];
  return (list.toArray() as unknown[]).filter(isComment);
}

/**
 * The Yjs id of each comment of card `cardId` (by comment id): the id of the array item that holds
 * it, which says which device made it, so a comment this device has not sent yet can be marked
 * (createDurableState's isUnsent). One push makes one item, several values only if pushed together.
 */
export function readCommentItemIds(doc: Y.Doc, cardId: string): Map<string, Y.ID> {
  const ids = new Map<string, Y.ID>();
  const list: unknown = boardRoots(doc).comments.get(cardId);
  if (!(list instanceof Y.Array)) return ids;
  for (let item = list._start; item; item = item.right) {
    if (item.deleted || !item.countable) continue;
    item.content.getContent().forEach((value, i) => {
      if (isComment(value)) ids.set(value.id, Y.createID(item!.id.client, item!.id.clock + i));
    });
  }
  return ids;
}
