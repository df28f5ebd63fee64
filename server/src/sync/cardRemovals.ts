/**
 * Who may take a card off the board, enforced on what clients send. Deleting a card removes it for
 * everyone and cancels its booking (bookingService), so a driver must not be able to delete the card
 * another driver holds by sending a hand-made update; the client only hides the button
 * (client/src/lib/canDeleteCard.ts). Everything else a writer sends is still accepted.
 *
 * A card goes away in two ways, both checked against the document before the update is applied:
 * - its entry in `cards` (or its comments entry in `comments`, which deleteCard removes with it) is
 *   in the update's delete set. Those ranges are cut out of the delete set and the rest of the
 *   update is applied: the sender's other edits made in the same transaction or offline batch are
 *   kept, and nothing later that builds on them waits forever for structs the server never took.
 * - a new value is set under an existing card's key (which replaces, hence deletes, the card). No
 *   client of ours does that; the whole update is refused.
 * Requesters may delete the cards they created, which the card's `createdBy` field says; so an
 * update that sets `createdBy` on a card its sender may not delete is refused whole too.
 * Comments go the same way: a driver or requester may remove their own comments from a card's
 * list (a door code posted by mistake), not anyone else's; those deletions are cut out too.
 * Coordinators may delete any card or comment: their updates are not checked at all (syncServer.ts).
 * The sender's own copy keeps the card deleted (as a viewer's refused writes stay in theirs).
 */
import * as Y from 'yjs';
import { boardRoots, cardMap } from '@delivery-board/schema/boardDoc';
import { encodeDeleteSet } from './encodeUpdate.ts';

type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

export type CardRemovalCheck =
  /** Nothing forbidden: apply the update as it is. */
  | { kind: 'ok' }
  /** Forbidden deletions cut out: apply `update` instead (it may no longer change anything). */
  | { kind: 'stripped'; update: Uint8Array; parsed: DecodedUpdate; cardIds: string[] }
  /** Refuse the whole update. */
  | { kind: 'refused'; cardIds: string[] };

/**
 * The rules for a driver's or requester's connection (coordinators are not checked): cards only
 * their own (`removesCards: 'own'`, by `createdBy`) or none, and what is no card at all; comments
 * only their own (by the comment's `userId`), and any value with no author (no comment at all).
 */
export function removalRules(userId: string, removesCards: 'own' | 'none') {
  return {
    mayRemove: (_cardId: string, card: Y.Map<unknown> | null) => !card || (removesCards === 'own' && card.get('createdBy') === userId),
    mayRemoveComment: (comment: unknown) => {
      const author = typeof comment === 'object' && comment !== null ? (comment as { userId?: unknown }).userId : undefined;
      return typeof author !== 'string' || author === userId;
    },
  };
}

/**
 * `mayRemove(cardId, card)`: whether the sender may delete that card (`card` is null for an entry
 * that is no card, e.g. the comments of a card already gone). `mayRemoveComment(value)`: whether
 * they may remove that value from a card's comments list (which holds what writers put there).
 */
export function checkCardRemovals(
  doc: Y.Doc,
  update: Uint8Array,
  parsed: DecodedUpdate,
  mayRemove: (cardId: string, card: Y.Map<unknown> | null) => boolean,
  mayRemoveComment: (comment: unknown) => boolean = () => true,
): CardRemovalCheck {
  const { cards, comments } = boardRoots(doc);

  const replaced = new Set<string>();
  for (const struct of parsed.structs) {
    if (!(struct instanceof Y.Item)) continue;
    if (struct.id.clock + struct.length <= Y.getState(doc.store, struct.id.client)) continue; // held already
    const entry = mapEntryOf(doc, struct);
    if (!entry) continue;
    if (entry.parent === cards && cards.has(entry.key) && !mayRemove(entry.key, cardMap(doc, entry.key))) replaced.add(entry.key);
    // Who may delete a card goes by its `createdBy`, so whoever may not delete it may not rewrite
    // that either (our clients never change it after creating the card).
    const card = entry.parent as Y.AbstractType<unknown>;
    if (entry.key === 'createdBy' && card instanceof Y.Map && card._item?.parent === cards) {
      const cardId = card._item.parentSub!;
      if (cardMap(doc, cardId) === card && !mayRemove(cardId, card)) replaced.add(cardId);
    }
  }
  if (replaced.size > 0) return { kind: 'refused', cardIds: [...replaced] };

  // Delete-set ranges (per client) that would delete a card or comments entry the sender may not.
  const cut = new Map<number, Array<{ clock: number; len: number }>>();
  /** Cards the sender may not delete, or some of whose comments they may not remove. */
  const cardIds = new Set<string>();
  const cutOut = (client: number, clock: number, len: number, cardId: string) => {
    let cuts = cut.get(client);
    if (!cuts) cut.set(client, (cuts = []));
    cuts.push({ clock, len });
    cardIds.add(cardId);
  };
  for (const [client, deletes] of parsed.ds.clients) {
    const structs = doc.store.clients.get(client);
    if (!structs) continue;
    const state = Y.getState(doc.store, client);
    for (const { clock, len } of deletes) {
      const end = Math.min(clock + len, state);
      if (len <= 0 || clock >= end) continue;
      for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i]!.id.clock < end; i++) {
        const item = structs[i]!;
        if (!(item instanceof Y.Item) || item.deleted) continue;
        // Deleting an entry deletes everything in it too (a card's fields, its notes' text, its
        // comments), and all of that is in the delete set: kept with the entry, or cut with it.
        const entry = rootEntryItem(item);
        if (!entry || (entry.parent !== cards && entry.parent !== comments)) continue;
        if (entry !== item && !Y.isDeleted(parsed.ds, entry.id)) {
          // An edit inside an entry that stays; of those, removing a comment is checked.
          const list = entry.content instanceof Y.ContentType ? entry.content.type : null;
          if (entry.parent !== comments || item.parent !== list || !(item.content instanceof Y.ContentAny)) continue;
          // One item holds consecutive comments pushed by one client: check the deleted ones.
          const from = Math.max(clock, item.id.clock);
          const to = Math.min(end, item.id.clock + item.length);
          for (let c = from; c < to; c++) {
            if (!mayRemoveComment(item.content.arr[c - item.id.clock])) cutOut(client, c, 1, entry.parentSub!);
          }
          continue;
        }
        const key = entry.parentSub!;
        if (entry.parent === comments && !cards.has(key)) continue; // comments of no card
        if (!mayRemove(key, cardMap(doc, key))) cutOut(client, item.id.clock, item.length, key);
      }
    }
  }
  if (cut.size === 0) return { kind: 'ok' };

  // An update is its structs, then its delete set. The original delete set, written back the way
  // Yjs writes it, must be exactly the update's tail: then the structs are everything before it.
  const tail = encodeDeleteSet(parsed.ds.clients);
  if (tail.byteLength > update.byteLength || !endsWith(update, tail)) return { kind: 'refused', cardIds: [...cardIds] };
  const kept = new Map<number, Array<{ clock: number; len: number }>>();
  for (const [client, deletes] of parsed.ds.clients) {
    const ranges = subtract(deletes, cut.get(client) ?? []);
    if (ranges.length > 0) kept.set(client, ranges);
  }
  const structsPart = update.subarray(0, update.byteLength - tail.byteLength);
  const keptTail = encodeDeleteSet(kept);
  const stripped = new Uint8Array(structsPart.byteLength + keptTail.byteLength);
  stripped.set(structsPart);
  stripped.set(keptTail, structsPart.byteLength);
  return { kind: 'stripped', update: stripped, parsed: Y.decodeUpdate(stripped), cardIds: [...cardIds] };
}

/**
 * The map (top-level or nested) and key a new struct is set under, if it is a map entry. A struct
 * with no left or right neighbour names its parent (a root type's name, or the id of the item that
 * holds a nested type) and its key; otherwise both are those of the neighbour it was inserted next
 * to, which for a map entry is the value it replaces. Null for anything else, and when what it
 * points to is not in the document (then it comes in the same update, and is checked itself).
 */
function mapEntryOf(doc: Y.Doc, struct: Y.Item): { parent: unknown; key: string } | null {
  const parent = struct.parent as unknown;
  if (typeof parent === 'string') return struct.parentSub === null ? null : { parent: doc.share.get(parent), key: struct.parentSub };
  if (parent !== null) {
    const holder = itemAt(doc, parent as Y.ID);
    return holder?.content instanceof Y.ContentType && struct.parentSub !== null ? { parent: holder.content.type, key: struct.parentSub } : null;
  }
  for (const id of [struct.origin, struct.rightOrigin]) {
    if (!id) continue;
    const neighbour = itemAt(doc, id);
    if (!neighbour) continue;
    return neighbour.parentSub === null ? null : { parent: neighbour.parent, key: neighbour.parentSub };
  }
  return null;
}

/** The item of the document holding clock `id` (the item may start before it), if any. */
function itemAt(doc: Y.Doc, id: Y.ID): Y.Item | null {
  const structs = doc.store.clients.get(id.client);
  if (!structs || id.clock >= Y.getState(doc.store, id.client)) return null;
  const struct = structs[Y.findIndexSS(structs, id.clock)];
  return struct instanceof Y.Item ? struct : null;
}

/** The top-level map entry an item is, or is inside of; null for the items of a root array or text. */
function rootEntryItem(item: Y.Item): Y.Item | null {
  let at = item;
  for (;;) {
    const holder = (at.parent as Y.AbstractType<unknown>)._item;
    if (!holder) return at.parentSub === null ? null : at;
    at = holder;
  }
}

/**
 * `ranges` minus `cuts` (clock ranges), in the order of `ranges`. Works on range ends, never clock
 * by clock: a delete set may claim a range of billions of clocks.
 */
function subtract(ranges: Array<{ clock: number; len: number }>, cuts: Array<{ clock: number; len: number }>) {
  if (cuts.length === 0) return ranges;
  const sorted = [...cuts].sort((a, b) => a.clock - b.clock);
  const out: Array<{ clock: number; len: number }> = [];
  for (const { clock, len } of ranges) {
    const end = clock + len;
    let at = clock;
    for (const c of sorted) {
      if (c.clock + c.len <= at) continue;
      if (c.clock >= end) break;
      if (c.clock > at) out.push({ clock: at, len: c.clock - at });
      at = Math.max(at, c.clock + c.len);
    }
    if (at < end) out.push({ clock: at, len: end - at });
  }
  return out;
}

function endsWith(bytes: Uint8Array, tail: Uint8Array): boolean {
  const offset = bytes.byteLength - tail.byteLength;
  for (let i = 0; i < tail.byteLength; i++) if (bytes[offset + i] !== tail[i]) return false;
  return true;
}
