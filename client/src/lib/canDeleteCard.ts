/**
 * Who may delete a card from the board. Deleting removes it for everyone, booking included (the
 * server cancels a held card), so it is a coordinator's decision; a requester may take back their
 * own request only while no driver has taken it on (open, or cancelled). Drivers never: one could
 * otherwise delete a card another driver holds. The server enforces the role part of this rule too
 * (server/src/sync/cardRemovals.ts: requesters their own cards in any state) and records every deletion.
 */
import type { CardData } from '@delivery-board/schema/boardDoc';
import type { Booking } from '@delivery-board/schema/bookings';
import type { Role } from '@delivery-board/schema/types';

export function canDeleteCard(role: Role | null | undefined, userId: string | null, card: Pick<CardData, 'createdBy'>, booking: Booking | null | undefined): boolean {
  if (role === 'coordinator') return true;
  if (role !== 'requester' || !userId || card.createdBy !== userId) return false;
  // An unknown booking is not known to be free.
  return !!booking && (booking.status === 'open' || booking.status === 'cancelled');
}
