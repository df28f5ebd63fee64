/**
 * The left side of the board: the cards the filters let through as a windowed list (with the map
 * above it in map mode), or "My deliveries". Empty states say what to do next, and a board that
 * is still arriving from the server says so instead of looking empty.
 */
import { Match, Show, Switch, type JSX } from 'solid-js';
import type { CardData } from '@delivery-board/schema/boardDoc';
import type { Booking } from '@delivery-board/schema/bookings';
import type { QueuedIntent } from '../lib/intentQueue.ts';
import type { PresentUser } from '../lib/presenceFormat.ts';
import type { BoardViewMode } from './BoardToolbar.tsx';
import { CardItem } from './CardItem.tsx';
import { Loading } from './Loading.tsx';
import { MyDeliveries } from './MyDeliveries.tsx';
import { VirtualCardList, type VirtualListApi } from './VirtualCardList.tsx';

export interface BoardCardsProps {
  mode: BoardViewMode;
  cards: CardData[];
  /** Cards on the board before filtering. */
  total: number;
  /** Some filter hides cards. */
  filtered: boolean;
  /** Nothing on this device yet and the first sync has not finished. */
  waitingForServer: boolean;
  selectedId: string | null;
  hrefFor: (id: string) => string;
  canCreate: boolean;
  bookingFor: (id: string) => Booking;
  pendingFor: (id: string) => QueuedIntent | undefined;
  meId: string | null;
  presentOn: (id: string) => readonly PresentUser[] | undefined;
  distanceOf: (id: string) => number | null;
  listRef: (api: VirtualListApi) => void;
  /** The map, shown above the list in map mode. */
  map?: JSX.Element;
  /** Turns off the search and every filter (offered when they hide every card). */
  onClearFilters: () => void;
}

const count = (n: number) => (n === 1 ? '1 card' : `${n.toLocaleString()} cards`);

export function BoardCards(props: BoardCardsProps) {
  const empty = () => (
    <Show when={!props.waitingForServer} fallback={<Loading label="Loading the board from the server…" />}>
      <div class="empty" data-testid="cards-empty">
        <Show
          when={props.total === 0}
          fallback={
            <>
              <p>No cards match your search and filters.</p>
              <button type="button" class="btn btn-small" data-testid="clear-filters" onClick={() => props.onClearFilters()}>
                Clear search and filters
              </button>
            </>
          }
        >
          <p class="empty-title">No deliveries on this board yet.</p>
          <p>{props.canCreate ? 'Use “New card” to post the first one.' : 'Cards will appear here as soon as someone posts one.'}</p>
        </Show>
      </div>
    </Show>
  );
  return (
    <section class="board-list" aria-label="Cards">
      <Switch>
        <Match when={props.mode === 'mine'}>
          <MyDeliveries
            cards={props.cards}
            bookingFor={props.bookingFor}
            pendingFor={props.pendingFor}
            meId={props.meId}
            selectedId={props.selectedId}
            hrefFor={props.hrefFor}
            presentOn={props.presentOn}
          />
        </Match>
        <Match when={true}>
          <Show when={props.mode === 'map'}>{props.map}</Show>
          <p class="card-count" data-testid="card-count" aria-live="polite">
            {count(props.total)}
            <Show when={props.filtered}> · {props.cards.length.toLocaleString()} shown</Show>
          </p>
          <Show when={props.cards.length > 0} fallback={empty()}>
            <VirtualCardList items={props.cards} label={props.mode === 'map' ? 'Cards on the map' : 'Cards'} ref={props.listRef}>
              {(card) => (
                <CardItem
                  card={card}
                  href={props.hrefFor(card.id)}
                  selected={card.id === props.selectedId}
                  booking={props.bookingFor(card.id)}
                  pending={props.pendingFor(card.id)}
                  meId={props.meId}
                  present={props.presentOn(card.id)}
                  distanceKm={props.distanceOf(card.id)}
                />
              )}
            </VirtualCardList>
          </Show>
        </Match>
      </Switch>
    </section>
  );
}
