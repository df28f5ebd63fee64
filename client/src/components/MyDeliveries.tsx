/**
 * "My deliveries" for drivers (and coordinators who drive): the cards they hold now — picked up
 * first, then claimed — and, below, the ones they delivered, most recent first.
 */
import { For, Show } from 'solid-js';
import type { CardData } from '@delivery-board/schema/boardDoc';
import type { Booking } from '@delivery-board/schema/bookings';
import { myDeliveries } from '../lib/bookingFormat.ts';
import type { QueuedIntent } from '../lib/intentQueue.ts';
import type { PresentUser } from '../lib/presenceFormat.ts';
import { CardItem } from './CardItem.tsx';

export interface MyDeliveriesProps {
  cards: CardData[];
  bookingFor: (id: string) => Booking;
  pendingFor: (id: string) => QueuedIntent | undefined;
  meId: string | null;
  selectedId: string | null;
  hrefFor: (id: string) => string;
  /** Others who have a card open (presence). */
  presentOn?: (cardId: string) => readonly PresentUser[] | undefined;
}

export function MyDeliveries(props: MyDeliveriesProps) {
  const split = () =>
    myDeliveries(
      props.cards.map((card) => ({ card, booking: props.bookingFor(card.id) })),
      props.meId,
    );
  const item = (x: { card: CardData; booking: Booking }) => (
    <li>
      <CardItem
        card={x.card}
        href={props.hrefFor(x.card.id)}
        selected={x.card.id === props.selectedId}
        booking={x.booking}
        pending={props.pendingFor(x.card.id)}
        meId={props.meId}
        present={props.presentOn?.(x.card.id)}
      />
    </li>
  );
  return (
    <div class="my-deliveries" data-testid="my-deliveries">
      <h2 class="list-heading">
        In progress <span class="count">{split().active.length}</span>
      </h2>
      <Show
        when={split().active.length > 0}
        fallback={
          <div class="empty empty-compact" data-testid="my-active-empty">
            <p>You're not holding any deliveries. Claim an open card to start one.</p>
          </div>
        }
      >
        <ul class="card-list" data-testid="my-active">
          <For each={split().active}>{item}</For>
        </ul>
      </Show>
      <h2 class="list-heading">
        Delivered <span class="count">{split().delivered.length}</span>
      </h2>
      <Show
        when={split().delivered.length > 0}
        fallback={
          <div class="empty empty-compact" data-testid="my-delivered-empty">
            <p>Nothing delivered yet.</p>
          </div>
        }
      >
        <ul class="card-list" data-testid="my-delivered">
          <For each={split().delivered}>{item}</For>
        </ul>
      </Show>
    </div>
  );
}
