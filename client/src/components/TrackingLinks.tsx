/**
 * Tracking links for one card: coordinators and the requester who posted it can make a link for
 * the recipient (no account needed: `/track/<token>` shows status, driver's first name and
 * timeline), copy it, and revoke links. The server keeps only a hash of each token, so a link's
 * address can be copied only right after it is made; the list shows the live ones by date.
 */
import { createEffect, createSignal, For, on, Show } from 'solid-js';
import type { CardData } from '@delivery-board/schema/boardDoc';
import type { Role } from '@delivery-board/schema/types';
import { ApiError, errorMessage, type TrackingLink } from '../lib/api.ts';
import { useApi } from '../lib/apiContext.ts';
import { formatWhen } from '../lib/bookingFormat.ts';
import { ConfirmButton } from './ConfirmButton.tsx';
import { CopyField } from './CopyField.tsx';
import { FormError } from './FormError.tsx';

export interface TrackingLinksProps {
  boardId: string;
  card: CardData;
  role: Role;
  userId: string;
  onChanged?: () => void;
}

/** Who may share tracking links for a card (the server's rule). */
export function mayTrack(role: Role, card: CardData, userId: string): boolean {
  return role === 'coordinator' || (role === 'requester' && card.createdBy === userId);
}

export function TrackingLinks(props: TrackingLinksProps) {
  return (
    <Show when={mayTrack(props.role, props.card, props.userId)}>
      <TrackingLinksPanel {...props} />
    </Show>
  );
}

function TrackingLinksPanel(props: TrackingLinksProps) {
  const api = useApi();
  const [links, setLinks] = createSignal<TrackingLink[] | null>(null);
  const [created, setCreated] = createSignal<{ id: string; url: string } | null>(null);
  const [creating, setCreating] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [hidden, setHidden] = createSignal(false);

  const load = async () => {
    try {
      setLinks((await api.trackingLinks(props.boardId, props.card.id)).links);
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) setHidden(true);
      else if (!(err instanceof ApiError && err.isNetwork)) setError(errorMessage(err));
    }
  };
  createEffect(on(() => props.card.id, () => void load()));

  const create = async () => {
    setCreating(true);
    setError(null);
    try {
      const link = await api.createTrackingLink(props.boardId, props.card.id);
      setCreated({ id: link.id, url: link.url });
      await load();
      props.onChanged?.();
    } catch (err) {
      setError(err instanceof ApiError && err.isNetwork ? "Can't make a link while you're offline." : errorMessage(err));
    } finally {
      setCreating(false);
    }
  };

  const revoke = async (link: TrackingLink) => {
    setError(null);
    try {
      await api.revokeTrackingLink(props.boardId, props.card.id, link.id);
      if (created()?.id === link.id) setCreated(null);
      await load();
      props.onChanged?.();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <Show when={!hidden()}>
      <section class="card-section tracking-section" data-testid="tracking-links" aria-labelledby="tracking-heading">
        <h3 id="tracking-heading">Tracking links</h3>
        <p class="field-hint">Send the recipient a link to follow this delivery: status, the driver's first name and times. Nothing private.</p>
        <Show when={created()}>
          {(link) => <CopyField id="tracking-url" label="New tracking link" value={link().url} testid="tracking-url" />}
        </Show>
        <FormError message={error()} testid="tracking-error" />
        <button type="button" class="btn" data-testid="tracking-create" disabled={creating()} onClick={() => void create()}>
          {creating() ? 'Creating…' : created() ? 'Create another link' : 'Create tracking link'}
        </button>
        <Show when={(links()?.length ?? 0) > 0}>
          <ul class="tracking-list" data-testid="tracking-list">
            <For each={links()!}>
              {(link) => (
                <li class="tracking-row" data-testid="tracking-row">
                  <span>
                    Link made {formatWhen(link.createdAt)}
                    <Show when={created()?.id === link.id}>
                      <span class="muted"> (the one above)</span>
                    </Show>
                  </span>
                  <ConfirmButton label="Revoke" question="Revoke this link?" confirmLabel="Revoke" testid="tracking-revoke" onConfirm={() => revoke(link)} />
                </li>
              )}
            </For>
          </ul>
        </Show>
      </section>
    </Show>
  );
}
