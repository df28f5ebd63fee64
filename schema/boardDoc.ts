/**
 * The board document's shape (see ARCHITECTURE.md "One board = two Yjs documents") and the small
 * set of functions every writer uses, so client, tests and benchmarks edit cards the same way.
 *
 * Each card is a Y.Map with one key per field: concurrent edits of different fields of one card both
 * survive; `title` and `notes` are Y.Texts so concurrent typing in them merges character by
 * character (a plain string title, as cards made before titles were texts have, is read as it is
 * and becomes a Y.Text at its first edit).
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
    items: pick('items', isStrings),
    priority: pick('priority', (v) => (PRIORITIES as readonly unknown[]).includes(v)),
    tags: pick('tags', isStrings),
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
 * Replaces a Y.Text's content with `next` by editing only the changed middle (common prefix and
 * suffix kept), so a concurrent edit elsewhere in the text survives the merge.
 */
export function setText(text: Y.Text, next: string): void {
  const prev = text.toString();
  if (prev === next) return;
  let start = 0;
  const max = Math.min(prev.length, next.length);
  while (start < max && prev[start] === next[start]) start++;
  let end = 0;
  while (end < max - start && prev[prev.length - 1 - end] === next[next.length - 1 - end]) end++;
  text.doc!.transact(() => {
    text.delete(start, prev.length - start - end);
    text.insert(start, next.slice(start, next.length - end));
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
