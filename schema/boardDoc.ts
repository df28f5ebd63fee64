/**
 * The board document's shape (see ARCHITECTURE.md "One board = two Yjs documents") and the small
 * set of functions every writer uses, so client, tests and benchmarks edit cards the same way.
 *
 * Each card is a Y.Map with one key per field: concurrent edits of different fields of one card both
 * survive; `notes` is a Y.Text so concurrent edits inside the notes merge character by character.
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
    cards: doc.getMap<Y.Map<unknown>>('cards'),
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
      if (key === 'notes') card.set('notes', new Y.Text(String(value)));
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

/** Plain snapshot of a card map; tolerant of missing fields (older or partial writers). */
export function readCard(id: string, card: Y.Map<unknown>): CardData {
  const notes = card.get('notes');
  const base = emptyCard(id, String(card.get('createdBy') ?? ''), Number(card.get('createdAt') ?? 0));
  const pick = <K extends keyof CardData>(key: K): CardData[K] => (card.has(key) ? (card.get(key) as CardData[K]) : base[key]);
  return {
    ...base,
    title: String(card.get('title') ?? ''),
    notes: notes instanceof Y.Text ? notes.toString() : '',
    pickup: pick('pickup'),
    dropoff: pick('dropoff'),
    windowStart: pick('windowStart'),
    windowEnd: pick('windowEnd'),
    items: pick('items'),
    priority: pick('priority'),
    tags: pick('tags'),
  };
}

export function readCards(doc: Y.Doc): CardData[] {
  const out: CardData[] = [];
  boardRoots(doc).cards.forEach((card, id) => out.push(readCard(id, card)));
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
  const card = boardRoots(doc).cards.get(id);
  if (!card) return;
  doc.transact(() => {
    if (field === 'notes') {
      const text = card.get('notes');
      if (text instanceof Y.Text) setText(text, value as string);
      else card.set('notes', new Y.Text(value as string));
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
