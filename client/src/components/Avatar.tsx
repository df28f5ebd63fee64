/**
 * People as small coloured circles with initials: one `Avatar`, and `AvatarStack` for the people
 * on the board or on one card. The names are always available as text for screen readers.
 */
import { For, Show } from 'solid-js';
import type { PresentUser } from '../lib/presenceFormat.ts';

export function Avatar(props: { user: PresentUser; size?: 'small' | 'normal'; editing?: boolean }) {
  return (
    <span
      class="avatar"
      classList={{ 'avatar-small': props.size === 'small', 'avatar-editing': props.editing }}
      style={{ 'background-color': props.user.color }}
      title={props.user.name}
      aria-hidden="true"
    >
      {props.user.initials}
    </span>
  );
}

export interface AvatarStackProps {
  users: readonly PresentUser[];
  /** Shown instead of the names for screen readers, e.g. "Sam Okafor is editing this card". */
  label: string;
  max?: number;
  size?: 'small' | 'normal';
  /** Whose ring shows they are typing (a card id). */
  editingCard?: string;
  testid?: string;
}

export function AvatarStack(props: AvatarStackProps) {
  const max = () => props.max ?? 4;
  return (
    <span class="avatar-stack" data-testid={props.testid} title={props.label}>
      <For each={props.users.slice(0, max())}>
        {(u) => <Avatar user={u} size={props.size} editing={!!props.editingCard && u.editing.includes(props.editingCard)} />}
      </For>
      <Show when={props.users.length > max()}>
        <span class="avatar avatar-more" classList={{ 'avatar-small': props.size === 'small' }} aria-hidden="true">
          +{props.users.length - max()}
        </span>
      </Show>
      <span class="visually-hidden">{props.label}</span>
    </span>
  );
}
