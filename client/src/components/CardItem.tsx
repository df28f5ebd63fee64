/**
 * One card in the board list: title, booking status, route, time window, priority and item count,
 * and a note while one of this user's booking intents waits for the network. Links to its editor.
 */
import { Show } from 'solid-js';
import type { CardData } from '@delivery-board/schema/boardDoc';
import type { Booking } from '@delivery-board/schema/bookings';
import { formatWindow, itemsLabel } from '../lib/cardFormat.ts';
import type { QueuedIntent } from '../lib/intentQueue.ts';
import { pendingShort } from '../lib/outcomeMessage.ts';
import { PriorityBadge, StatusBadge } from './Badges.tsx';
import { Link } from './Link.tsx';

export interface CardItemProps {
  card: CardData;
  href: string;
  selected: boolean;
  booking: Booking;
  /** The signed-in user (for "Claimed by you"). */
  meId: string | null;
  pending?: QueuedIntent;
}

export function CardItem(props: CardItemProps) {
  const windowText = () => formatWindow(props.card.windowStart, props.card.windowEnd);
  return (
    <li>
      <Link
        href={props.href}
        keepScroll
        class={`card-item card-status-${props.booking.status}`}
        classList={{ selected: props.selected }}
        aria-current={props.selected ? 'true' : undefined}
        data-testid="card-item"
        data-card-id={props.card.id}
      >
        <div class="card-item-top">
          <span class="card-item-title" classList={{ untitled: !props.card.title.trim() }} data-testid="card-item-title">
            {props.card.title.trim() || 'Untitled card'}
          </span>
          <span class="card-item-badges">
            <StatusBadge booking={props.booking} meId={props.meId} />
            <Show when={props.card.priority !== 'normal'}>
              <PriorityBadge priority={props.card.priority} />
            </Show>
          </span>
        </div>
        <Show when={props.card.pickup?.label || props.card.dropoff?.label}>
          <p class="card-item-route" data-testid="card-item-route">
            <span class="place">{props.card.pickup?.label || 'Pickup not set'}</span>
            <span class="arrow" aria-hidden="true">
              →
            </span>
            <span class="visually-hidden">to</span>
            <span class="place">{props.card.dropoff?.label || 'Drop-off not set'}</span>
          </p>
        </Show>
        <div class="card-item-meta">
          <Show when={windowText()}>
            <span data-testid="card-item-window">{windowText()}</span>
          </Show>
          <Show when={props.card.items.length > 0}>
            <span data-testid="card-item-items">{itemsLabel(props.card.items.length)}</span>
          </Show>
          {props.card.tags.map((tag) => (
            <span class="tag">{tag}</span>
          ))}
        </div>
        <Show when={props.pending}>
          {(intent) => (
            <p class="card-item-pending" data-testid="card-pending">
              <span class="pending-mark" aria-hidden="true" />
              {pendingShort(intent().action)}
            </p>
          )}
        </Show>
      </Link>
    </li>
  );
}
