/**
 * Pure rules for what to tell a member about changes others made (notifications): from booking
 * changes (the server-written bookings document) and from card edits (the board document) that did
 * not come from this device. No DOM, no Yjs: unit-tested in notifications.test.ts.
 *
 * - A card I created was claimed, picked up or delivered by someone else.
 * - A card I hold was cancelled, deleted, or released by someone else (I no longer hold it).
 * - I was assigned a card (claimed for me by a coordinator).
 * - A card I hold was changed (which fields).
 */
import type { CardData } from '@delivery-board/schema/boardDoc';
import type { Booking } from '@delivery-board/schema/bookings';
import { holds } from './bookingFormat.ts';

export interface Notice {
  /** Stable per event, used as the notification tag (a repeat replaces, never stacks). */
  key: string;
  cardId: string;
  title: string;
  body: string;
}

export interface BookingChangeLike {
  cardId: string;
  before: Booking | null;
  after: Booking | null;
}

export interface NoticeContext {
  meId: string | null;
  /** The card as this device has it (title, author), or undefined when unknown here. */
  cardFor(cardId: string): Pick<CardData, 'title' | 'createdBy'> | undefined;
  /**
   * A card this user held that has since been deleted from the board: its last version seen here.
   * The server cancels a booked card that someone deletes, and that cancel arrives after the card
   * is gone, so without it the notice could neither name the card nor say what happened to it.
   */
  removedCard?(cardId: string): Pick<CardData, 'title'> | undefined;
  /**
   * This user has a transition of the card under way (sent and not yet answered, or queued): the
   * change is their own doing. Not "acted on it lately": a change others make after the user's own
   * request was answered is news, however soon it comes (createIntentQueue.ts `actedRecently`).
   */
  actedByMe(cardId: string): boolean;
  /** Ignore bookings decided before this time (ms): old news arriving with a first sync. */
  since: number;
}

const quote = (title: string | undefined) => `“${title?.trim() || 'Untitled card'}”`;
const who = (b: Booking) => b.driverName || 'A driver';

/**
 * Notices for booking changes others made. The booking says who made it (`byId`), so a change this
 * user made on another device (claimed on their phone, the laptop open too) is not news either.
 */
export function bookingNotices(changes: readonly BookingChangeLike[], ctx: NoticeContext): Notice[] {
  const me = ctx.meId;
  if (!me) return [];
  const out: Notice[] = [];
  for (const { cardId, before, after } of changes) {
    if (!after || after.at < ctx.since || after.byId === me || ctx.actedByMe(cardId)) continue;
    if (before && before.status === after.status && before.driverId === after.driverId) continue;
    const card = ctx.cardFor(cardId);
    const title = quote(card?.title);
    const key = `${cardId}:${after.version}`;
    const wasMine = !!before && holds(before, me);
    if (after.status === 'claimed' && after.driverId === me && !wasMine) {
      out.push({ key, cardId, title: 'You were assigned a delivery', body: `${title} is yours now.` });
    } else if (wasMine && after.status === 'cancelled') {
      const removed = card ? undefined : ctx.removedCard?.(cardId);
      out.push(removed ? deletedNotice(cardId, removed.title) : { key, cardId, title: 'A delivery you hold was cancelled', body: `${title} was cancelled.` });
    } else if (wasMine && !holds(after, me) && after.status !== 'delivered') {
      out.push({ key, cardId, title: 'A delivery was taken off you', body: `You no longer hold ${title}.` });
    } else if (card?.createdBy === me && after.driverId !== me) {
      const verb = { claimed: 'claimed', picked_up: 'picked up', delivered: 'delivered' } as const;
      if (after.status === 'claimed' || after.status === 'picked_up' || after.status === 'delivered') {
        out.push({ key, cardId, title: `Your request was ${verb[after.status]}`, body: `${who(after)} ${verb[after.status]} ${title}.` });
      }
    }
  }
  return out;
}

const FIELD_NAMES: Partial<Record<keyof CardData, string>> = {
  title: 'title',
  notes: 'notes',
  pickup: 'pickup',
  dropoff: 'drop-off',
  windowStart: 'time window',
  windowEnd: 'time window',
  items: 'items',
  priority: 'priority',
  tags: 'tags',
};

/** Which fields (in words, no repeats) differ between two versions of a card. */
export function changedFields(before: CardData, after: CardData): string[] {
  const out: string[] = [];
  for (const [field, name] of Object.entries(FIELD_NAMES) as [keyof CardData, string][]) {
    if (JSON.stringify(before[field]) !== JSON.stringify(after[field]) && !out.includes(name)) out.push(name);
  }
  return out;
}

/** A card I held was deleted (one key, so that the two ways of learning it replace, not stack). */
const deletedNotice = (cardId: string, title: string): Notice => ({
  key: `${cardId}:deleted`,
  cardId,
  title: 'A delivery you hold was deleted',
  body: `${quote(title)} was removed from the board.`,
});

/** A notice for another member's edits of a card I hold (null when nothing I care about changed). */
export function cardChangeNotice(before: CardData, after: CardData | null, booking: Booking, meId: string | null): Notice | null {
  if (!meId || !holds(booking, meId)) return null;
  if (!after) return deletedNotice(before.id, before.title);
  const title = quote(after.title);
  const fields = changedFields(before, after);
  if (fields.length === 0) return null;
  return { key: `${after.id}:changed`, cardId: after.id, title: 'A delivery you hold was changed', body: `${title}: ${fields.join(', ')} changed.` };
}
