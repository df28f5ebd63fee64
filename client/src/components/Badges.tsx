/** Small coloured labels: a card's booking status and priority, and a member's role. */
import type { Priority } from '@delivery-board/schema/boardDoc';
import type { Booking } from '@delivery-board/schema/bookings';
import type { Role } from '@delivery-board/schema/types';
import { statusText } from '../lib/bookingFormat.ts';
import { PRIORITY_LABELS } from '../lib/cardFormat.ts';
import { ROLE_LABELS } from '../lib/roles.ts';

export function PriorityBadge(props: { priority: Priority }) {
  return (
    <span class={`badge priority-${props.priority}`} data-testid="priority-badge">
      {PRIORITY_LABELS[props.priority] ?? props.priority}
    </span>
  );
}

export function RoleBadge(props: { role: Role }) {
  return (
    <span class={`badge role-${props.role}`} data-testid="role-badge">
      {ROLE_LABELS[props.role] ?? props.role}
    </span>
  );
}

/**
 * A card's booking status with the driver ("Claimed by Sam Okafor"). Colour is never the only cue:
 * the label says it, and the marker's shape differs (ring for open, dot for held, tick for
 * delivered, cross for cancelled). Every pair passes WCAG AA (4.5:1) for text.
 */
export function StatusBadge(props: { booking: Booking; meId: string | null; testid?: string; large?: boolean }) {
  return (
    <span
      class={`badge status-badge status-${props.booking.status}`}
      classList={{ 'status-badge-large': props.large }}
      data-testid={props.testid ?? 'card-status'}
      data-status={props.booking.status}
    >
      <span class="status-mark" aria-hidden="true" />
      {statusText(props.booking, props.meId)}
    </span>
  );
}
