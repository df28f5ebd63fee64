/**
 * A card's booking in the card view: its status, and the buttons this member can use now — chosen
 * by the same state machine the server decides with (schema/bookings.ts `decide`), so a button
 * that is shown can work. Every request goes through the intent queue: without a network it waits
 * there ("Claim pending…") and is sent later. A refusal is said plainly: a 409 names who holds the
 * card since when, a 403 shows the server's own message.
 */
import { createSignal, For, Show } from 'solid-js';
import type { CardData } from '@delivery-board/schema/boardDoc';
import type { Booking, BookingAction } from '@delivery-board/schema/bookings';
import type { Member, Role } from '@delivery-board/schema/types';
import { ACTION_BUSY_LABELS, availableActions, conflictMessage, formatWhen } from '../lib/bookingFormat.ts';
import { useIntentQueue } from '../lib/createIntentQueue.ts';
import type { QueuedIntent } from '../lib/intentQueue.ts';
import { ConfirmButton } from './ConfirmButton.tsx';
import { pendingText } from '../lib/outcomeMessage.ts';
import { isLate } from '../lib/cardFilters.ts';
import { minuteClock } from '../lib/minuteClock.ts';
import { StatusBadge } from './Badges.tsx';

export interface BookingPanelProps {
  boardId: string;
  card: CardData;
  booking: Booking;
  role: Role;
  user: { id: string; name: string };
  /** The board's drivers, for coordinators' Assign (undefined while loading or for other roles). */
  drivers?: Member[];
  /** Why the driver list is missing (offline...). */
  driversError?: string | null;
  pending?: QueuedIntent;
  /** Whether the browser thinks it is online (for the pending line's wording). */
  online: boolean;
}

type Message = { tone: 'conflict' | 'error'; text: string };

export function BookingPanel(props: BookingPanelProps) {
  const queue = useIntentQueue();
  const [busy, setBusy] = createSignal<BookingAction | null>(null);
  const [message, setMessage] = createSignal<Message | null>(null);
  const [note, setNote] = createSignal('');
  const [assignee, setAssignee] = createSignal('');

  const actor = () => ({ userId: props.user.id, name: props.user.name, role: props.role });
  // While an intent waits, nothing else is offered for this card: the server decides that one first.
  const titled = () => props.card.title.trim() !== '';
  const actions = () => (props.pending ? [] : availableActions(props.booking, actor(), props.card.createdBy || null, titled()));
  const can = (action: BookingAction) => actions().includes(action);
  // What claim (or assign) would be offered if the card had a title: say why it is not.
  const waitsForTitle = () => !titled() && !props.pending && availableActions(props.booking, actor(), props.card.createdBy || null).some((a) => a === 'claim' || a === 'assign');

  let statusLine: HTMLDivElement | undefined;
  let panel: HTMLElement | undefined;

  const run = async (action: BookingAction, extra: { note?: string; driverId?: string; driverName?: string } = {}) => {
    // The button pressed is disabled while the request runs and then goes with the state it was
    // for, and the focus with it, to the page: a keyboard or screen-reader user would hear nothing
    // and start again from the top. It goes to the status line instead, which is read out.
    const fromPanel = !!panel?.contains(document.activeElement);
    setBusy(action);
    setMessage(null);
    try {
      const result = await queue.submit({ boardId: props.boardId, cardId: props.card.id, action, cardTitle: props.card.title, ...extra });
      if (result.kind === 'conflict') setMessage({ tone: 'conflict', text: conflictMessage(result.booking, props.user.id) });
      else if (result.kind === 'refused') setMessage({ tone: 'error', text: result.message });
      else {
        // (A hold this ends takes the device's copy of the private details with it: the queue sees to that.)
        setNote('');
        setAssignee('');
      }
    } finally {
      setBusy(null);
      if (fromPanel && (!document.activeElement || document.activeElement === document.body)) statusLine?.focus();
    }
  };

  const label = (action: BookingAction, idle: string) => (busy() === action ? ACTION_BUSY_LABELS[action] : idle);
  const chosenDriver = () => props.drivers?.find((d) => d.userId === assignee());

  return (
    <section ref={panel} class={`booking-panel booking-${props.booking.status}`} data-testid="booking-panel" aria-labelledby="booking-heading">
      <h3 id="booking-heading" class="visually-hidden">
        Delivery status
      </h3>
      <div class="booking-head" ref={statusLine} tabIndex={-1} data-testid="booking-head">
        <StatusBadge booking={props.booking} meId={props.user.id} testid="booking-status" large />
        <Show when={props.booking.at > 0}>
          <span class="booking-since">since {formatWhen(props.booking.at)}</span>
        </Show>
        <Show when={isLate(props.card, props.booking.status, minuteClock())}>
          <span class="booking-late" data-testid="booking-late">
            Late: its time window has passed
          </span>
        </Show>
      </div>

      <Show when={props.pending}>
        {(intent) => (
          <div class="pending-intent" data-testid="pending-intent" role="status">
            <span class="pending-mark" aria-hidden="true" />
            <span>{pendingText(intent().action, props.online)}</span>
            <button type="button" class="link-button" data-testid="pending-discard" onClick={() => void queue.discard(intent().intentId)}>
              Don't send
            </button>
          </div>
        )}
      </Show>

      <Show when={message()}>
        {(m) => (
          <p class="form-error booking-message" classList={{ 'booking-conflict': m().tone === 'conflict' }} role="alert" data-testid="booking-error">
            {m().text}
          </p>
        )}
      </Show>

      <Show when={waitsForTitle()}>
        <p class="booking-hint" data-testid="needs-title">
          {props.role === 'coordinator' ? 'Give this card a title so that drivers can claim it.' : 'This card has no title yet. It can be claimed once it has one.'}
        </p>
      </Show>

      <Show when={actions().length > 0}>
        <div class="booking-actions">
          <Show when={can('claim')}>
            <button type="button" class="btn btn-primary btn-block" data-testid="claim-button" disabled={!!busy()} onClick={() => void run('claim')}>
              {label('claim', 'Claim this delivery')}
            </button>
          </Show>

          <Show when={can('pickup')}>
            <button type="button" class="btn btn-primary btn-block" data-testid="pickup-button" disabled={!!busy()} onClick={() => void run('pickup')}>
              {label('pickup', 'Mark picked up')}
            </button>
          </Show>

          <Show when={can('deliver')}>
            <div class="deliver-form">
              <label class="field-label" for="deliver-note">
                Delivery note <span class="muted">(optional)</span>
              </label>
              <textarea
                id="deliver-note"
                data-testid="deliver-note"
                rows={2}
                maxLength={1000}
                placeholder="e.g. Left with the neighbour at 4A"
                value={note()}
                onInput={(e) => setNote(e.currentTarget.value)}
              />
              <button
                type="button"
                class="btn btn-primary btn-block"
                data-testid="deliver-button"
                disabled={!!busy()}
                onClick={() => void run('deliver', note().trim() ? { note: note().trim() } : {})}
              >
                {label('deliver', 'Mark delivered')}
              </button>
            </div>
          </Show>

          <Show when={can('assign')}>
            <div class="assign-form">
              <label class="field-label" for="assign-driver">
                Assign to a driver
              </label>
              <Show
                when={props.drivers}
                fallback={<p class="muted small">{props.driversError ?? 'Loading drivers…'}</p>}
              >
                {(drivers) => (
                  <Show
                    when={drivers().length > 0}
                    fallback={<p class="muted small">No drivers on this board yet. Invite one from Members &amp; invites.</p>}
                  >
                    <div class="assign-row">
                      <select id="assign-driver" data-testid="assign-select" value={assignee()} onChange={(e) => setAssignee(e.currentTarget.value)}>
                        <option value="">Choose a driver…</option>
                        <For each={drivers()}>{(d) => <option value={d.userId}>{d.name}</option>}</For>
                      </select>
                      <button
                        type="button"
                        class="btn"
                        data-testid="assign-button"
                        disabled={!!busy() || !chosenDriver()}
                        onClick={() => {
                          const d = chosenDriver();
                          if (d) void run('assign', { driverId: d.userId, driverName: d.name });
                        }}
                      >
                        {label('assign', 'Assign')}
                      </button>
                    </div>
                  </Show>
                )}
              </Show>
            </div>
          </Show>

          <div class="button-row booking-secondary">
            <Show when={can('release')}>
              {/* Asks first: one stray tap on a phone would put a card (maybe already in the car) back on the board. */}
              <ConfirmButton
                large
                neutral
                testid="release-button"
                label={props.booking.driverId === props.user.id ? 'Release (I can’t do it)' : 'Release'}
                question={props.booking.status === 'picked_up' ? 'It was picked up. Put it back as open for any driver?' : 'Put it back as open for any driver?'}
                confirmLabel="Yes, release it"
                busyLabel={ACTION_BUSY_LABELS.release}
                keepLabel="Keep it"
                disabled={!!busy()}
                onConfirm={() => run('release')}
              />
            </Show>
            <Show when={can('reopen')}>
              <button type="button" class="btn btn-primary" data-testid="reopen-button" disabled={!!busy()} onClick={() => void run('reopen')}>
                {label('reopen', 'Reopen')}
              </button>
            </Show>
            <Show when={can('cancel')}>
              <ConfirmButton
                large
                testid="cancel-button"
                label="Cancel delivery"
                question="Cancel this delivery for everyone?"
                confirmLabel="Yes, cancel it"
                busyLabel={ACTION_BUSY_LABELS.cancel}
                keepLabel="Keep it"
                disabled={!!busy()}
                onConfirm={() => run('cancel')}
              />
            </Show>
          </div>
        </div>
      </Show>

      <Show when={actions().length === 0 && !props.pending && hint(props.role, props.booking, props.user.id)}>
        {(text) => (
          <p class="booking-hint muted small" data-testid="booking-hint">
            {text()}
          </p>
        )}
      </Show>
    </section>
  );
}

/** Why no buttons are shown, in a word for this member. */
function hint(role: Role, booking: Booking, meId: string): string {
  if (booking.status === 'delivered') return 'This delivery is done.';
  if (role === 'viewer') return 'You can follow this delivery but not change it.';
  if (booking.status === 'cancelled') return 'This delivery was cancelled. A coordinator can reopen it.';
  if ((booking.status === 'claimed' || booking.status === 'picked_up') && booking.driverId !== meId) {
    return role === 'requester' ? 'A driver is on it.' : 'Another driver has this delivery.';
  }
  if (role === 'requester') return 'Drivers can claim this delivery.';
  return '';
}
