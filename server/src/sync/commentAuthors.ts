/**
 * Who a comment says wrote it, enforced on what clients send. A comment is a plain object
 * `{id, userId, name, text, at}` that the posting client writes into the card's comments list
 * (schema/boardDoc.ts addComment), and every reader shows its `name`: without this check, any member
 * who may write could post "Leave it at the back door" as the coordinator.
 *
 * The rule does not depend on where a value lands: every new plain value an update carries that has
 * a `userId` field (the shape readers take for a comment, client/src/lib/readComments.ts) must carry
 * the sender's own user id and name. Finding a value's parent would mean following origins through
 * the document and the update, and an item can wait, unintegrated, for a dependency that another
 * member's update brings later; checking the values themselves covers both. Nothing else our
 * clients write has a `userId` field. Values the server already holds are not checked again (a
 * reconnecting client's sync step may re-send items that overlap them).
 *
 * A value in someone else's name is replaced by `null` before the update is applied, and the rest
 * of the update goes on as usual. Its item stays (with the same id and length), so nothing that
 * builds on it waits for structs the server never took: the sender's next comment on that card,
 * say. Readers skip a `null` in a comments list as they skip anything that is not a comment.
 * (Honest clients only write comments as the member they are signed in as. One way an honest
 * device sends someone else's: a member's session expired with a comment still unsent, and another
 * member signed in on that device. That comment is blanked too, the rest of their edits land.)
 */
import * as Y from 'yjs';
import { encodeUpdate } from './encodeUpdate.ts';

type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

export type CommentAuthorCheck =
  | { kind: 'ok' }
  /** Values in someone else's name blanked: apply `update` instead. `claimed`: the first such author. */
  | { kind: 'blanked'; update: Uint8Array; parsed: DecodedUpdate; count: number; claimed: { userId: unknown; name: unknown } };

/** Blanks the values in `parsed` (in place) that claim an author other than `userId` / `userName`. */
export function checkCommentAuthors(doc: Y.Doc, parsed: DecodedUpdate, userId: string, userName: string): CommentAuthorCheck {
  let count = 0;
  let claimed: { userId: unknown; name: unknown } | null = null;
  for (const struct of parsed.structs) {
    if (!(struct instanceof Y.Item)) continue;
    const content = struct.content;
    if (!(content instanceof Y.ContentAny) && !(content instanceof Y.ContentJSON)) continue;
    // One item holds several values (clocks); those below the document's state are held already.
    const held = Math.max(0, Y.getState(doc.store, struct.id.client) - struct.id.clock);
    const values = content.arr as unknown[];
    for (let i = held; i < values.length; i++) {
      const v = values[i];
      if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.hasOwn(v, 'userId')) continue;
      const author = v as { userId: unknown; name: unknown };
      if (author.userId === userId && author.name === userName) continue;
      claimed ??= { userId: author.userId, name: author.name };
      values[i] = null;
      count++;
    }
  }
  if (!claimed) return { kind: 'ok' };
  // `parsed` now holds the blanked values: it is what `update` decodes to.
  return { kind: 'blanked', update: encodeUpdate(parsed), parsed, count, claimed };
}
