/**
 * What to tell the user when the server has decided an intent: plain sentences naming the card,
 * who and when. "You claimed Weekly grocery box"; "Sam Okafor claimed Weekly grocery box at 14:02
 * while you were offline". Also the "pending" line shown on a card while its intent waits.
 * Pure: unit-tested in outcomeMessage.test.ts.
 */
import type { Booking, BookingAction } from '@delivery-board/schema/bookings';
import { formatWhen } from './bookingFormat.ts';
import type { Verdict } from './intentQueue.ts';

export type OutcomeTone = 'won' | 'lost' | 'error';

export interface OutcomeMessage {
  tone: OutcomeTone;
  text: string;
}

export interface OutcomeContext {
  /** The card's title now (or when queued); blank titles read as "an untitled card". */
  title: string;
  meId: string;
  /** For "at 14:02" vs "on 3 Jun, 14:02". */
  now?: number;
  locale?: string;
  /** The request waited in the offline queue (adds "while you were offline" to a lost race). */
  wasOffline?: boolean;
}

/** The action as a noun: "your claim", "your pickup"... */
const NOUNS: Record<BookingAction, string> = {
  claim: 'claim',
  assign: 'assignment',
  release: 'release',
  pickup: 'pickup',
  deliver: 'delivery',
  cancel: 'cancellation',
  reopen: 'reopening',
};

/** The pending line's first word(s): "Claim pending — …". */
const PENDING: Record<BookingAction, string> = {
  claim: 'Claim',
  assign: 'Assignment',
  release: 'Release',
  pickup: 'Pickup',
  deliver: 'Delivery',
  cancel: 'Cancellation',
  reopen: 'Reopen',
};

function cardName(title: string): string {
  return title.trim() || 'an untitled card';
}

/** The short form for the card list: "Claim pending". */
export function pendingShort(action: BookingAction): string {
  return `${PENDING[action]} pending`;
}

/**
 * "Claim pending — will be sent when you're back online". When the browser is online the wait is
 * for the server (busy, or the card still syncing), and the line says so.
 */
export function pendingText(action: BookingAction, browserOnline = false): string {
  return browserOnline
    ? `${PENDING[action]} pending — will be sent as soon as the server answers`
    : `${PENDING[action]} pending — will be sent when you're back online`;
}

/** The success sentence for an action the server accepted. */
export function wonText(action: BookingAction, booking: Booking, title: string): string {
  const card = cardName(title);
  switch (action) {
    case 'claim':
      return `You claimed ${card}`;
    case 'assign':
      return booking.driverName ? `You assigned ${card} to ${booking.driverName}` : `You assigned ${card}`;
    case 'release':
      return `You released ${card}`;
    case 'pickup':
      return `You picked up ${card}`;
    case 'deliver':
      return `You delivered ${card}`;
    case 'cancel':
      return `You cancelled ${card}`;
    case 'reopen':
      return `You reopened ${card}`;
  }
}

/**
 * The sentence for a request that lost: the card changed before it arrived. Says who has the card
 * now and since when, and for anything but a claim, that the user's action was not recorded.
 */
export function lostText(action: BookingAction, booking: Booking, ctx: OutcomeContext): string {
  const card = cardName(ctx.title);
  const when = booking.at > 0 ? ` at ${formatWhen(booking.at, ctx.now, ctx.locale)}` : '';
  const offline = ctx.wasOffline ? ' while you were offline' : '';
  const notRecorded = action === 'claim' ? '' : `, so your ${NOUNS[action]} was not recorded`;
  const mine = booking.driverId === ctx.meId;
  const driver = booking.driverName || 'Another driver';
  switch (booking.status) {
    case 'claimed':
      if (mine) return `${capitalise(card)} was already claimed by you${when}`;
      return `${driver} claimed ${card}${when}${offline}${notRecorded}`;
    case 'picked_up':
      if (mine) return `${capitalise(card)} was already picked up by you${when}`;
      return `${driver} picked up ${card}${when}${offline}${notRecorded}`;
    case 'delivered':
      if (mine) return `${capitalise(card)} was already delivered by you${when}`;
      return `${driver} delivered ${card}${when}${offline}${notRecorded}`;
    case 'cancelled':
      return `${capitalise(card)} was cancelled${when}${offline}, so your ${NOUNS[action]} was not recorded`;
    case 'open':
      return booking.version > 0
        ? `${capitalise(card)} was released${when}${offline}, so your ${NOUNS[action]} was not recorded`
        : `${capitalise(card)} is still open, so your ${NOUNS[action]} was not recorded`;
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The message for a settled intent (won, lost, refused); null for verdicts that keep it queued. */
export function outcomeMessage(action: BookingAction, verdict: Verdict, ctx: OutcomeContext): OutcomeMessage | null {
  switch (verdict.kind) {
    case 'won':
      return { tone: 'won', text: wonText(action, verdict.booking, ctx.title) };
    case 'lost':
      return { tone: 'lost', text: lostText(action, verdict.booking, ctx) };
    case 'refused':
      return { tone: 'error', text: `Your ${NOUNS[action]} of ${cardName(ctx.title)} was not accepted: ${verdict.message}` };
    case 'signedOut':
      return { tone: 'error', text: `Sign in again to send your ${NOUNS[action]} of ${cardName(ctx.title)}.` };
    case 'retry':
      return null;
  }
}
