/**
 * The live board: toolbar (sync state, presence, view switch), filters, the cards as a windowed
 * list, on a map, or as "My deliveries", and the card view (a side panel on wide screens, a
 * full-screen sheet on phones). The selected card lives in the URL (`?card=<id>`), so the back
 * button closes the editor and a card can be linked to; it stays open across views.
 *
 * Two documents per board: the cards (createBoardDoc) and the server-written bookings
 * (createBookingsDoc). The board shows as loaded only once both device copies have loaded: cards
 * without their bookings would show claimed cards as open for a moment. The board is attached to the app's intent queue, which replays this user's
 * offline booking intents once the board document has synced. Filtering and sorting are
 * incremental (createCardView.ts), so a board of thousands of cards stays quick to edit.
 */
import { batch, createEffect, createMemo, createSignal, ErrorBoundary, lazy, on, onCleanup, Show, Suspense, untrack } from 'solid-js';
import { createStore } from 'solid-js/store';
import { createCard, deleteCard, setCardField, type Place } from '@delivery-board/schema/boardDoc';
import { DELIVERY_ROLES, WRITER_ROLES, type Role } from '@delivery-board/schema/types';
import { mineLabel, myDeliveries, STATUS_FILTERS } from '../lib/bookingFormat.ts';
import { canDeleteCard } from '../lib/canDeleteCard.ts';
import { forgetBoardPrivateDetails, forgetUnlessHeld, keptCardIds } from '../lib/privateDetailsCache.ts';
import { cardDistance, DEFAULT_FILTERS, makeCardQuery, type CardFilterState } from '../lib/cardFilters.ts';
import { createBoardDoc } from '../lib/createBoardDoc.ts';
import { createBookingsDoc } from '../lib/createBookingsDoc.ts';
import { createCards } from '../lib/createCards.ts';
import { createCardView } from '../lib/createCardView.ts';
import { createGeolocation } from '../lib/createGeolocation.ts';
import { isBlankCard } from '../lib/isBlankCard.ts';
import { useIntentQueue } from '../lib/createIntentQueue.ts';
import { readComments } from '../lib/readComments.ts';
import { minuteClock, refreshMinuteClock } from '../lib/minuteClock.ts';
import { createNotifier } from '../lib/createNotifier.ts';
import { createPresence } from '../lib/createPresence.ts';
import { useToasts } from '../lib/createToasts.ts';
import { showBrowserNotification } from '../lib/showNotifications.ts';
import { geocode, useAppConfig } from '../lib/appConfig.ts';
import { useRouter } from '../lib/router.ts';
import { useSession } from '../lib/session.ts';
import { BoardToolbar, type BoardViewMode } from './BoardToolbar.tsx';
import { BoardCards } from './BoardCards.tsx';
import { BoardEditorPanel, isSheet } from './BoardEditorPanel.tsx';
import { CardFiltersBar } from './CardFiltersBar.tsx';
import { Loading } from './Loading.tsx';
import type { PlaceTools } from './PlaceFields.tsx';
import { NotificationsToggle } from './NotificationsToggle.tsx';
import { PresenceBar } from './PresenceBar.tsx';
import { ShareLocation } from './ShareLocation.tsx';
import { awayNote, SyncStatus } from './SyncStatus.tsx';
import { SyncClosedBanner } from './SyncClosedBanner.tsx';
import type { VirtualListApi } from './VirtualCardList.tsx';

// maplibre is big: load it with the first map view (the service worker precaches the chunk).
const MapPanel = lazy(() => import('./MapPanel.tsx'));
/** Close codes that mean this member has lost the board: removed from it (4403), or it was deleted (4404). */
const ACCESS_LOST = [4403, 4404];

export interface BoardViewProps {
  board: { id: string; name: string };
  role: Role;
  /** The server changed this user's role: fetch it again. */
  onRoleChanged?: () => void;
}

export function BoardView(props: BoardViewProps) {
  const session = useSession();
  const router = useRouter();
  const user = session.user();
  const me = user ? { id: user.id, name: user.name } : null;
  const board = createBoardDoc(props.board.id, { user: me ?? undefined, onRoleChanged: () => props.onRoleChanged?.(), trackUnconfirmed: true });
  const cards = createCards(board.doc);
  const bookings = createBookingsDoc(props.board.id);
  const presence = createPresence(board.provider.awareness, me ? { ...me, role: props.role } : null, () => board.status() === 'connected');
  const geo = createGeolocation();
  const queue = useIntentQueue();
  const config = useAppConfig();
  const toasts = useToasts();
  const meId = () => user?.id ?? null;
  const loaded = () => board.loaded() && bookings.loaded();

  queue.attachBoard(props.board.id, { synced: board.synced, cardTitle: (id) => cards.byId[id]?.title ?? null, onBooking: bookings.note });

  // The server closed the board for good because this member lost it (removed; the board deleted):
  // nothing of it stays on screen, nor the door codes and phone numbers kept for the doorstep.
  const gone = () => ACCESS_LOST.includes(board.closed()?.code ?? 0);
  // A driver's copies of private details go as soon as this device learns the hold has ended,
  // whoever ended it (a coordinator's release, cancel, reassignment or deletion included), and at
  // opening for holds that ended while the board was closed.
  if (me) {
    onCleanup(bookings.subscribe((changes) => changes.forEach((c) => forgetUnlessHeld(me.id, props.board.id, c.cardId, c.after))));
    createEffect(on(bookings.loaded, (ok) => ok && keptCardIds(me.id, props.board.id).forEach((id) => forgetUnlessHeld(me.id, props.board.id, id, untrack(() => bookings.get(id))))));
    createEffect(() => gone() && forgetBoardPrivateDetails(me.id, props.board.id));
  }
  const pendingFor = (id: string) => queue.pendingFor(props.board.id, id);

  const [online, setOnline] = createSignal(typeof navigator === 'undefined' ? true : navigator.onLine);
  const onOnline = () => setOnline(true);
  const onOffline = () => setOnline(false);
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);
  onCleanup(() => {
    window.removeEventListener('online', onOnline);
    window.removeEventListener('offline', onOffline);
  });
  // The server is reachable again (the socket connected): leave the cached session behind.
  createEffect(on(board.status, (status) => status === 'connected' && session.offline() && void session.refresh(), { defer: true }));

  const isViewer = () => !WRITER_ROLES.includes(props.role);
  // Once the server has closed the connection for good, edits could only pile up on this device.
  const readOnly = () => isViewer() || board.status() === 'closed';
  const basePath = () => `/b/${encodeURIComponent(props.board.id)}`;
  const hrefFor = (id: string) => `${basePath()}?card=${encodeURIComponent(id)}`;

  // Others' changes that concern this user: toasts, and system notifications when hidden.
  createNotifier({
    boardId: props.board.id,
    doc: board.doc,
    meId: meId(),
    bookingFor: bookings.get,
    subscribeBookings: bookings.subscribe,
    bookingsLoaded: bookings.loaded,
    actedByMe: (cardId) => queue.actedRecently(props.board.id, cardId),
    awareness: board.provider.awareness,
    show: (n) => {
      toasts.show({ tone: 'info', text: `${n.title}: ${n.body}`, testid: 'notice-toast' });
      void showBrowserNotification(n, location.origin + hrefFor(n.cardId));
    },
  });

  // ---- filters, view, the cards shown ----
  const [filters, setFilters] = createStore<CardFilterState>({ ...DEFAULT_FILTERS });
  // Time-window filters move with the clock: judged by the time they are chosen at, then again
  // every minute (a board left open overnight must not show "today" as of the evening before).
  const setFilter = <K extends keyof CardFilterState>(key: K, value: CardFilterState[K]) =>
    batch(() => {
      if (key === 'window') refreshMinuteClock();
      setFilters(key, value);
    });
  // The sort stays: it hides nothing.
  const clearFilters = () =>
    batch(() => {
      for (const key of ['search', 'status', 'window', 'tag', 'nearKm'] as const) setFilter(key, DEFAULT_FILTERS[key]);
    });
  const statusOptions = () => STATUS_FILTERS.filter((f) => f !== 'mine' || mineLabel(props.role) !== null);
  const canDeliver = () => DELIVERY_ROLES.includes(props.role);
  // A role change (e.g. to viewer) can take away "mine": fall back to everything.
  createEffect(() => {
    if (!statusOptions().includes(filters.status)) setFilter('status', 'all');
  });
  // `?view=map` opens the board on the map (a link can point there).
  const [view, setView] = createSignal<'list' | 'map'>(router.query('view') === 'map' ? 'map' : 'list');
  const mode = (): BoardViewMode => (filters.status === 'mine' && canDeliver() ? 'mine' : view());
  const setMode = (m: BoardViewMode) => {
    if (m === 'mine') return setFilter('status', 'mine');
    setView(m);
    if (filters.status === 'mine') setFilter('status', 'all');
  };
  const usesPosition = () => filters.nearKm > 0 || filters.sort === 'distance';
  // Only a time-window filter reads the minute clock: without one, its tick does not rebuild the query.
  const query = createMemo(() =>
    makeCardQuery(
      { search: filters.search, status: filters.status, window: filters.window, tag: filters.tag, nearKm: filters.nearKm, sort: filters.sort },
      { bookingFor: bookings.get, userId: meId(), role: props.role, position: usesPosition() ? geo.position() : null, now: filters.window === 'any' ? new Date() : minuteClock() },
    ),
  );
  const shown = createCardView(
    {
      get: (id) => cards.byId[id],
      all: () => cards.list(),
      subscribe: [cards.subscribe, (listener) => bookings.subscribe((changes) => listener(changes.map((c) => c.cardId)))],
    },
    query,
  );
  const heldCount = createMemo(() => myDeliveries(cards.list().map((c) => ({ booking: bookings.get(c.id) })), meId()).active.length);
  const distanceOf = (id: string) => (geo.position() && cards.byId[id] ? cardDistance(cards.byId[id], geo.position()) : null);

  // ---- the selected card ----
  const selectedId = () => router.query('card');
  const [justCreated, setJustCreated] = createSignal<string | null>(null);
  let list: VirtualListApi | undefined;
  const close = () => {
    const id = selectedId();
    router.navigate(basePath(), { keepScroll: true });
    // Give keyboard users their place back: the card they were editing, in the list.
    const at = id ? shown().findIndex((c) => c.id === id) : -1;
    if (at >= 0 && mode() === 'list') list?.focusIndex(at);
    else if (id) document.querySelector<HTMLElement>(`.card-item[data-card-id="${CSS.escape(id)}"]`)?.focus();
  };
  const open = (id: string) => router.navigate(hrefFor(id), { keepScroll: true });
  // A card made with "New card" and left with nothing written on it (closed, another card opened,
  // Back, another page) is taken back, so a stray click leaves no "Untitled card" on everyone's
  // board. Only the card made here, and only if nobody wrote in it or commented meanwhile.
  const discardIfBlank = (id: string | null) => {
    if (!id || id !== untrack(justCreated)) return;
    setJustCreated(null);
    const card = untrack(() => cards.byId[id]);
    if (!card || readOnly() || !isBlankCard(card, readComments(board.doc, id).length)) return;
    if (canDeleteCard(props.role, meId(), card, untrack(() => bookings.get(id)))) deleteCard(board.doc, id);
  };
  createEffect(on(selectedId, (id, prev) => prev !== id && discardIfBlank(prev ?? null), { defer: true }));
  onCleanup(() => discardIfBlank(untrack(selectedId)));
  const newCard = () => {
    if (readOnly() || !loaded()) return;
    discardIfBlank(selectedId());
    const id = createCard(board.doc, {}, user?.id ?? '');
    setJustCreated(id);
    setFilter('search', '');
    open(id);
  };

  // ---- places on the map: "Pick on map" and "Find on map" ----
  const [picking, setPicking] = createSignal<string | null>(null);
  createEffect(on(selectedId, () => setPicking(null), { defer: true }));
  const placeTools: PlaceTools = {
    togglePick(name) {
      if (picking() === name) return setPicking(null);
      setPicking(name);
      setMode('map');
      // The map may be scrolled away (or, on a phone, under the card sheet, which steps aside).
      requestAnimationFrame(() => {
        const map = document.querySelector<HTMLElement>('[data-testid="map-view"]');
        const r = map?.getBoundingClientRect();
        if (map && r && (r.top < (document.querySelector('.app-header')?.getBoundingClientRect().bottom ?? 56) || r.bottom > window.innerHeight)) map.scrollIntoView({ block: 'start' });
      });
    },
    picking,
    get geocode() {
      const url = config().geocoderUrl;
      return url ? (q: string) => geocode(url, q) : undefined;
    },
  };
  const onPick = (at: { lat: number; lng: number }) => {
    const id = selectedId();
    const name = picking();
    const card = id ? cards.byId[id] : undefined;
    setPicking(null);
    if (!card || readOnly() || (name !== 'pickup' && name !== 'dropoff')) return;
    const place: Place = { label: card[name]?.label ?? '', lat: Math.round(at.lat * 1e6) / 1e6, lng: Math.round(at.lng * 1e6) / 1e6 };
    setCardField(board.doc, card.id, name, place);
    // The sheet, which stepped aside for the map, is back over it: so is the focus, on the button
    // that started picking, not left on the map underneath.
    if (isSheet()) requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-testid="${name}-pick"]`)?.focus());
  };
  // Coordinators see drivers who share their position.
  const sharing = () => (props.role === 'coordinator' ? presence.users().filter((u) => u.position) : []);

  // Presence: the card open here, and whether we are typing in it.
  createEffect(() => presence.setViewing(selectedId() && cards.byId[selectedId()!] ? selectedId() : null));
  createEffect(on(selectedId, () => presence.setEditing(null)));

  return (
    <main class="board-page" data-testid="board-view">
      <Show when={!gone()} fallback={<SyncClosedBanner closed={board.closed()} />}>
        <BoardToolbar
          role={props.role}
          membersHref={`${basePath()}/members`}
          status={
            <>
              <SyncStatus status={board.status()} synced={board.synced()} unconfirmed={board.unconfirmed()} lastSyncedAt={board.lastSyncedAt()} />
              <PresenceBar users={presence.users()} titleOf={(id) => cards.byId[id]?.title ?? null} />
            </>
          }
          extra={
            <>
              <Show when={props.role === 'driver'}>
                <ShareLocation geo={geo} publish={presence.setPosition} />
              </Show>
              <NotificationsToggle />
            </>
          }
          mode={mode()}
          setMode={setMode}
          canDeliver={canDeliver()}
          heldCount={loaded() ? heldCount() : null}
          canCreate={!readOnly()}
          createDisabled={!loaded()}
          onNewCard={newCard}
        />
        <CardFiltersBar
          filters={filters}
          set={setFilter}
          role={props.role}
          statusOptions={statusOptions()}
          tags={cards.tags()}
          geo={geo.state()}
          needPosition={() => void geo.request()}
        />
        <SyncClosedBanner closed={board.closed()} />

        <Show when={loaded()} fallback={<Loading label="Opening board…" />}>
          <div class="board-layout" classList={{ 'has-selection': !!selectedId(), 'map-mode': mode() === 'map', picking: !!picking() }}>
            <BoardCards
              mode={mode()}
              cards={shown()}
              total={cards.list().length}
              filtered={shown().length !== cards.list().length}
              onClearFilters={clearFilters}
              waitingForServer={cards.list().length === 0 && !board.synced() && board.status() !== 'offline'}
              selectedId={selectedId()}
              hrefFor={hrefFor}
              canCreate={!readOnly()}
              bookingFor={bookings.get}
              pendingFor={pendingFor}
              meId={meId()}
              presentOn={(id) => presence.byCard().get(id)}
              distanceOf={distanceOf}
              listRef={(api) => (list = api)}
              map={
                <ErrorBoundary
                  fallback={
                    <p class="map-error" role="alert" data-testid="map-error">
                      The map could not be loaded (the app was updated, or you are offline on a first visit). Reload the page to try again; the
                      cards are listed below.
                    </p>
                  }
                >
                  <Suspense fallback={<Loading label="Loading the map…" />}>
                    <MapPanel
                      cards={shown()}
                      bookingFor={bookings.get}
                      drivers={sharing()}
                      selectedId={selectedId()}
                      styleUrl={config().mapStyleUrl}
                      picking={picking()}
                      onPick={onPick}
                      onCancelPick={() => setPicking(null)}
                      onOpen={open}
                    />
                  </Suspense>
                </ErrorBoundary>
              }
            />
            <BoardEditorPanel
              doc={board.doc}
              boardId={props.board.id}
              card={selectedId() ? cards.byId[selectedId()!] : undefined}
              selectedId={selectedId()}
              booking={selectedId() ? bookings.get(selectedId()!) : undefined}
              role={props.role}
              user={me}
              isViewer={isViewer()}
              closed={board.status() === 'closed'}
              onClose={close}
              focusTitle={justCreated() === selectedId()}
              pending={selectedId() ? pendingFor(selectedId()!) : undefined}
              online={online()}
              syncNote={awayNote({ status: board.status(), synced: board.synced(), unconfirmed: board.unconfirmed() })}
              isUnsent={board.isUnsent}
              present={selectedId() ? presence.byCard().get(selectedId()!) : undefined}
              onEditing={(editing) => presence.setEditing(editing ? selectedId() : null)}
              placeTools={readOnly() ? undefined : placeTools}
            />
          </div>
        </Show>
      </Show>
    </main>
  );
}
