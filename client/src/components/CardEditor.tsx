/**
 * The editor panel for one card. Every field writes to the Y.Doc on input through the shared
 * helpers in schema/boardDoc.ts (except values that make no sense, kept in the form with a message:
 * invalid coordinates, a window that ends before it starts), and shows others' edits live; for
 * viewers everything is disabled.
 * Server-kept parts (booking, private details, timeline) come in through the `top` and `bottom`
 * slots (see CardView.tsx). Below the fields, the card's comments (CardComments.tsx). Delete is
 * offered only to those allowed to (canDeleteCard.ts).
 */
import { createSignal, onMount, Show, type JSX } from 'solid-js';
import type * as Y from 'yjs';
import { deleteCard, PRIORITIES, setCardField, type CardData, type EditableField, type Priority } from '@delivery-board/schema/boardDoc';
import type { Booking } from '@delivery-board/schema/bookings';
import type { Role } from '@delivery-board/schema/types';
import { holds } from '../lib/bookingFormat.ts';
import { canDeleteCard } from '../lib/canDeleteCard.ts';
import { useToasts } from '../lib/createToasts.ts';
import { focusOnMount } from '../lib/focusOnMount.ts';
import { parseList, parseTags, PRIORITY_LABELS, sameList } from '../lib/cardFormat.ts';
import { CardComments } from './CardComments.tsx';
import { DraftField } from './DraftField.tsx';
import { describedBy, Field } from './Field.tsx';
import { presenceSentence, type PresentUser } from '../lib/presenceFormat.ts';
import { rebaseListDraft } from '../lib/rebaseListDraft.ts';
import { AvatarStack } from './Avatar.tsx';
import { PlaceFields, type PlaceTools } from './PlaceFields.tsx';
import { SyncedText } from './SyncedText.tsx';
import { TimeWindowFields } from './TimeWindowFields.tsx';

export interface CardEditorProps {
  doc: Y.Doc;
  card: CardData;
  readOnly: boolean;
  /** Why the card cannot be edited, shown above the fields. */
  readOnlyNote?: string | null;
  onClose: () => void;
  /** Put the caret in the title (for a card just created). */
  focusTitle?: boolean;
  /** Shown above the card's fields (the booking: status and actions). */
  top?: JSX.Element;
  /** Shown after the card's fields and comments, before Delete (tracking links, timeline). */
  bottom?: JSX.Element;
  /** Others who have this card open (presence), editors first. */
  present?: readonly PresentUser[];
  placeTools?: PlaceTools;
  /** The signed-in member (the author of their comments). */
  user: { id: string; name: string } | null;
  /** Their role on this board. */
  role: Role;
  /** The card's booking: a requester may delete their own card only while nobody holds it. */
  booking: Booking;
  /**
   * "Offline · 2 unsent" while the board is away. Shown in the head on phones
   * only, where the card is a full-screen sheet over the board's sync pill (board.css).
   */
  syncNote?: string | null;
  /** Whether this device's edit that made the item with that Yjs id is still unsent (createDurableState). */
  isUnsent?: (id: Y.ID) => boolean;
}

const createdFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function CardEditor(props: CardEditorProps) {
  const [confirming, setConfirming] = createSignal(false);
  // Deleting a card someone is delivering cancels that delivery under them: the question says so.
  const heldBy = () => {
    const b = props.booking;
    if (!b.driverId || !holds(b, b.driverId)) return null;
    const who = b.driverId === props.user?.id ? 'You' : b.driverName || 'A driver';
    return `${who} ${b.status === 'picked_up' ? 'picked it up' : 'claimed it'}: deleting it cancels the delivery.`;
  };
  const canDelete = () => !props.readOnly && canDeleteCard(props.role, props.user?.id ?? null, props.card, props.booking);
  let titleInput: HTMLInputElement | undefined;
  const set = <K extends EditableField>(field: K, value: CardData[K]) => {
    if (!props.readOnly) setCardField(props.doc, props.card.id, field, value);
  };

  onMount(() => {
    // Without scrolling the page: the panel is sticky, and the board toolbar (sync state) stays in view.
    if (props.focusTitle && !props.readOnly) titleInput?.focus({ preventScroll: true });
  });

  const toasts = useToasts();
  const remove = () => {
    const title = props.card.title.trim() || 'Untitled card';
    deleteCard(props.doc, props.card.id);
    props.onClose();
    // The sheet just closes: say what happened.
    toasts.show({ tone: 'info', text: `Deleted “${title}”.`, testid: 'deleted-toast' });
  };

  return (
    <section class="card-editor" data-testid="card-editor" aria-labelledby="card-editor-heading">
      <div class="editor-head">
        <h2 id="card-editor-heading" tabindex="-1">
          {props.readOnly ? 'Card details' : 'Edit card'}
        </h2>
        <Show when={props.syncNote}>
          <span class="editor-sync" data-testid="editor-sync" title="Changes are kept on this device and sync when the connection is back.">
            <span class="sync-dot" aria-hidden="true" />
            {props.syncNote}
          </span>
        </Show>
        <button type="button" class="btn btn-ghost" data-testid="close-editor" onClick={() => props.onClose()}>
          Close
        </button>
      </div>

      <div class="editor-body">
        <Show when={props.present?.length}>
          <p class="editor-presence" data-testid="editor-presence">
            <AvatarStack users={props.present!} label="" editingCard={props.card.id} />
            <span>{presenceSentence(props.present!, props.card.id)}</span>
          </p>
        </Show>

        <Show when={props.readOnly && props.readOnlyNote}>
          <p class="note" data-testid="read-only-note">
            {props.readOnlyNote}
          </p>
        </Show>

        {/* The title first: it names the card above its booking, and a new card's blank title is in
            view to type into (the booking and private details would push it below the fold). */}
        <Field id="card-title" label="Title">
          {/* Read-only, the title wraps (a one-line box cut a long one off mid-word on a phone);
              writers keep a one-line input, where Enter cannot put a line break in it. */}
          <SyncedText
            id="card-title"
            data-testid="card-title-input"
            multiline={props.readOnly}
            rows={props.readOnly ? 1 : undefined}
            class={props.readOnly ? 'title-readonly' : undefined}
            ref={(el) => (titleInput = el)}
            value={props.card.title}
            onValue={(v) => set('title', v)}
            placeholder="What needs delivering?"
            maxLength={200}
            disabled={props.readOnly}
            autocomplete="off"
            aria-describedby={describedBy('card-title')}
          />
        </Field>

        {props.top}

        <Field id="card-priority" label="Priority">
          <select
            id="card-priority"
            data-testid="card-priority-select"
            value={props.card.priority}
            disabled={props.readOnly}
            onChange={(e) => set('priority', e.currentTarget.value as Priority)}
          >
            {PRIORITIES.map((p) => (
              <option value={p}>{PRIORITY_LABELS[p]}</option>
            ))}
          </select>
        </Field>

        <PlaceFields
          name="pickup"
          legend="Pickup"
          placeholder="e.g. St Mary's food bank, 12 High St"
          place={props.card.pickup}
          onChange={(p) => set('pickup', p)}
          disabled={props.readOnly}
          tools={props.placeTools}
        />
        <PlaceFields
          name="dropoff"
          legend="Drop-off"
          placeholder="e.g. 4B Elm Court"
          place={props.card.dropoff}
          onChange={(p) => set('dropoff', p)}
          disabled={props.readOnly}
          tools={props.placeTools}
        />

        <TimeWindowFields
          start={props.card.windowStart}
          end={props.card.windowEnd}
          disabled={props.readOnly}
          onChange={(start, end) =>
            // One transaction: the list never shows the new start with the old end.
            props.doc.transact(() => {
              set('windowStart', start);
              set('windowEnd', end);
            })
          }
        />

        <DraftField
          id="card-items"
          testid="card-items-input"
          label="Items"
          hint="One per line, or separated by commas."
          multiline
          value={props.card.items}
          format={(items) => items.join('\n')}
          parse={(text) => ({ ok: true, value: parseList(text) })}
          equals={sameList}
          rebase={(draft, prev, next) => rebaseListDraft(draft, prev, next, '\n')}
          onValue={(items) => set('items', items)}
          disabled={props.readOnly}
          placeholder={'e.g. 2 bags of groceries\nNappies (size 4)'}
        />

        <Field id="card-notes" label="Notes">
          <SyncedText
            multiline
            id="card-notes"
            data-testid="card-notes-input"
            class="notes-input"
            value={props.card.notes}
            onValue={(v) => set('notes', v)}
            rows={4}
            disabled={props.readOnly}
            placeholder="Access, contact preferences, anything the driver should know"
            aria-describedby={describedBy('card-notes')}
          />
        </Field>

        <DraftField
          id="card-tags"
          testid="card-tags-input"
          label="Tags"
          hint="Separated by commas."
          value={props.card.tags}
          format={(tags) => tags.join(', ')}
          parse={(text) => ({ ok: true, value: parseTags(text) })}
          equals={sameList}
          rebase={(draft, prev, next) => rebaseListDraft(draft, prev, next, ', ')}
          onValue={(tags) => set('tags', tags)}
          disabled={props.readOnly}
          placeholder="e.g. fridge, heavy"
        />

        <Show when={props.card.createdAt > 0}>
          <p class="meta">Created {createdFormat.format(new Date(props.card.createdAt))}</p>
        </Show>

        <CardComments
          doc={props.doc}
          cardId={props.card.id}
          user={props.user}
          canWrite={!props.readOnly}
          canRemoveAny={props.role === 'coordinator'}
          isUnsent={props.isUnsent}
        />

        {props.bottom}

        <Show when={canDelete()}>
          <div class="danger-zone">
            <Show
              when={confirming()}
              fallback={
                <button type="button" class="btn btn-danger-outline" data-testid="delete-card" onClick={() => setConfirming(true)}>
                  Delete card
                </button>
              }
            >
              <div class="confirm" role="alertdialog" aria-labelledby="confirm-delete-text">
                <p id="confirm-delete-text">
                  Delete this card for everyone on the board?
                  <Show when={heldBy()}>
                    {(what) => (
                      <>
                        {' '}
                        <strong data-testid="delete-held-warning">{what()}</strong>
                      </>
                    )}
                  </Show>
                </p>
                <div class="button-row">
                  {/* Focused, which also scrolls it into view (it was half below a phone's screen). */}
                  <button type="button" class="btn btn-danger" data-testid="confirm-delete" ref={focusOnMount} onClick={remove}>
                    Delete
                  </button>
                  <button type="button" class="btn" data-testid="cancel-delete" onClick={() => setConfirming(false)}>
                    Keep
                  </button>
                </div>
              </div>
            </Show>
          </div>
        </Show>
      </div>
    </section>
  );
}
