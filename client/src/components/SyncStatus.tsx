/** The board's connection state as a small pill: connected / connecting / offline / disconnected for good. */
import type { SyncStatus as Status } from '../lib/createBoardDoc.ts';

const LABELS: Record<Status, string> = {
  connected: 'Connected',
  connecting: 'Connecting…',
  offline: 'Offline',
  closed: 'Disconnected',
};

const HINTS: Record<Status, string> = {
  connected: 'Changes are shared live with everyone on this board.',
  connecting: 'Connecting to the server…',
  offline: 'Changes are saved on this device and sync when the connection is back.',
  closed: 'The server closed the connection. Reload the page to try again.',
};

export function SyncStatus(props: { status: Status }) {
  return (
    <span
      class={`sync-status sync-${props.status}`}
      data-testid="sync-status"
      data-status={props.status}
      title={HINTS[props.status]}
      role="status"
    >
      <span class="sync-dot" aria-hidden="true" />
      {LABELS[props.status]}
    </span>
  );
}
