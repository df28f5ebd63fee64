/**
 * The board's top rows: role, sync state, who else is here, the members link, then the view
 * switch (list / map / my deliveries, plain toggle buttons so keyboards and screen readers get
 * them for free) and New card. Extra controls (notifications, location sharing) come in `extra`.
 */
import { Show, type JSX } from 'solid-js';
import type { Role } from '@delivery-board/schema/types';
import { RoleBadge } from './Badges.tsx';
import { Link } from './Link.tsx';

export type BoardViewMode = 'list' | 'map' | 'mine';

export interface BoardToolbarProps {
  role: Role;
  membersHref: string;
  /** The sync pill and presence avatars. */
  status: JSX.Element;
  extra?: JSX.Element;
  mode: BoardViewMode;
  setMode: (mode: BoardViewMode) => void;
  /** Offer "My deliveries" (drivers and coordinators). */
  canDeliver: boolean;
  /** Cards this user holds; null while the bookings are still loading (no count is better than a wrong 0). */
  heldCount: number | null;
  canCreate: boolean;
  createDisabled: boolean;
  onNewCard: () => void;
}

export function BoardToolbar(props: BoardToolbarProps) {
  const modeButton = (mode: BoardViewMode, label: JSX.Element, testid: string) => (
    <button
      type="button"
      class="btn btn-small view-button"
      classList={{ active: props.mode === mode, 'my-deliveries-toggle': mode === 'mine' }}
      aria-pressed={props.mode === mode}
      data-testid={testid}
      onClick={() => props.setMode(mode)}
    >
      {label}
    </button>
  );
  return (
    <div class="board-toolbar">
      <div class="board-info">
        <RoleBadge role={props.role} />
        {props.status}
        <Show when={props.role === 'coordinator'}>
          <Link href={props.membersHref} class="toolbar-link" data-testid="members-link">
            Members &amp; invites
          </Link>
        </Show>
        {props.extra}
      </div>
      <div class="board-actions">
        <div class="view-switch" role="group" aria-label="View">
          {modeButton('list', 'List', 'view-list')}
          {modeButton('map', 'Map', 'view-map')}
          <Show when={props.canDeliver}>
            {modeButton(
              'mine',
              <>
                My deliveries
                <Show when={props.heldCount !== null}>
                  {' '}
                  <span class="count-pill">{props.heldCount}</span>
                </Show>
              </>,
              'my-deliveries-link',
            )}
          </Show>
        </div>
        <Show when={props.canCreate}>
          <button type="button" class="btn btn-primary new-card" data-testid="new-card" disabled={props.createDisabled} onClick={() => props.onNewCard()}>
            <span aria-hidden="true">+</span> New card
          </button>
        </Show>
      </div>
    </div>
  );
}
