/**
 * Pure rules for showing bookings: status words, the list's status filter, which actions a member
 * can take now (schema/bookings.ts `decide`, the same function the server decides with), conflict
 * messages and timeline lines. No DOM, no Yjs: unit-tested in bookingFormat.test.ts.
 */
import {
  BOOKING_ACTIONS,
  BOOKING_STATUSES,
  decide,
  openBooking,
  type Actor,
  type Booking,
  type BookingAction,
  type BookingStatus,
} from '@delivery-board/schema/bookings';
import { DELIVERY_ROLES, type Role } from '@delivery-board/schema/types';

export const STATUS_LABELS: Record<BookingStatus, string> = {
  open: 'Open',
  claimed: 'Claimed',
  picked_up: 'Picked up',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
};

/**
 * One entry of the bookings map, read defensively: the document comes from the network or from
 * IndexedDB, so anything malformed counts as open rather than breaking the list.
 */
export function readBooking(cardId: string, raw: unknown): Booking {
  if (!raw || typeof raw !== 'object') return openBooking(cardId);
  const r = raw as Record<string, unknown>;
  const status = BOOKING_STATUSES.includes(r.status as BookingStatus) ? (r.status as BookingStatus) : 'open';
  return {
    cardId,
    status,
    driverId: typeof r.driverId === 'string' ? r.driverId : null,
    driverName: typeof r.driverName === 'string' ? r.driverName : null,
    byId: typeof r.byId === 'string' ? r.byId : null,
    at: typeof r.at === 'number' ? r.at : 0,
    version: typeof r.version === 'number' ? r.version : 0,
  };
}

/** The newer of two views of one card's booking (the server never moves a card back in version). */
export function newerBooking(a: Booking | undefined, b: Booking | undefined): Booking | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.version > a.version ? b : a;
}

/** Who, in words: "you" for the signed-in user, else the driver's name. */
function who(b: Booking, meId: string | null): string {
  if (meId && b.driverId === meId) return 'you';
  return b.driverName || 'a driver';
}

/** The status as a short label with the driver: "Open", "Claimed by Sam Okafor", "Picked up by you"... */
export function statusText(b: Booking, meId: string | null): string {
  switch (b.status) {
    case 'open':
    case 'cancelled':
      return STATUS_LABELS[b.status];
    case 'claimed':
    case 'picked_up':
    case 'delivered':
      return b.driverId || b.driverName ? `${STATUS_LABELS[b.status]} by ${who(b, meId)}` : STATUS_LABELS[b.status];
  }
}

/** The rule the server decides with (schema/bookings.ts), re-exported for the UI's callers. */
export { holds } from '@delivery-board/schema/bookings';

// ---- the status filter ----

export type StatusFilter = 'all' | 'mine' | BookingStatus;

/** Filter options in the order shown; `mine` means something different per role (see mineLabel). */
export const STATUS_FILTERS: readonly StatusFilter[] = ['all', 'open', 'mine', 'claimed', 'picked_up', 'delivered', 'cancelled'];

export function statusFilterLabel(filter: StatusFilter, role: Role): string {
  if (filter === 'all') return 'All statuses';
  if (filter === 'mine') return mineLabel(role) ?? 'Mine';
  return STATUS_LABELS[filter];
}

/**
 * What "mine" means for a role: drivers and coordinators see the deliveries they hold or made,
 * requesters the requests they posted; viewers have nothing of their own (null: no such option).
 */
export function mineLabel(role: Role): string | null {
  if (DELIVERY_ROLES.includes(role)) return 'My deliveries';
  if (role === 'requester') return 'My requests';
  return null;
}

/** Whether a card passes the status filter. */
export function matchesStatusFilter(b: Booking, filter: StatusFilter, ctx: { userId: string | null; role: Role; createdBy: string }): boolean {
  if (filter === 'all') return true;
  if (filter === 'mine') {
    if (!ctx.userId) return false;
    if (ctx.role === 'requester') return ctx.createdBy === ctx.userId;
    return b.driverId === ctx.userId && b.status !== 'open' && b.status !== 'cancelled';
  }
  return b.status === filter;
}

/**
 * "My deliveries": the cards a driver holds now (claimed or picked up: picked up first, then by
 * when they were claimed), and the ones they delivered (most recent first).
 */
export function myDeliveries<T extends { booking: Booking }>(items: readonly T[], userId: string | null): { active: T[]; delivered: T[] } {
  const mine = items.filter((i) => !!userId && i.booking.driverId === userId);
  const rank = (s: BookingStatus) => (s === 'picked_up' ? 0 : 1);
  return {
    active: mine
      .filter((i) => i.booking.status === 'claimed' || i.booking.status === 'picked_up')
      .sort((a, b) => rank(a.booking.status) - rank(b.booking.status) || a.booking.at - b.booking.at),
    delivered: mine.filter((i) => i.booking.status === 'delivered').sort((a, b) => b.booking.at - a.booking.at),
  };
}

// ---- actions ----

/**
 * The actions `actor` can take on the card right now, in the order buttons are shown. `assign` is
 * judged as if a driver had been chosen (the choice comes after).
 */
export function availableActions(b: Booking, actor: Actor, cardCreatedBy: string | null, cardTitled = true): BookingAction[] {
  const placeholder = { id: '', name: '' };
  return BOOKING_ACTIONS.filter((action) => decide(b, action, actor, { cardCreatedBy, cardTitled, assignee: action === 'assign' ? placeholder : undefined }).ok);
}

export const ACTION_LABELS: Record<BookingAction, string> = {
  claim: 'Claim',
  assign: 'Assign',
  release: 'Release',
  pickup: 'Picked up',
  deliver: 'Delivered',
  cancel: 'Cancel delivery',
  reopen: 'Reopen',
};

/** Button text while the request is on its way. */
export const ACTION_BUSY_LABELS: Record<BookingAction, string> = {
  claim: 'Claiming…',
  assign: 'Assigning…',
  release: 'Releasing…',
  pickup: 'Saving…',
  deliver: 'Saving…',
  cancel: 'Cancelling…',
  reopen: 'Reopening…',
};

// ---- times and messages ----

/** "14:02" today, "3 Jun, 14:02" on another day. */
export function formatWhen(at: number, now: number = Date.now(), locale?: string): string {
  const d = new Date(at);
  const n = new Date(now);
  const time = new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(d);
  const sameDay = d.getFullYear() === n.getFullYear() && d.getMonth() === n.getMonth() && d.getDate() === n.getDate();
  if (sameDay) return time;
  return `${new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' }).format(d)}, ${time}`;
}

/**
 * The plain sentence for a 409 answered while online: the card's current state, who and when.
 * "Already claimed by Sam Okafor at 14:02".
 */
export function conflictMessage(b: Booking, meId: string | null, now: number = Date.now(), locale?: string): string {
  const when = b.at > 0 ? ` at ${formatWhen(b.at, now, locale)}` : '';
  switch (b.status) {
    case 'claimed':
      return `Already claimed by ${who(b, meId)}${when}`;
    case 'picked_up':
      return `Already picked up by ${who(b, meId)}${when}`;
    case 'delivered':
      return `Already delivered by ${who(b, meId)}${when}`;
    case 'cancelled':
      return `This delivery was cancelled${when}`;
    case 'open':
      return b.at > 0 ? `This card is open again (released${when})` : 'This card is open';
  }
}

/**
 * One timeline line, in words: "Sam Okafor claimed it", "Amira Haddad assigned it to Sam Okafor".
 * `driverName` is the driver holding the card after the transition (the server's audit row); rows
 * written without it (and older servers) still read "assigned it to a driver".
 */
export function timelineText(entry: { action: string; actorName: string | null; driverName?: string | null }): string {
  const actor = entry.actorName || 'Someone';
  const phrases: Record<string, string> = {
    'booking.claim': 'claimed it',
    'booking.assign': `assigned it to ${entry.driverName?.trim() || 'a driver'}`,
    'booking.release': 'released it',
    'booking.pickup': 'picked it up',
    'booking.deliver': 'delivered it',
    'booking.cancel': 'cancelled it',
    'booking.reopen': 'reopened it',
    'card.created': 'posted the card',
    'card.deleted': 'deleted the card',
    'card.private_updated': 'updated the private details',
    'tracking.created': 'shared a tracking link',
    'tracking.revoked': 'revoked a tracking link',
  };
  return `${actor} ${phrases[entry.action] ?? entry.action.replace(/[._]/g, ' ')}`;
}

/** A status value from the server as a label, tolerating values this client does not know. */
export function statusLabel(status: string | null | undefined): string {
  return status && status in STATUS_LABELS ? STATUS_LABELS[status as BookingStatus] : (status ?? '');
}
