/**
 * The board's sync state as a small pill: Synced / Saving N changes / Reconnecting / Offline /
 * Disconnected, the number of local changes the server has not confirmed, and when it last did.
 * `data-sync-state` carries the raw state (lib/unconfirmed.ts `syncState`) at once; the visible
 * "Saving…" waits a moment, so typing online does not make the pill flicker on every keystroke.
 * Screen readers hear connection changes only (a separate polite live region), not each save.
 */
import { createEffect, createSignal, on, onCleanup, Show } from 'solid-js';
import type { SyncStatus as Status } from '../lib/createBoardDoc.ts';
import { formatWhen } from '../lib/bookingFormat.ts';
import { syncState, type SyncState } from '../lib/unconfirmed.ts';

export interface SyncStatusProps {
  status: Status;
  synced: boolean;
  unconfirmed: number;
  lastSyncedAt: number | null;
}

const PENDING_DELAY_MS = 600;

const changes = (n: number) => (n === 1 ? '1 change' : `${n} changes`);

function label(state: SyncState, n: number): string {
  switch (state) {
    case 'synced':
      return 'Synced';
    case 'pending':
      return n > 0 ? `Saving ${changes(n)}…` : 'Syncing…';
    case 'reconnecting':
      return 'Reconnecting…';
    case 'offline':
      return 'Offline';
    case 'closed':
      return 'Disconnected';
  }
}

const HINTS: Record<SyncState, string> = {
  synced: 'Every change is saved on the server and shared live.',
  pending: 'Sending changes to the server…',
  reconnecting: 'Connecting to the server… Changes are kept on this device meanwhile.',
  offline: 'Changes are saved on this device and sync when the connection is back.',
  closed: 'The server closed the connection. Reload the page to try again.',
};

const ANNOUNCE: Partial<Record<SyncState, string>> = {
  offline: 'You are offline. Changes are kept on this device.',
  synced: 'Back online. Changes are synced.',
  closed: 'The server closed the connection.',
};

/**
 * A short line for places that hide the pill (the full-screen card sheet on a phone, where it
 * must fit beside the heading): "Offline · 2 unsent" while away, else null.
 */
export function awayNote(props: Pick<SyncStatusProps, 'status' | 'synced' | 'unconfirmed'>): string | null {
  const state = syncState(props);
  if (state !== 'offline' && state !== 'reconnecting') return null;
  return props.unconfirmed > 0 ? `${label(state, 0)} · ${props.unconfirmed} unsent` : label(state, 0);
}

export function SyncStatus(props: SyncStatusProps) {
  const state = () => syncState({ status: props.status, synced: props.synced, unconfirmed: props.unconfirmed });
  // What the pill shows: like `state`, but "pending" only once it lasted a moment.
  const [shown, setShown] = createSignal<SyncState>(state());
  createEffect(
    on(state, (s) => {
      if (s !== 'pending' || shown() === 'offline' || shown() === 'reconnecting') return setShown(s);
      const timer = setTimeout(() => setShown('pending'), PENDING_DELAY_MS);
      onCleanup(() => clearTimeout(timer));
    }),
  );
  // Announce only changes of connection, and "synced" only after being away.
  const [announcement, setAnnouncement] = createSignal('');
  let wasAway = false;
  createEffect(
    on(state, (s) => {
      if (s === 'offline' || s === 'closed') {
        wasAway = true;
        setAnnouncement(ANNOUNCE[s]!);
      } else if (s === 'synced' && wasAway) {
        wasAway = false;
        setAnnouncement(ANNOUNCE.synced!);
      }
    }),
  );

  const last = () => (props.lastSyncedAt ? `Last synced ${formatWhen(props.lastSyncedAt)}` : 'Not synced yet on this device');
  const away = () => state() === 'offline' || state() === 'reconnecting' || state() === 'closed';

  return (
    <span class="sync-wrap">
      <span
        class={`sync-status sync-${shown()}`}
        data-testid="sync-status"
        data-status={props.status}
        data-sync-state={state()}
        data-pending={props.unconfirmed}
        title={`${HINTS[shown()]} ${last()}.`}
      >
        <span class="sync-dot" aria-hidden="true" />
        {label(shown(), props.unconfirmed)}
        <Show when={away() && props.unconfirmed > 0}>
          <span class="sync-count" data-testid="sync-pending-count">
            {changes(props.unconfirmed)} on this device
          </span>
        </Show>
      </span>
      <Show when={away() || props.lastSyncedAt === null}>
        <span class="sync-last" data-testid="sync-last">
          {last()}
        </span>
      </Show>
      <span class="visually-hidden" role="status" aria-live="polite">
        {announcement()}
      </span>
    </span>
  );
}
