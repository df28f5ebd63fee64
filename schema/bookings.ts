/**
 * The booking state machine, as a pure function shared by server (which decides) and client
 * (which shows only the buttons that can work). See ARCHITECTURE.md "Who decides what".
 *
 *   open → claimed → picked_up → delivered
 *   claimed | picked_up → open        (release: the holding driver or a coordinator)
 *   any but delivered → cancelled     (cancel: a coordinator, or the requester who created the card)
 *   cancelled → open                  (reopen: a coordinator)
 */
import type { Role } from './types.ts';

export const BOOKING_STATUSES = ['open', 'claimed', 'picked_up', 'delivered', 'cancelled'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];
/** The statuses in which a driver holds the card (it is theirs to move on). */
export const HELD_STATUSES = ['claimed', 'picked_up'] as const satisfies readonly BookingStatus[];

/** True while `userId` holds the card (claimed or picked up by them). */
export function holds(b: Pick<Booking, 'driverId' | 'status'>, userId: string | null): boolean {
  return !!userId && b.driverId === userId && (HELD_STATUSES as readonly BookingStatus[]).includes(b.status);
}

export const BOOKING_ACTIONS = ['claim', 'assign', 'release', 'pickup', 'deliver', 'cancel', 'reopen'] as const;
export type BookingAction = (typeof BOOKING_ACTIONS)[number];

export interface Booking {
  cardId: string;
  status: BookingStatus;
  driverId: string | null;
  driverName: string | null;
  /**
   * Who made the last transition (the driver who claimed, the coordinator who assigned, whoever
   * deleted the card…): null before the first one, and on bookings written before this field
   * existed. Clients use it to tell their own changes, made on another device, from other people's.
   */
  byId: string | null;
  /** When the last transition happened (ms). */
  at: number;
  version: number;
}

export const openBooking = (cardId: string): Booking => ({ cardId, status: 'open', driverId: null, driverName: null, byId: null, at: 0, version: 0 });

export interface Actor {
  userId: string;
  name: string;
  role: Role;
}

export type Decision =
  | { ok: true; status: BookingStatus; driverId: string | null; driverName: string | null }
  /**
   * forbidden: this actor may never do this action on this card (403). conflict: not now (409);
   * `code` is the error code (`conflict`, or `card_untitled` for a card not ready to be taken).
   */
  | { ok: false; kind: 'forbidden' | 'conflict'; code?: 'card_untitled'; message: string };

const forbidden = (message: string): Decision => ({ ok: false, kind: 'forbidden', message });
const conflict = (message: string): Decision => ({ ok: false, kind: 'conflict', message });
/**
 * A card appears on every driver's screen the moment a coordinator presses "New card", before they
 * have typed anything: nobody can know what they would be taking on, so it cannot be taken yet.
 */
const untitled: Decision = { ok: false, kind: 'conflict', code: 'card_untitled', message: 'This card has no title yet. It can be claimed once it has one.' };

const label: Record<BookingStatus, string> = {
  open: 'open',
  claimed: 'claimed',
  picked_up: 'picked up',
  delivered: 'delivered',
  cancelled: 'cancelled',
};

/**
 * Decides one transition. `cardCreatedBy` is the card's author (requesters may cancel their own),
 * `assignee` the driver named by `assign`, `cardTitled` whether the card has a title (claim and
 * assign need one; unknown counts as titled).
 */
export function decide(
  booking: Booking,
  action: BookingAction,
  actor: Actor,
  context: { cardCreatedBy: string | null; assignee?: { id: string; name: string }; cardTitled?: boolean },
): Decision {
  const { role } = actor;
  const isCoordinator = role === 'coordinator';
  const holding = holds(booking, actor.userId);
  const state = booking.status;
  const busy = () => conflict(`This card is ${label[state]}${booking.driverName ? ` by ${booking.driverName}` : ''}`);

  switch (action) {
    case 'claim':
      if (role !== 'driver' && !isCoordinator) return forbidden('Only drivers and coordinators can claim cards');
      if (state !== 'open') return busy();
      if (context.cardTitled === false) return untitled;
      return { ok: true, status: 'claimed', driverId: actor.userId, driverName: actor.name };
    case 'assign':
      if (!isCoordinator) return forbidden('Only coordinators can assign cards');
      if (state !== 'open') return busy();
      if (context.cardTitled === false) return untitled;
      if (!context.assignee) return conflict('Choose a driver to assign');
      return { ok: true, status: 'claimed', driverId: context.assignee.id, driverName: context.assignee.name };
    case 'release':
      if (role !== 'driver' && !isCoordinator) return forbidden('Only the driver holding a card or a coordinator can release it');
      if (state !== 'claimed' && state !== 'picked_up') return busy();
      if (!isCoordinator && !holding) return busy();
      return { ok: true, status: 'open', driverId: null, driverName: null };
    case 'pickup':
    case 'deliver': {
      if (role !== 'driver' && !isCoordinator) return forbidden('Only the driver holding a card can mark it');
      const from = action === 'pickup' ? 'claimed' : 'picked_up';
      if (state !== from || !holding) return busy();
      return { ok: true, status: action === 'pickup' ? 'picked_up' : 'delivered', driverId: booking.driverId, driverName: booking.driverName };
    }
    case 'cancel':
      if (!isCoordinator && !(role === 'requester' && context.cardCreatedBy === actor.userId)) {
        return forbidden('Only coordinators and the requester who created the card can cancel it');
      }
      if (state === 'delivered' || state === 'cancelled') return busy();
      return { ok: true, status: 'cancelled', driverId: null, driverName: null };
    case 'reopen':
      if (!isCoordinator) return forbidden('Only coordinators can reopen cards');
      if (state !== 'cancelled') return busy();
      return { ok: true, status: 'open', driverId: null, driverName: null };
  }
}
