/**
 * The card's private details (recipient name, phone, access notes): kept by the server, never in a
 * Yjs document. Shown only to those the server lets read them — coordinators, the requester who
 * posted the card, and the driver holding it — and not even requested for anyone else. Coordinators
 * and the card's requester can edit them; the driver sees them read-only, with a tappable phone
 * number. A 403 (the card changed hands meanwhile) hides the panel quietly. The driver's copy is
 * kept on the device (lib/privateDetailsCache.ts), so the door code is there offline too.
 */
import { createEffect, createSignal, on, Show } from 'solid-js';
import { privateDetailsBody } from '@delivery-board/schema/validators';
import type { CardData } from '@delivery-board/schema/boardDoc';
import type { Booking } from '@delivery-board/schema/bookings';
import type { Role } from '@delivery-board/schema/types';
import { ApiError, errorMessage, type PrivateDetails as Details } from '../lib/api.ts';
import { useApi } from '../lib/apiContext.ts';
import { formatWhen, holds } from '../lib/bookingFormat.ts';
import { forgetPrivateDetails, recallPrivateDetails, rememberPrivateDetails } from '../lib/privateDetailsCache.ts';
import { validate, type FieldErrors } from '../lib/validate.ts';
import { describedBy, Field } from './Field.tsx';
import { FormError } from './FormError.tsx';

export interface PrivateDetailsProps {
  boardId: string;
  card: CardData;
  booking: Booking;
  role: Role;
  userId: string;
  /** The network is up (navigator.onLine): details that could not be read offline are read when it returns. */
  online: boolean;
  onSaved?: () => void;
}

/** Who may read a card's private details (the server's rule, docs/api.md). */
export function mayReadPrivate(role: Role, card: CardData, booking: Booking, userId: string): boolean {
  return role === 'coordinator' || (role === 'requester' && card.createdBy === userId) || (role === 'driver' && holds(booking, userId));
}

/** Who may change them. */
export function mayWritePrivate(role: Role, card: CardData, userId: string): boolean {
  return role === 'coordinator' || (role === 'requester' && card.createdBy === userId);
}

export function PrivateDetails(props: PrivateDetailsProps) {
  const canRead = () => mayReadPrivate(props.role, props.card, props.booking, props.userId);
  return (
    <Show when={canRead()}>
      <PrivateDetailsPanel {...props} />
    </Show>
  );
}

function PrivateDetailsPanel(props: PrivateDetailsProps) {
  const api = useApi();
  const [details, setDetails] = createSignal<Details | null>(null);
  // 'kept': offline, showing the copy this device kept (drivers only), read-only.
  const [state, setState] = createSignal<'loading' | 'ready' | 'kept' | 'hidden' | 'offline' | 'error'>('loading');
  const [keptAt, setKeptAt] = createSignal<number | null>(null);
  const [loadError, setLoadError] = createSignal<string | null>(null);
  const [draft, setDraft] = createSignal({ recipientName: '', phone: '', accessNotes: '' });
  const [errors, setErrors] = createSignal<FieldErrors>({});
  const [saving, setSaving] = createSignal(false);
  const [saveError, setSaveError] = createSignal<string | null>(null);
  const [saved, setSaved] = createSignal(false);
  const canWrite = () => mayWritePrivate(props.role, props.card, props.userId);

  // Only a driver keeps a copy: the one at the door; coordinators and requesters sit at a screen.
  const keeps = () => props.role === 'driver';
  const load = async () => {
    const { boardId, userId } = props;
    const cardId = props.card.id;
    try {
      const { details: d } = await api.privateDetails(boardId, cardId);
      setDetails(d);
      setDraft({ recipientName: d.recipientName, phone: d.phone, accessNotes: d.accessNotes });
      setState('ready');
      if (keeps()) rememberPrivateDetails(userId, boardId, cardId, d);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 403 || err.status === 404)) {
        forgetPrivateDetails(userId, boardId, cardId);
        setState('hidden');
      } else if (err instanceof ApiError && err.isNetwork) {
        const kept = keeps() ? recallPrivateDetails(userId, boardId, cardId) : null;
        setDetails(kept?.details ?? null);
        setKeptAt(kept?.savedAt ?? null);
        setState(kept ? 'kept' : 'offline');
      } else {
        setLoadError(errorMessage(err));
        setState('error');
      }
    }
  };
  createEffect(on(() => props.card.id, () => void load()));
  // Opened offline (the kept copy, or nothing): read them from the server once the network is back.
  createEffect(on(() => props.online, (online) => online && (state() === 'offline' || state() === 'kept' || state() === 'error') && void load(), { defer: true }));

  const save = async (e: Event) => {
    e.preventDefault();
    setSaveError(null);
    setSaved(false);
    const checked = validate(privateDetailsBody, draft());
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    setSaving(true);
    try {
      const { details: d } = await api.savePrivateDetails(props.boardId, props.card.id, checked.data);
      setDetails(d);
      setDraft({ recipientName: d.recipientName, phone: d.phone, accessNotes: d.accessNotes });
      setSaved(true);
      props.onSaved?.();
    } catch (err) {
      setSaveError(err instanceof ApiError && err.isNetwork ? "Can't save while you're offline. Try again when you're back online." : errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  const edit = (field: 'recipientName' | 'phone' | 'accessNotes', value: string) => {
    setSaved(false);
    setDraft((d) => ({ ...d, [field]: value }));
  };
  const dirty = () => {
    const d = details();
    const x = draft();
    return !d || d.recipientName !== x.recipientName || d.phone !== x.phone || d.accessNotes !== x.accessNotes;
  };

  return (
    <Show when={state() !== 'hidden'}>
      <section class="card-section private-section" data-testid="private-details" aria-labelledby="private-heading">
        <h3 id="private-heading">
          <span class="lock-mark" aria-hidden="true" />
          Private details
        </h3>
        <p class="field-hint">Only coordinators, the requester and the driver holding this card can see these.</p>
        <Show when={state() === 'loading'}>
          <p class="muted small">Loading…</p>
        </Show>
        <Show when={state() === 'offline'}>
          <p class="muted small" data-testid="private-offline">
            {keeps()
              ? "You're offline, and this device has no copy of these yet (it keeps one once you have opened the card online)."
              : canWrite()
                ? "You're offline. Private details are kept on the server only: you can see and add them once you're back online."
                : "Private details are not kept on this device, so they can't be shown while you're offline."}
          </p>
        </Show>
        <Show when={state() === 'kept'}>
          <p class="muted small" data-testid="private-kept">
            You're offline: this is the copy kept on this device, from {formatWhen(keptAt()!)}. It is deleted when you sign out.
          </p>
        </Show>
        <Show when={state() === 'error'}>
          <FormError message={loadError()} testid="private-error" />
        </Show>
        <Show when={(state() === 'ready' || state() === 'kept') && details()}>
          {(d) => (
            <Show
              when={canWrite() && state() === 'ready'}
              fallback={
                <dl class="private-list">
                  <dt>Recipient</dt>
                  <dd data-testid="private-recipient">{d().recipientName || <span class="muted">Not given</span>}</dd>
                  <dt>Phone</dt>
                  <dd data-testid="private-phone">
                    {d().phone ? <a href={`tel:${d().phone.replace(/[^\d+]/g, '')}`}>{d().phone}</a> : <span class="muted">Not given</span>}
                  </dd>
                  <dt>Access notes</dt>
                  <dd data-testid="private-notes" class="pre-wrap">
                    {d().accessNotes || <span class="muted">None</span>}
                  </dd>
                </dl>
              }
            >
              <form class="private-form" onSubmit={save} novalidate>
                <Field id="private-recipient" label="Recipient name" error={errors().recipientName}>
                  <input
                    id="private-recipient"
                    type="text"
                    data-testid="private-recipient-input"
                    autocomplete="off"
                    maxLength={120}
                    value={draft().recipientName}
                    aria-describedby={describedBy('private-recipient')}
                    onInput={(e) => edit('recipientName', e.currentTarget.value)}
                  />
                </Field>
                <Field id="private-phone" label="Phone" error={errors().phone}>
                  <input
                    id="private-phone"
                    type="tel"
                    data-testid="private-phone-input"
                    autocomplete="off"
                    maxLength={40}
                    value={draft().phone}
                    aria-describedby={describedBy('private-phone')}
                    onInput={(e) => edit('phone', e.currentTarget.value)}
                  />
                </Field>
                <Field id="private-notes" label="Access notes" hint="Door codes, buzzer, where to leave it." error={errors().accessNotes}>
                  <textarea
                    id="private-notes"
                    data-testid="private-notes-input"
                    rows={3}
                    maxLength={2000}
                    value={draft().accessNotes}
                    aria-describedby={describedBy('private-notes')}
                    onInput={(e) => edit('accessNotes', e.currentTarget.value)}
                  />
                </Field>
                <FormError message={saveError()} testid="private-save-error" />
                <div class="button-row private-actions">
                  <button type="submit" class="btn" data-testid="private-save" disabled={saving() || !dirty()}>
                    {saving() ? 'Saving…' : 'Save private details'}
                  </button>
                  <span class="muted small" role="status" data-testid="private-saved">
                    {saved() ? 'Saved.' : d().updatedAt ? `Last changed ${formatWhen(d().updatedAt!)}` : ''}
                  </span>
                </div>
              </form>
            </Show>
          )}
        </Show>
      </section>
    </Show>
  );
}
