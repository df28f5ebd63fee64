/**
 * The server-kept parts of the card view below the card's fields: private details, tracking links
 * and the timeline. Changes made here add timeline rows, so they refresh the timeline too.
 */
import { createSignal } from 'solid-js';
import type { CardData } from '@delivery-board/schema/boardDoc';
import type { Booking } from '@delivery-board/schema/bookings';
import type { Role } from '@delivery-board/schema/types';
import { Timeline } from './Timeline.tsx';
import { TrackingLinks } from './TrackingLinks.tsx';

export interface CardBookingDetailsProps {
  boardId: string;
  card: CardData;
  booking: Booking;
  role: Role;
  userId: string;
  /** Bumped by the private details panel (rendered elsewhere) when it saves. */
  refreshKey?: number;
}

export function CardBookingDetails(props: CardBookingDetailsProps) {
  const [bump, setBump] = createSignal(0);
  return (
    <>
      <TrackingLinks boardId={props.boardId} card={props.card} role={props.role} userId={props.userId} onChanged={() => setBump((n) => n + 1)} />
      <Timeline boardId={props.boardId} cardId={props.card.id} version={props.booking.version} refreshKey={bump() + (props.refreshKey ?? 0)} />
    </>
  );
}
