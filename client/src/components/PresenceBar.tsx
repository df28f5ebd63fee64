/**
 * Who else is on the board right now, as avatars in the toolbar: each with the person's name and
 * what they have open, for sighted users on hover and for screen readers as text.
 */
import { For, Show } from 'solid-js';
import type { PresentUser } from '../lib/presenceFormat.ts';
import { Avatar } from './Avatar.tsx';

export interface PresenceBarProps {
  users: readonly PresentUser[];
  /** A card's title by id, to say what someone is editing. */
  titleOf: (cardId: string) => string | null;
}

export function PresenceBar(props: PresenceBarProps) {
  const doing = (u: PresentUser) => {
    const editing = u.editing[0] ?? null;
    const viewing = u.viewing[0] ?? null;
    const title = (id: string) => props.titleOf(id)?.trim() || 'an untitled card';
    if (editing) return `editing ${title(editing)}`;
    if (viewing) return `looking at ${title(viewing)}`;
    return 'on the board';
  };
  return (
    <Show when={props.users.length > 0}>
      <div class="presence-bar" data-testid="presence-bar">
        <span class="visually-hidden">Also here:</span>
        <ul class="presence-list" aria-label="People on this board now">
          <For each={props.users}>
            {(u) => (
              <li data-testid="presence-avatar" data-user-id={u.id} data-editing={u.editing[0] ?? ''} title={`${u.name}, ${doing(u)}`}>
                <Avatar user={u} editing={u.editing.length > 0} />
                <span class="visually-hidden">
                  {u.name}, {doing(u)}
                </span>
              </li>
            )}
          </For>
        </ul>
      </div>
    </Show>
  );
}
