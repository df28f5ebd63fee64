/**
 * One card as its members see it: the booking (status and the buttons this member can use) and the
 * private details above the card's fields, tracking links and the timeline below them.
 */
import { createSignal } from 'solid-js';
import type * as Y from 'yjs';
import type { CardData } from '@delivery-board/schema/boardDoc';
import type { Booking } from '@delivery-board/schema/bookings';
import type { Member, Role } from '@delivery-board/schema/types';
import type { QueuedIntent } from '../lib/intentQueue.ts';
import type { PresentUser } from '../lib/presenceFormat.ts';
import { BookingPanel } from './BookingPanel.tsx';
import { CardBookingDetails } from './CardBookingDetails.tsx';
import { CardEditor } from './CardEditor.tsx';
import type { PlaceTools } from './PlaceFields.tsx';
import { PrivateDetails } from './PrivateDetails.tsx';

export interface CardViewProps {
  doc: Y.Doc;
  boardId: string;
  card: CardData;
  booking: Booking;
  role: Role;
  user: { id: string; name: string } | null;
  readOnly: boolean;
  readOnlyNote?: string | null;
  onClose: () => void;
  focusTitle?: boolean;
  drivers?: Member[];
  driversError?: string | null;
  pending?: QueuedIntent;
  online: boolean;
  /** Shown in the editor's head while the board is away (see CardEditor). */
  syncNote?: string | null;
  /** Whether this device's edit that made the item with that Yjs id is still unsent (createDurableState). */
  isUnsent?: (id: Y.ID) => boolean;
  /** Others who have this card open (presence). */
  present?: readonly PresentUser[];
  /** Map picking and address lookup for the pickup and drop-off. */
  placeTools?: PlaceTools;
}

export function CardView(props: CardViewProps) {
  // Saving private details adds a timeline row: reload the timeline then.
  const [saves, setSaves] = createSignal(0);
  return (
    <CardEditor
      doc={props.doc}
      card={props.card}
      readOnly={props.readOnly}
      readOnlyNote={props.readOnlyNote}
      onClose={props.onClose}
      focusTitle={props.focusTitle}
      present={props.present}
      syncNote={props.syncNote}
      isUnsent={props.isUnsent}
      placeTools={props.placeTools}
      role={props.role}
      user={props.user}
      booking={props.booking}
      top={
        props.user && (
          <>
            <BookingPanel
              boardId={props.boardId}
              card={props.card}
              booking={props.booking}
              role={props.role}
              user={props.user}
              drivers={props.drivers}
              driversError={props.driversError}
              pending={props.pending}
              online={props.online}
            />
            <PrivateDetails
              boardId={props.boardId}
              card={props.card}
              booking={props.booking}
              role={props.role}
              userId={props.user.id}
              online={props.online}
              onSaved={() => setSaves((n) => n + 1)}
            />
          </>
        )
      }
      bottom={
        props.user && (
          <CardBookingDetails
            boardId={props.boardId}
            card={props.card}
            booking={props.booking}
            role={props.role}
            userId={props.user.id}
            refreshKey={saves()}
          />
        )
      }
    />
  );
}
