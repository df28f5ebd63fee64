/**
 * Someone else changed a list (items, tags) while this user is typing it as text: the change is
 * applied to the text they are typing, not by replacing it. Their own spacing, separators and
 * half-typed text stay ("rice, " about to get a next tag), entries added elsewhere appear in
 * place, removed ones go, and the caret keeps its place in the text around it, as in a shared
 * note (SyncedText). Without this, the text was replaced and the caret jumped to the end, where
 * the next keystrokes ran into whatever entry was last. No DOM, no Yjs: unit-tested alongside.
 */
import { listEdits } from '@delivery-board/schema/boardDoc';

/** One entry of list text as typed, and where it sits (trimmed, as parseList reads it). */
interface Span {
  value: string;
  start: number;
  end: number;
}

/** The entries of `text` split at newlines and commas, trimmed, blanks dropped: parseList's entries, with places. */
export function listSpans(text: string): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(/[^\n,]+/g)) {
    const value = m[0].trim();
    if (!value) continue;
    const start = m.index + (m[0].length - m[0].trimStart().length);
    out.push({ value, start, end: start + value.length });
  }
  return out;
}

export interface Rebased {
  text: string;
  /** Where a position in the draft is in `text`. */
  map(pos: number): number;
}

/**
 * The draft `text` (which reads as `prev`) after the list became `next`, with `separator` between
 * entries that are new to it; null when the draft does not read entry for entry as `prev` (then
 * the caller replaces it).
 */
export function rebaseListDraft(text: string, prev: readonly string[], next: readonly string[], separator: string): Rebased | null {
  const spans = listSpans(text);
  if (spans.length !== prev.length || spans.some((s, i) => s.value !== prev[i])) return null;

  // The new list's entries, each with the draft span whose place it takes: its own if kept, the
  // one it replaces if it was inserted where an entry was removed.
  const entries: Array<{ value: string; kept: boolean; at?: number }> = [];
  const removed: number[] = [];
  let i = 0;
  for (const e of listEdits(prev, next)) {
    if (e.op === 'keep') {
      removed.length = 0;
      entries.push({ value: spans[i]!.value, kept: true, at: i++ });
    } else if (e.op === 'delete') removed.push(i++);
    else entries.push({ value: e.value, kept: false, at: removed.shift() });
  }

  // Pieces of the result; `from` is where a piece copied from the draft started there.
  const pieces: Array<{ text: string; from?: number }> = [];
  const copy = (from: number, to: number) => pieces.push({ text: text.slice(from, to), from });
  if (entries[0]?.at === 0) copy(0, spans[0]!.start);
  entries.forEach((e, k) => {
    const before = entries[k - 1];
    if (before) {
      // Entries in the draft's order keep the user's own separator before the later one.
      if (before.at !== undefined && e.at !== undefined && e.at > before.at) copy(spans[e.at - 1]!.end, spans[e.at]!.start);
      else pieces.push({ text: separator });
    }
    if (e.kept) copy(spans[e.at!]!.start, spans[e.at!]!.end);
    else pieces.push({ text: e.value });
  });
  // What follows the last entry is where the user may be typing the next one: it stays last.
  // (Only separators and spaces can follow the last entry, so nothing is needed between them.)
  copy(spans.length ? spans[spans.length - 1]!.end : 0, text.length);

  let at = 0;
  const placed = pieces.map((p) => {
    const out = { ...p, at };
    at += p.text.length;
    return out;
  });
  return {
    text: pieces.map((p) => p.text).join(''),
    map(pos) {
      // In a copied piece: the same place in it. Otherwise (in a removed entry) where the next copied piece begins.
      const inside = placed.find((p) => p.from !== undefined && pos >= p.from && pos <= p.from + p.text.length);
      if (inside) return inside.at + (pos - inside.from!);
      const after = placed.find((p) => p.from !== undefined && p.from >= pos);
      return after ? after.at : at;
    },
  };
}
