/** One card in the board list: title, route, time window, priority and item count. Links to its editor. */
import { Show } from 'solid-js';
import type { CardData } from '@delivery-board/schema/boardDoc';
import { formatWindow, itemsLabel } from '../lib/cardFormat.ts';
import { PriorityBadge } from './Badges.tsx';
import { Link } from './Link.tsx';

export interface CardItemProps {
  card: CardData;
  href: string;
  selected: boolean;
}

export function CardItem(props: CardItemProps) {
  const windowText = () => formatWindow(props.card.windowStart, props.card.windowEnd);
  return (
    <li>
      <Link
        href={props.href}
        keepScroll
        class="card-item"
        classList={{ selected: props.selected }}
        aria-current={props.selected ? 'true' : undefined}
        data-testid="card-item"
        data-card-id={props.card.id}
      >
        <div class="card-item-top">
          <span class="card-item-title" classList={{ untitled: !props.card.title.trim() }} data-testid="card-item-title">
            {props.card.title.trim() || 'Untitled card'}
          </span>
          {/* Booking status badge goes first in this row once bookings sync. */}
          <span class="card-item-badges">
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
      </Link>
    </li>
  );
}
