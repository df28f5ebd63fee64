/** The board's live invite links (role, uses, expiry) with a Revoke button each. */
import { For, Show } from 'solid-js';
import type { InviteInfo } from '@delivery-board/schema/types';
import { RoleBadge } from './Badges.tsx';
import { ConfirmButton } from './ConfirmButton.tsx';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function usesText(invite: InviteInfo): string {
  if (invite.maxUses) return `Used ${invite.uses} of ${invite.maxUses}`;
  return invite.uses === 1 ? 'Used once' : `Used ${invite.uses} times`;
}

export function InviteList(props: { invites: InviteInfo[]; onRevoke: (invite: InviteInfo) => Promise<void> }) {
  return (
    <Show when={props.invites.length > 0} fallback={<p class="muted" data-testid="invites-empty">No live invite links.</p>}>
      <ul class="invite-list" data-testid="invite-list">
        <For each={props.invites}>
          {(invite) => (
            <li class="invite-row" data-testid="invite-row" data-invite-id={invite.id}>
              <div class="invite-info">
                <RoleBadge role={invite.role} />
                <span>{usesText(invite)}</span>
                <span class="muted">Expires {dateFormat.format(new Date(invite.expiresAt))}</span>
              </div>
              <ConfirmButton
                label="Revoke"
                question="Revoke this link?"
                confirmLabel="Revoke"
                testid="revoke-invite"
                onConfirm={() => props.onRevoke(invite)}
              />
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
