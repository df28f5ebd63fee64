/**
 * Adds a comment by the signed-in member to a card, in the board document: like every edit it is
 * saved on this device first and reaches the others when the connection allows (offline included).
 */
import * as Y from 'yjs';
import { addComment, boardRoots, cardMap, type CommentData } from '@delivery-board/schema/boardDoc';

/** Long enough for directions or a phone call's summary; the box stops typing beyond it. */
export const COMMENT_MAX_LENGTH = 2000;

/** Why `text` cannot be posted, or null. */
export function commentProblem(text: string): string | null {
  const trimmed = text.trim();
  if (!trimmed) return 'Write something first.';
  if (trimmed.length > COMMENT_MAX_LENGTH) return `A comment can be at most ${COMMENT_MAX_LENGTH} characters.`;
  return null;
}

/**
 * Posts `text` (trimmed) on card `cardId` as `author`; returns why it could not, or null once it is
 * in the document.
 */
export function postComment(doc: Y.Doc, cardId: string, author: { id: string; name: string }, text: string, now: number = Date.now()): string | null {
  const problem = commentProblem(text);
  if (problem) return problem;
  // The editor closes when its card is deleted, but a deletion can arrive between two keystrokes:
  // a comment on no card would only be an orphan in the document.
  if (!cardMap(doc, cardId)) return 'This card has been deleted.';
  const { comments } = boardRoots(doc);
  doc.transact(() => {
    // addComment() appends to whatever is stored under the card: something that is not an array
    // (written by a faulty client) could never hold comments, so it is replaced.
    const entry: unknown = comments.get(cardId);
    if (entry !== undefined && !(entry instanceof Y.Array)) comments.set(cardId, new Y.Array<CommentData>());
    addComment(doc, cardId, { userId: author.id, name: author.name, text: text.trim(), at: now });
  });
  return null;
}
