/** Small coloured labels: a card's priority and a member's role. */
import type { Priority } from '@delivery-board/schema/boardDoc';
import type { Role } from '@delivery-board/schema/types';
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
