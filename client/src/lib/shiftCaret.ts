/**
 * Caret arithmetic for text replaced under the user's cursor by a remote edit: the change is located
 * by common prefix and suffix (`changedMiddle`, the same minimal diff `setText` writes).
 */
import { changedMiddle } from '@delivery-board/schema/boardDoc';

/** Where a caret at `pos` in `prev` should be after `prev` became `next`. */
export function shiftCaret(prev: string, next: string, pos: number): number {
  const { start, end } = changedMiddle(prev, next);
  if (pos <= start) return pos;
  if (pos >= prev.length - end) return pos + (next.length - prev.length);
  return next.length - end; // inside the replaced span: land after the new text
}
