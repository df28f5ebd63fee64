/** The board's cards, filtered and sorted, with an empty state that says what to do next. */
import { For, Show } from 'solid-js';
import type { CardData } from '@delivery-board/schema/boardDoc';
import type { Booking } from '@delivery-board/schema/bookings';
import type { QueuedIntent } from '../lib/intentQueue.ts';
import { CardItem } from './CardItem.tsx';

export interface CardListProps {
  cards: CardData[];
  /** How many cards the board has before filtering (to tell "no cards" from "no matches"). */
  total: number;
  selectedId: string | null;
  hrefFor: (id: string) => string;
  canCreate: boolean;
  bookingFor: (id: string) => Booking;
  pendingFor: (id: string) => QueuedIntent | undefined;
  meId: string | null;
}

export function CardList(props: CardListProps) {
  return (
    <Show
      when={props.cards.length > 0}
      fallback={
        <div class="empty" data-testid="cards-empty">
          <Show when={props.total === 0} fallback={<p>No cards match your search and filter.</p>}>
            <p class="empty-title">No deliveries on this board yet.</p>
            <p>{props.canCreate ? 'Use “New card” to post the first one.' : 'Cards will appear here as soon as someone posts one.'}</p>
          </Show>
        </div>
      }
    >
      <ul class="card-list" data-testid="card-list">
        <For each={props.cards}>
          {(card) => (
            <CardItem
              card={card}
              href={props.hrefFor(card.id)}
              selected={card.id === props.selectedId}
              booking={props.bookingFor(card.id)}
              pending={props.pendingFor(card.id)}
              meId={props.meId}
            />
          )}
        </For>
      </ul>
    </Show>
  );
}
