/**
 * The card panel beside the board (a full-screen sheet on phones): the selected card's view, a
 * note when it was deleted, or a hint. Escape closes it; on phones the page under the sheet does
 * not scroll and is inert (a modal dialog: Tab and screen readers stay in the sheet), except while
 * the sheet steps aside for picking a place on the map. Reports to presence whether the user is
 * typing in the card (focus in a field).
 * Coordinators' driver list for Assign is loaded here, and again when the network returns.
 */
import { createEffect, createResource, createSignal, Match, on, onCleanup, Switch } from 'solid-js';
import type * as Y from 'yjs';
import type { CardData } from '@delivery-board/schema/boardDoc';
import type { Booking } from '@delivery-board/schema/bookings';
import type { Role } from '@delivery-board/schema/types';
import { ApiError, errorMessage } from '../lib/api.ts';
import { useApi } from '../lib/apiContext.ts';
import { inertOutside } from '../lib/inertOutside.ts';
import type { QueuedIntent } from '../lib/intentQueue.ts';
import type { PresentUser } from '../lib/presenceFormat.ts';
import { CardView } from './CardView.tsx';

export interface BoardEditorPanelProps {
  doc: Y.Doc;
  boardId: string;
  card: CardData | undefined;
  selectedId: string | null;
  booking: Booking | undefined;
  role: Role;
  user: { id: string; name: string } | null;
  isViewer: boolean;
  /** The server closed the connection for good: nothing can be saved. */
  closed: boolean;
  onClose: () => void;
  focusTitle: boolean;
  pending?: QueuedIntent;
  online: boolean;
  /** The board's connection when away (SyncStatus `awayNote`): the sheet covers the pill on a phone. */
  syncNote?: string | null;
  /** Whether this device's edit that made the item with that Yjs id is still unsent (createDurableState). */
  isUnsent?: (id: Y.ID) => boolean;
  /** Others who have this card open. */
  present?: readonly PresentUser[];
  onEditing: (editing: boolean) => void;
  /** Shown inside the card view (the map picker's controls). */
  placeTools?: CardViewPlaceTools;
}

export type CardViewPlaceTools = Parameters<typeof CardView>[0]['placeTools'];

/** Where the panel is a full-screen sheet over the board (board.css has the same breakpoint). */
export const SHEET_MEDIA = '(max-width: 900px)';
export const isSheet = () => typeof matchMedia === 'function' && matchMedia(SHEET_MEDIA).matches;

const isField = (el: EventTarget | null) => el instanceof HTMLElement && el.matches('input, textarea, select');

export function BoardEditorPanel(props: BoardEditorPanelProps) {
  const api = useApi();
  let panel: HTMLElement | undefined;
  const readOnly = () => props.isViewer || props.closed;
  const readOnlyNote = () =>
    props.isViewer ? 'You have view-only access to this board.' : props.closed ? 'Changes can no longer be saved to this board.' : null;

  // Coordinators assign cards to drivers: the member list is theirs to read (and only theirs).
  const [drivers, { refetch }] = createResource(
    () => (props.role === 'coordinator' ? props.boardId : false),
    async (id) => (await api.members(id)).members.filter((m) => m.role === 'driver'),
  );
  const driversError = () => {
    const err = drivers.error;
    if (!err) return null;
    return err instanceof ApiError && err.isNetwork ? "The driver list can't be loaded while you're offline." : errorMessage(err);
  };
  createEffect(on(() => props.online, (isOnline) => isOnline && drivers.error && void refetch(), { defer: true }));
  // Drivers join (and leave) while the board is open: read the list again for every card opened
  // (online only: offline, the list read last stays, where a failed read would replace it).
  createEffect(on(() => props.selectedId, (id) => id && props.role === 'coordinator' && props.online && void refetch(), { defer: true }));
  // While it reloads, the list already read stays up (no "Loading drivers…" flicker).
  const driverList = () => (drivers.state === 'ready' || drivers.state === 'refreshing' ? drivers.latest : undefined);

  // Another card opened in the same panel: start at its top, not where the last one was scrolled to.
  createEffect(on(() => props.selectedId, () => panel?.scrollTo(0, 0), { defer: true }));

  // Whether the panel is a full-screen sheet now (the window may be resized or turned).
  const [sheet, setSheet] = createSignal(isSheet());
  if (typeof matchMedia === 'function') {
    const media = matchMedia(SHEET_MEDIA);
    const onMedia = () => setSheet(media.matches);
    media.addEventListener('change', onMedia);
    onCleanup(() => media.removeEventListener('change', onMedia));
  }

  // As a sheet it hides the list: the focus moves into it (to its heading; a new card's title has
  // it already), not left on a list card under the sheet for Tab and screen readers to start from.
  createEffect(
    on(
      () => props.selectedId,
      (id) => {
        if (!id || !sheet()) return;
        requestAnimationFrame(() => {
          if (!panel?.contains(document.activeElement)) panel?.querySelector<HTMLElement>('#card-editor-heading')?.focus({ preventScroll: true });
        });
      },
    ),
  );

  // As a sheet the card is a modal dialog: the page it covers is inert (but for the toasts, which
  // must still be heard), until it closes or steps aside for a pick on the map.
  const modal = () => sheet() && !!props.selectedId && !props.placeTools?.picking();
  createEffect(() => {
    if (!modal() || !panel) return;
    onCleanup(inertOutside(panel, (el) => el.matches('.toasts')));
  });

  // Escape closes the editor; on phones the sheet covers the page, so the page must not scroll under it.
  createEffect(() => {
    if (!props.selectedId) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) props.onClose();
    };
    document.addEventListener('keydown', onKey);
    document.body.classList.add('sheet-open');
    onCleanup(() => {
      document.removeEventListener('keydown', onKey);
      document.body.classList.remove('sheet-open');
    });
  });

  return (
    // A section, not an aside: an aside may not be a dialog (ARIA in HTML). Beside the board it is
    // the complementary region an aside was.
    <section
      class="editor-panel"
      aria-label="Card editor"
      role={modal() ? 'dialog' : 'complementary'}
      aria-modal={modal() ? 'true' : undefined}
      ref={panel}
      onFocusIn={(e) => !readOnly() && isField(e.target) && props.onEditing(true)}
      onFocusOut={(e) => !(panel?.contains(e.relatedTarget as Node | null) && isField(e.relatedTarget)) && props.onEditing(false)}
    >
      <Switch
        fallback={
          <div class="editor-placeholder">
            <p>Select a card to see its details{readOnly() ? '.' : ', or create a new one.'}</p>
          </div>
        }
      >
        <Match when={props.card} keyed>
          {(card) => (
            <CardView
              doc={props.doc}
              boardId={props.boardId}
              card={card}
              booking={props.booking!}
              role={props.role}
              user={props.user}
              readOnly={readOnly()}
              readOnlyNote={readOnlyNote()}
              onClose={props.onClose}
              focusTitle={props.focusTitle}
              drivers={driverList()}
              driversError={driversError()}
              pending={props.pending}
              online={props.online}
              syncNote={props.syncNote}
              isUnsent={props.isUnsent}
              present={props.present}
              placeTools={props.placeTools}
            />
          )}
        </Match>
        <Match when={props.selectedId}>
          <div class="editor-placeholder" data-testid="card-missing">
            <p>This card was deleted or does not exist.</p>
            <button type="button" class="btn" onClick={() => props.onClose()}>
              Close
            </button>
          </div>
        </Match>
      </Switch>
    </section>
  );
}
