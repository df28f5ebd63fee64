/**
 * The board document's shape (see ARCHITECTURE.md "One board = two Yjs documents") and the small
 * set of functions every writer uses, so client, tests and benchmarks edit cards the same way.
 *
 * Each card is a Y.Map with one key per field: concurrent edits of different fields of one card both
 * survive; `title` and `notes` are Y.Texts so concurrent typing in them merges character by
 * character, and `items` and `tags` are Y.Arrays of strings so two people adding, removing or
 * changing entries offline keep both changes (two edits of one entry keep both versions; the same
 * tag added twice reads once). A plain string title or plain array list, as cards made before those
 * fields were shared types have, is read as it is and becomes a shared type at its first edit.
 * The places, time window and priority stay single values: of two concurrent choices, one wins.
 */
import * as Y from 'yjs';

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface Place {
  label: string;
  lat: number | null;
  lng: number | null;
}

export interface CardData {
  id: string;
  title: string;
  notes: string;
  pickup: Place | null;
  dropoff: Place | null;
  /** ISO 8601 local date-time strings, or null when open-ended. */
  windowStart: string | null;
  windowEnd: string | null;
  items: string[];
  priority: Priority;
  tags: string[];
  createdBy: string;
  createdAt: number;
}

/** Fields a writer may set after creation (id, createdBy, createdAt are fixed). */
export type EditableField = Exclude<keyof CardData, 'id' | 'createdBy' | 'createdAt'>;

export interface CommentData {
  id: string;
  userId: string;
  name: string;
  text: string;
  at: number;
}

export function boardRoots(doc: Y.Doc) {
  return {
    meta: doc.getMap<unknown>('meta'),
    // Entries are written by clients: read them through cardMap(), which skips what is not a card.
    cards: doc.getMap<unknown>('cards'),
    comments: doc.getMap<Y.Array<CommentData>>('comments'),
  };
}

export function newId(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('').slice(0, 20);
}

export function emptyCard(id: string, createdBy: string, createdAt: number): CardData {
  return {
    id,
    title: '',
    notes: '',
    pickup: null,
    dropoff: null,
    windowStart: null,
    windowEnd: null,
    items: [],
    priority: 'normal',
    tags: [],
    createdBy,
    createdAt,
  };
}

/** The fields kept as Y.Text, merged character by character. */
const TEXT_FIELDS = ['title', 'notes'] as const;
const isTextField = (key: string): key is (typeof TEXT_FIELDS)[number] => (TEXT_FIELDS as readonly string[]).includes(key);
/** The fields kept as Y.Array<string>, merged entry by entry. */
const LIST_FIELDS = ['items', 'tags'] as const;
const isListField = (key: string): key is (typeof LIST_FIELDS)[number] => (LIST_FIELDS as readonly string[]).includes(key);

/** Adds a card in one transaction and returns its id. */
export function createCard(
  doc: Y.Doc,
  init: Partial<Omit<CardData, 'id' | 'createdBy' | 'createdAt'>>,
  createdBy: string,
  now: number = Date.now(),
  id: string = newId(),
): string {
  const data = { ...emptyCard(id, createdBy, now), ...init };
  doc.transact(() => {
    const card = new Y.Map<unknown>();
    for (const [key, value] of Object.entries(data)) {
      if (isTextField(key)) card.set(key, new Y.Text(String(value)));
      else if (isListField(key)) card.set(key, Y.Array.from(value as string[]));
      else card.set(key, value);
    }
    const roots = boardRoots(doc);
    roots.cards.set(id, card);
    // Created with the card, so two people commenting concurrently append to one shared array
    // instead of each creating their own (one of which the merge would drop).
    roots.comments.set(id, new Y.Array<CommentData>());
  });
  return id;
}

/**
 * The card `id`'s map, or null when there is none. Any member who may write can put anything under
 * `cards` (a buggy or hostile client): an entry that is not a Y.Map is no card, for every reader.
 */
export function cardMap(doc: Y.Doc, id: string): Y.Map<unknown> | null {
  const card = boardRoots(doc).cards.get(id);
  return card instanceof Y.Map ? card : null;
}

const isPlace = (v: unknown): v is Place =>
  typeof v === 'object' && v !== null && typeof (v as Place).label === 'string' && isCoord((v as Place).lat) && isCoord((v as Place).lng);
const isCoord = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/**
 * Tags without repeats, compared ignoring case (the first spelling is kept): two people who add the
 * same tag offline each insert it, and the merged list must still read as one tag.
 */
export function uniqueTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  return tags.filter((tag) => {
    const key = tag.toLowerCase();
    return !seen.has(key) && !!seen.add(key);
  });
}
const isTimeOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';

/**
 * Plain snapshot of a card map; tolerant of missing fields (older or partial writers) and of fields
 * of the wrong shape (they read as their default), so no reader trusts what a client wrote.
 */
export function readCard(id: string, card: Y.Map<unknown>): CardData {
  const text = (key: 'title' | 'notes') => {
    const v = card.get(key);
    return v instanceof Y.Text ? v.toString() : typeof v === 'string' ? v : '';
  };
  // A shared list's entries are what writers inserted: anything but a string is skipped, not the list.
  const list = (key: 'items' | 'tags') => {
    const v = card.get(key);
    if (v instanceof Y.Array) return v.toArray().filter((s): s is string => typeof s === 'string');
    return isStrings(v) ? v : [];
  };
  const createdAt = Number(card.get('createdAt'));
  const base = emptyCard(id, String(card.get('createdBy') ?? ''), Number.isFinite(createdAt) ? createdAt : 0);
  const pick = <K extends keyof CardData>(key: K, valid: (v: unknown) => boolean): CardData[K] => {
    const v = card.get(key);
    return valid(v) ? (v as CardData[K]) : base[key];
  };
  return {
    ...base,
    title: text('title'),
    notes: text('notes'),
    pickup: pick('pickup', (v) => v === null || isPlace(v)),
    dropoff: pick('dropoff', (v) => v === null || isPlace(v)),
    windowStart: pick('windowStart', isTimeOrNull),
    windowEnd: pick('windowEnd', isTimeOrNull),
    items: list('items'),
    priority: pick('priority', (v) => (PRIORITIES as readonly unknown[]).includes(v)),
    tags: uniqueTags(list('tags')),
  };
}

export function readCards(doc: Y.Doc): CardData[] {
  const out: CardData[] = [];
  boardRoots(doc).cards.forEach((card, id) => {
    if (card instanceof Y.Map) out.push(readCard(id, card));
  });
  return out;
}

/**
 * Where `prev` and `next` differ: the length of their common start, and of their common end after
 * it. Writers replace only that middle, so a concurrent edit elsewhere survives the merge (and the
 * editor locates a remote edit the same way, client/src/lib/shiftCaret.ts).
 */
export function changedMiddle(prev: ArrayLike<unknown>, next: ArrayLike<unknown>): { start: number; end: number } {
  let start = 0;
  const max = Math.min(prev.length, next.length);
  while (start < max && prev[start] === next[start]) start++;
  let end = 0;
  while (end < max - start && prev[prev.length - 1 - end] === next[next.length - 1 - end]) end++;
  return { start, end };
}

/** Replaces a Y.Text's content with `next`, editing only the changed middle. */
export function setText(text: Y.Text, next: string): void {
  const prev = text.toString();
  if (prev === next) return;
  const { start, end } = changedMiddle(prev, next);
  text.doc!.transact(() => {
    text.delete(start, prev.length - start - end);
    text.insert(start, next.slice(start, next.length - end));
  });
}

/** Beyond this many entry pairs the changed middle of a list is replaced whole (a pasted list). */
const MAX_LIST_DIFF = 250_000;

/** One step of turning a list into another: keep the next entry, remove it, or insert `value`. */
export type ListEdit = { op: 'keep' } | { op: 'delete' } | { op: 'insert'; value: string };

/**
 * The fewest removals and insertions that turn `prev` into `next` (a longest common subsequence
 * over the changed middle), in list order: an entry that stays is never removed and put back.
 */
export function listEdits(prev: readonly unknown[], next: readonly string[]): ListEdit[] {
  const { start, end } = changedMiddle(prev, next);
  const keep = (n: number): ListEdit[] => Array.from({ length: n }, () => ({ op: 'keep' }));
  const a = prev.slice(start, prev.length - end);
  const b = next.slice(start, next.length - end);
  const middle: ListEdit[] = [];
  if (a.length * b.length > MAX_LIST_DIFF) {
    for (let i = 0; i < a.length; i++) middle.push({ op: 'delete' });
    for (const value of b) middle.push({ op: 'insert', value });
  } else {
    // common[i][j]: length of the longest common subsequence of a[i..] and b[j..].
    const common = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
    for (let i = a.length - 1; i >= 0; i--) {
      for (let j = b.length - 1; j >= 0; j--) {
        common[i]![j] = a[i] === b[j] ? common[i + 1]![j + 1]! + 1 : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i] === b[j]) {
        middle.push({ op: 'keep' });
        i++, j++;
      } else if (i < a.length && (j === b.length || common[i + 1]![j]! >= common[i]![j + 1]!)) {
        // Removals first: a changed entry reads as "this one out, that one in", in that order.
        middle.push({ op: 'delete' });
        i++;
      } else {
        middle.push({ op: 'insert', value: b[j++]! });
      }
    }
  }
  return [...keep(start), ...middle, ...keep(end)];
}

/** Makes a Y.Array's entries `next` by `listEdits`, so a concurrent change to other entries survives. */
export function setList(list: Y.Array<unknown>, next: readonly string[]): void {
  const edits = listEdits(list.toArray(), next);
  if (edits.every((e) => e.op === 'keep')) return;
  list.doc!.transact(() => {
    let at = 0;
    for (const e of edits) {
      if (e.op === 'keep') at++;
      else if (e.op === 'delete') list.delete(at, 1);
      else list.insert(at++, [e.value]);
    }
  });
}

/** Sets one field of a card; a no-op if the card is gone (deleted concurrently). */
export function setCardField<K extends EditableField>(doc: Y.Doc, id: string, field: K, value: CardData[K]): void {
  const card = cardMap(doc, id);
  if (!card) return;
  doc.transact(() => {
    if (isTextField(field)) {
      const text = card.get(field);
      if (text instanceof Y.Text) setText(text, value as string);
      else if (text !== value) card.set(field, new Y.Text(value as string));
    } else if (isListField(field)) {
      const list = card.get(field);
      if (list instanceof Y.Array) setList(list, value as string[]);
      else if (JSON.stringify(list) !== JSON.stringify(value)) card.set(field, Y.Array.from(value as string[]));
    } else if (JSON.stringify(card.get(field)) !== JSON.stringify(value)) {
      card.set(field, value);
    }
  });
}

export function deleteCard(doc: Y.Doc, id: string): void {
  const { cards, comments } = boardRoots(doc);
  doc.transact(() => {
    cards.delete(id);
    comments.delete(id);
  });
}

/** Removes comment `commentId` from card `cardId`; a no-op if it is not there (removed concurrently). */
export function deleteComment(doc: Y.Doc, cardId: string, commentId: string): void {
  const list = boardRoots(doc).comments.get(cardId);
  if (!(list instanceof Y.Array)) return;
  const at = (list.toArray() as unknown[]).findIndex((c) => typeof c === 'object' && c !== null && (c as CommentData).id === commentId);
  if (at >= 0) list.delete(at, 1);
}

export function addComment(doc: Y.Doc, cardId: string, comment: Omit<CommentData, 'id'>, id: string = newId()): void {
  const { comments } = boardRoots(doc);
  doc.transact(() => {
    let list = comments.get(cardId);
    if (!list) {
      list = new Y.Array<CommentData>();
      comments.set(cardId, list);
    }
    list.push([{ id, ...comment }]);
  });
}
