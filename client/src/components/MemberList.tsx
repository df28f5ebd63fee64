/** The board's members with a role picker and a remove button each (coordinators only). */
import { For, Show } from 'solid-js';
import { ROLES, type Member, type Role } from '@delivery-board/schema/types';
import { ConfirmButton } from './ConfirmButton.tsx';
import { ROLE_LABELS } from '../lib/roles.ts';

export interface MemberListProps {
  members: Member[];
  currentUserId: string | undefined;
  busyUserId: string | null;
  onRoleChange: (member: Member, role: Role) => void;
  onRemove: (member: Member) => Promise<void>;
}

export function MemberList(props: MemberListProps) {
  return (
    <ul class="member-list" data-testid="member-list">
      <For each={props.members}>
        {(member) => {
          const isMe = () => member.userId === props.currentUserId;
          const selectId = `member-role-${member.userId}`;
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
              </div>
              <div class="member-actions">
                <label for={selectId} class="visually-hidden">
                  Role for {member.name}
                </label>
                <select
                  id={selectId}
                  data-testid="member-role-select"
                  value={member.role}
                  disabled={props.busyUserId === member.userId}
                  onChange={(e) => props.onRoleChange(member, e.currentTarget.value as Role)}
                >
                  {ROLES.map((r) => (
                    <option value={r}>{ROLE_LABELS[r]}</option>
                  ))}
                </select>
                <ConfirmButton
                  label={isMe() ? 'Leave' : 'Remove'}
                  question={isMe() ? 'Leave this board?' : `Remove ${member.name}?`}
                  confirmLabel={isMe() ? 'Leave' : 'Remove'}
                  testid="remove-member"
                  disabled={props.busyUserId === member.userId}
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
