/**
 * One card in a list: title, booking status, route, time window, item count, distance and tags,
 * who else has it open, and a note while one of this user's booking intents waits for the network.
 * Links to its editor. Every card has the same three lines (four on a phone, where the badges and
 * tags get one of their own; nothing wraps; long text is cut with an ellipsis, a pickup and a
 * drop-off each their own part), so all rows are one height and the board list can be windowed
 * (VirtualCardList.tsx). The caller wraps it in an `<li>`.
 */
import { Show } from 'solid-js';
import type { CardData } from '@delivery-board/schema/boardDoc';
import type { Booking } from '@delivery-board/schema/bookings';
import { formatDistance, isLate } from '../lib/cardFilters.ts';
import { minuteClock } from '../lib/minuteClock.ts';
import { formatWindow, itemsLabel, placeName } from '../lib/cardFormat.ts';
import type { QueuedIntent } from '../lib/intentQueue.ts';
import { pendingShort } from '../lib/outcomeMessage.ts';
import { presenceSentence, type PresentUser } from '../lib/presenceFormat.ts';
import { AvatarStack } from './Avatar.tsx';
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
  /** Others who have this card open (presence), editors first. */
  present?: readonly PresentUser[];
  /** Distance from the device, when both are known. */
  distanceKm?: number | null;
}

export function CardItem(props: CardItemProps) {
  const windowText = () => formatWindow(props.card.windowStart, props.card.windowEnd);
  const editor = () => props.present?.find((u) => u.editing.includes(props.card.id));
  const pickup = () => placeName(props.card.pickup);
  const dropoff = () => placeName(props.card.dropoff);
  const hasRoute = () => !!(pickup() || dropoff());
  return (
    <Link
      href={props.href}
      keepScroll
      class={`card-item card-status-${props.booking.status}`}
      classList={{ selected: props.selected, 'card-item-busy': !!editor() }}
      style={editor() ? { '--busy-color': editor()!.color } : undefined}
      aria-current={props.selected ? 'true' : undefined}
      data-testid="card-item"
      data-card-id={props.card.id}
    >
      <div class="card-item-top">
        <span class="card-item-title" classList={{ untitled: !props.card.title.trim() }} data-testid="card-item-title">
          {props.card.title.trim() || 'Untitled card'}
        </span>
        <span class="card-item-badges">
          <Show when={props.present?.length}>
            <AvatarStack
              users={props.present!}
              size="small"
              max={3}
              editingCard={props.card.id}
              label={`. ${presenceSentence(props.present!, props.card.id)}.`}
              testid="card-presence"
            />
          </Show>
          <StatusBadge booking={props.booking} meId={props.meId} />
          <Show when={props.card.priority !== 'normal'}>
            <PriorityBadge priority={props.card.priority} />
          </Show>
          {/* On a phone the tags show here, on the badges' own line where there is room for
              them, instead of at the end of the meta line (cards.css). */}
          {props.card.tags.map((tag) => (
            <span class="tag tag-narrow">{tag}</span>
          ))}
        </span>
      </div>
      <p class="card-item-route" classList={{ 'no-route': !hasRoute() }} data-testid="card-item-route">
        <Show when={hasRoute()} fallback="No pickup or drop-off yet">
          <span class="place">{pickup() || 'Pickup not set'}</span>
          <span class="arrow" aria-hidden="true">
            →
          </span>
          <span class="visually-hidden">to</span>
          <span class="place">{dropoff() || 'Drop-off not set'}</span>
        </Show>
      </p>
      <div class="card-item-meta">
        <Show when={props.pending}>
          {(intent) => (
            <span class="card-item-pending" data-testid="card-pending">
              <span class="pending-mark" aria-hidden="true" />
              {pendingShort(intent().action)}
            </span>
          )}
        </Show>
        <Show when={isLate(props.card, props.booking.status, minuteClock())}>
          <span class="card-item-late" data-testid="card-item-late">
            Late
          </span>
        </Show>
        <span class="card-item-window" data-testid="card-item-window">
          {windowText() || 'Any time'}
        </span>
        <Show when={props.card.items.length > 0}>
          <span data-testid="card-item-items">{itemsLabel(props.card.items.length)}</span>
        </Show>
        <Show when={props.distanceKm != null}>
          <span data-testid="card-item-distance">{formatDistance(props.distanceKm!)} away</span>
        </Show>
        <Show when={props.card.tags.length > 0}>
          <span class="card-item-tags">
            {props.card.tags.map((tag) => (
              <span class="tag">{tag}</span>
            ))}
          </span>
        </Show>
      </div>
    </Link>
  );
}
