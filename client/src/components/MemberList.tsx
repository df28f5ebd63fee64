/**
 * The board's members with a role picker and a remove button each (coordinators only). The board's
 * only coordinator can neither step down nor leave (the server refuses it too), so their controls
 * are disabled and say why, rather than offering a change that can only fail.
 */
import { For, Show } from 'solid-js';
import { DELIVERY_ROLES, ROLES, type MemberListing, type Role } from '@delivery-board/schema/types';
import { ConfirmButton } from './ConfirmButton.tsx';
import { ROLE_LABELS } from '../lib/roles.ts';

export interface MemberListProps {
  members: MemberListing[];
  currentUserId: string | undefined;
  busyUserId: string | null;
  onRoleChange: (member: MemberListing, role: Role) => void;
  onRemove: (member: MemberListing) => Promise<void>;
}

const deliveries = (n: number) => (n === 1 ? '1 delivery' : `${n} deliveries`);

export function MemberList(props: MemberListProps) {
  const coordinators = () => props.members.filter((m) => m.role === 'coordinator').length;
  return (
    <ul class="member-list" data-testid="member-list">
      <For each={props.members}>
        {(member) => {
          const isMe = () => member.userId === props.currentUserId;
          const selectId = `member-role-${member.userId}`;
          const noteId = `member-note-${member.userId}`;
          const onlyCoordinator = () => member.role === 'coordinator' && coordinators() === 1;
          return (
            <li class="member-row" data-testid="member-row" data-user-id={member.userId}>
              <div class="member-who">
                <span class="member-name">
                  {member.name}
                  <Show when={isMe()}>
                    <span class="muted"> (you)</span>
                  </Show>
                </span>
                <span class="member-email">{member.email}</span>
                <Show when={member.holding > 0}>
                  <span class="member-note" classList={{ 'member-warning': !DELIVERY_ROLES.includes(member.role) }} data-testid="member-holding">
                    {DELIVERY_ROLES.includes(member.role)
                      ? `Holds ${deliveries(member.holding)}.`
                      : `Holds ${deliveries(member.holding)} they can no longer move on: release or reassign ${member.holding === 1 ? 'it' : 'them'} on the board.`}
                  </span>
                </Show>
                <Show when={onlyCoordinator()}>
                  <span class="member-note" id={noteId} data-testid="only-coordinator">
                    The board's only coordinator: make someone else a coordinator before changing this role or {isMe() ? 'leaving' : 'removing them'}.
                  </span>
                </Show>
              </div>
              <div class="member-actions">
                <label for={selectId} class="visually-hidden">
                  Role for {member.name}
                </label>
                <select
                  id={selectId}
                  data-testid="member-role-select"
                  value={member.role}
                  aria-describedby={onlyCoordinator() ? noteId : undefined}
                  disabled={props.busyUserId === member.userId || onlyCoordinator()}
                  onChange={(e) => props.onRoleChange(member, e.currentTarget.value as Role)}
                >
                  {ROLES.map((r) => (
                    <option value={r}>{ROLE_LABELS[r]}</option>
                  ))}
                </select>
                <ConfirmButton
                  label={isMe() ? 'Leave' : 'Remove'}
                  question={
                    (isMe() ? 'Leave this board?' : `Remove ${member.name}?`) +
                    (member.holding > 0
                      ? ` ${isMe() ? 'Your' : 'Their'} ${deliveries(member.holding)} ${member.holding === 1 ? 'stays' : 'stay'} held until released or reassigned.`
                      : '')
                  }
                  confirmLabel={isMe() ? 'Leave' : 'Remove'}
                  testid="remove-member"
                  disabled={props.busyUserId === member.userId || onlyCoordinator()}
                  onConfirm={() => props.onRemove(member)}
                />
              </div>
            </li>
          );
        }}
      </For>
    </ul>
  );
}
