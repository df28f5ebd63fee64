/**
 * The live board: connection status, the card list with search, status filter and sort (or, for
 * drivers, "My deliveries"), and the card view (a side panel on wide screens, a full-screen sheet
 * on phones). The selected card lives in the URL (`?card=<id>`), so the back button closes the
 * editor and a card can be linked to.
 *
 * Two documents per board: the cards (createBoardDoc) and the server-written bookings
 * (createBookingsDoc). The board is attached to the app's intent queue, which replays this user's
 * offline booking intents once the board document has synced.
 */
import { createEffect, createMemo, createResource, createSignal, Match, on, onCleanup, Show, Switch } from 'solid-js';
import { createCard } from '@delivery-board/schema/boardDoc';
import { WRITER_ROLES, type Role } from '@delivery-board/schema/types';
import { ApiError, errorMessage } from '../lib/api.ts';
import { useApi } from '../lib/apiContext.ts';
import { matchesStatusFilter, mineLabel, myDeliveries, STATUS_FILTERS, statusFilterLabel, type StatusFilter } from '../lib/bookingFormat.ts';
import { cardMatches, SORTS, sortCards, type SortMode } from '../lib/cardFormat.ts';
import { createBoardDoc } from '../lib/createBoardDoc.ts';
import { createBookingsDoc } from '../lib/createBookingsDoc.ts';
import { createCards } from '../lib/createCards.ts';
import { useIntentQueue } from '../lib/createIntentQueue.ts';
import { useRouter, withNext } from '../lib/router.ts';
import { useSession } from '../lib/session.ts';
import { RoleBadge } from './Badges.tsx';
import { CardList } from './CardList.tsx';
import { CardView } from './CardView.tsx';
import { Link } from './Link.tsx';
import { Loading } from './Loading.tsx';
import { MyDeliveries } from './MyDeliveries.tsx';
import { SyncStatus } from './SyncStatus.tsx';

export interface BoardViewProps {
  board: { id: string; name: string };
  role: Role;
  /** The server changed this user's role: fetch it again. */
  onRoleChanged?: () => void;
}

const CLOSE_MESSAGES: Record<number, string> = {
  4401: 'Your session has ended, so changes are no longer shared.',
  4403: 'You no longer have access to this board.',
  4404: 'This board no longer exists.',
};

export function BoardView(props: BoardViewProps) {
  const session = useSession();
  const router = useRouter();
  const user = session.user();
  const board = createBoardDoc(props.board.id, {
    user: user ? { id: user.id, name: user.name } : undefined,
    onRoleChanged: () => props.onRoleChanged?.(),
    trackUnconfirmed: true,
  });
  const cards = createCards(board.doc);
  const bookings = createBookingsDoc(props.board.id);
  const api = useApi();
  const queue = useIntentQueue();
  const meId = () => user?.id ?? null;

  queue.attachBoard(props.board.id, {
    synced: board.synced,
    cardTitle: (id) => cards.byId[id]?.title ?? null,
    onBooking: bookings.note,
  });
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

  // Coordinators assign cards to drivers: the member list is theirs to read (and only theirs).
  const [drivers, { refetch: refetchDrivers }] = createResource(
    () => (props.role === 'coordinator' ? props.board.id : false),
    async (id) => (await api.members(id)).members.filter((m) => m.role === 'driver'),
  );
  const driversError = () => {
    const err = drivers.error;
    if (!err) return null;
    return err instanceof ApiError && err.isNetwork ? "The driver list can't be loaded while you're offline." : errorMessage(err);
  };
  // Back online: a failed driver list gets another chance.
  createEffect(on(online, (isOnline) => isOnline && drivers.error && void refetchDrivers(), { defer: true }));

  // The server is reachable again (the socket connected): leave the cached session behind.
  createEffect(on(board.status, (status) => status === 'connected' && session.offline() && void session.refresh(), { defer: true }));

  const isViewer = () => !WRITER_ROLES.includes(props.role);
  // Once the server has closed the connection for good, edits could only pile up on this device.
  const readOnly = () => isViewer() || board.status() === 'closed';
  const readOnlyNote = () =>
    isViewer() ? 'You have view-only access to this board.' : board.status() === 'closed' ? 'Changes can no longer be saved to this board.' : null;
  const basePath = () => `/b/${encodeURIComponent(props.board.id)}`;
  const hrefFor = (id: string) => `${basePath()}?card=${encodeURIComponent(id)}`;

  const [sort, setSort] = createSignal<SortMode>('newest');
  const [search, setSearch] = createSignal('');
  const [statusFilter, setStatusFilter] = createSignal<StatusFilter>('all');
  const filterOptions = () => STATUS_FILTERS.filter((f) => f !== 'mine' || mineLabel(props.role) !== null);
  const isDriverLike = () => props.role === 'driver' || props.role === 'coordinator';
  const showMyDeliveries = () => statusFilter() === 'mine' && isDriverLike();
  // A role change (e.g. to viewer) can take away "mine": fall back to everything.
  createEffect(() => {
    if (!filterOptions().includes(statusFilter())) setStatusFilter('all');
  });
  const searched = createMemo(() => cards.list().filter((c) => cardMatches(c, search())));
  const visible = createMemo(() =>
    sortCards(
      searched().filter((c) => matchesStatusFilter(bookings.get(c.id), statusFilter(), { userId: meId(), role: props.role, createdBy: c.createdBy })),
      sort(),
    ),
  );
  const heldCount = createMemo(
    () =>
      myDeliveries(
        cards.list().map((c) => ({ booking: bookings.get(c.id) })),
        meId(),
      ).active.length,
  );

  const selectedId = () => router.query('card');
  const selected = () => {
    const id = selectedId();
    return id ? cards.byId[id] : undefined;
  };
  const [justCreated, setJustCreated] = createSignal<string | null>(null);

  const close = () => {
    const id = selectedId();
    router.navigate(basePath(), { keepScroll: true });
    // Give keyboard users their place back: the card they were editing, in the list.
    if (id) document.querySelector<HTMLElement>(`.card-item[data-card-id="${CSS.escape(id)}"]`)?.focus();
  };
  const newCard = () => {
    if (readOnly() || !board.loaded()) return;
    const id = createCard(board.doc, {}, user?.id ?? '');
    setJustCreated(id);
    setSearch('');
    router.navigate(hrefFor(id), { keepScroll: true });
  };

  // Another card opened in the same panel: start at its top, not where the last one was scrolled to.
  let panel: HTMLElement | undefined;
  createEffect(on(selectedId, () => panel?.scrollTo(0, 0), { defer: true }));

  // Escape closes the editor; on phones the sheet covers the page, so the page must not scroll under it.
  createEffect(() => {
    if (!selectedId()) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) close();
    };
    document.addEventListener('keydown', onKey);
    document.body.classList.add('sheet-open');
    onCleanup(() => {
      document.removeEventListener('keydown', onKey);
      document.body.classList.remove('sheet-open');
    });
  });

  return (
    <main class="board-page" data-testid="board-view">
      <div class="board-toolbar">
        <div class="board-info">
          <RoleBadge role={props.role} />
          <SyncStatus status={board.status()} synced={board.synced()} unconfirmed={board.unconfirmed()} lastSyncedAt={board.lastSyncedAt()} />
          <Show when={props.role === 'coordinator'}>
            <Link href={`${basePath()}/members`} class="toolbar-link" data-testid="members-link">
              Members &amp; invites
            </Link>
          </Show>
          <Show when={props.role === 'driver'}>
            <button
              type="button"
              class="btn btn-small my-deliveries-toggle"
              classList={{ active: showMyDeliveries() }}
              aria-pressed={showMyDeliveries()}
              data-testid="my-deliveries-link"
              onClick={() => setStatusFilter(showMyDeliveries() ? 'all' : 'mine')}
            >
              My deliveries
              <span class="count-pill">{heldCount()}</span>
            </button>
          </Show>
        </div>
        <div class="board-actions">
          <div class="search">
            <label for="card-search" class="visually-hidden">
              Search cards
            </label>
            <input
              id="card-search"
              type="search"
              placeholder="Search cards"
              data-testid="card-search"
              value={search()}
              onInput={(e) => setSearch(e.currentTarget.value)}
            />
          </div>
          <div class="status-filter">
            <label for="status-filter" class="visually-hidden">
              Show cards by status
            </label>
            <select
              id="status-filter"
              data-testid="status-filter"
              value={statusFilter()}
              onChange={(e) => setStatusFilter(e.currentTarget.value as StatusFilter)}
            >
              {filterOptions().map((f) => (
                <option value={f}>{statusFilterLabel(f, props.role)}</option>
              ))}
            </select>
          </div>
          <div class="sort">
            <label for="card-sort" class="visually-hidden">
              Sort cards
            </label>
            <select id="card-sort" data-testid="card-sort" value={sort()} onChange={(e) => setSort(e.currentTarget.value as SortMode)}>
              {Object.entries(SORTS).map(([value, label]) => (
                <option value={value}>{label}</option>
              ))}
            </select>
          </div>
          <Show when={!readOnly()}>
            <button type="button" class="btn btn-primary new-card" data-testid="new-card" disabled={!board.loaded()} onClick={newCard}>
              <span aria-hidden="true">+</span> New card
            </button>
          </Show>
        </div>
      </div>

      <Show when={board.closed()}>
        {(closed) => (
          <div class="banner banner-error board-banner" role="alert" data-testid="sync-closed">
            {CLOSE_MESSAGES[closed().code] ?? 'The server closed the connection.'}{' '}
            <Show when={closed().code === 4401} fallback={<Link href="/">Back to your boards</Link>}>
              <Link href={withNext('/login', router.path() + router.search())}>Sign in again</Link>
            </Show>
          </div>
        )}
      </Show>

      <Show when={board.loaded()} fallback={<Loading label="Opening board…" />}>
        <div class="board-layout" classList={{ 'has-selection': !!selectedId() }}>
          <section class="board-list" aria-label="Cards">
            <Show when={!showMyDeliveries()}>
              <p class="card-count" data-testid="card-count">
                {cards.list().length === 1 ? '1 card' : `${cards.list().length} cards`}
                <Show when={statusFilter() !== 'all'}>
                  {' '}
                  · {visible().length} shown
                </Show>
              </p>
            </Show>
            <Show
              when={showMyDeliveries()}
              fallback={
                <CardList
                  cards={visible()}
                  total={cards.list().length}
                  selectedId={selectedId()}
                  hrefFor={hrefFor}
                  canCreate={!readOnly()}
                  bookingFor={bookings.get}
                  pendingFor={pendingFor}
                  meId={meId()}
                />
              }
            >
              <MyDeliveries
                cards={searched()}
                bookingFor={bookings.get}
                pendingFor={pendingFor}
                meId={meId()}
                selectedId={selectedId()}
                hrefFor={hrefFor}
              />
            </Show>
          </section>
          <aside class="editor-panel" aria-label="Card editor" ref={panel}>
            <Switch
              fallback={
                <div class="editor-placeholder">
                  <p>Select a card to see its details{readOnly() ? '.' : ', or create a new one.'}</p>
                </div>
              }
            >
              <Match when={selected()} keyed>
                {(card) => (
                  <CardView
                    doc={board.doc}
                    boardId={props.board.id}
                    card={card}
                    booking={bookings.get(card.id)}
                    role={props.role}
                    user={user ? { id: user.id, name: user.name } : null}
                    readOnly={readOnly()}
                    readOnlyNote={readOnlyNote()}
                    onClose={close}
                    focusTitle={justCreated() === card.id}
                    drivers={drivers.state === 'ready' ? drivers() : undefined}
                    driversError={driversError()}
                    pending={pendingFor(card.id)}
                    online={online()}
                  />
                )}
              </Match>
              <Match when={selectedId()}>
                <div class="editor-placeholder" data-testid="card-missing">
                  <p>This card was deleted or does not exist.</p>
                  <button type="button" class="btn" onClick={close}>
                    Close
                  </button>
                </div>
              </Match>
            </Switch>
          </aside>
        </div>
      </Show>
    </main>
  );
}
