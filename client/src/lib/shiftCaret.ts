/**
 * Caret arithmetic for text replaced under the user's cursor by a remote edit: the change is located
 * by common prefix and suffix (the same minimal diff `setText` in schema/boardDoc.ts writes).
 */

/** Where a caret at `pos` in `prev` should be after `prev` became `next`. */
export function shiftCaret(prev: string, next: string, pos: number): number {
  let start = 0;
  const max = Math.min(prev.length, next.length);
  while (start < max && prev[start] === next[start]) start++;
  let end = 0;
  while (end < max - start && prev[prev.length - 1 - end] === next[next.length - 1 - end]) end++;
  if (pos <= start) return pos;
  if (pos >= prev.length - end) return pos + (next.length - prev.length);
  return next.length - end; // inside the replaced span: land after the new text
}
