/** The form that creates an invite link (role, lifetime, number of uses) and shows the link to copy. */
import { createSignal, Show } from 'solid-js';
import { createInviteBody } from '@delivery-board/schema/validators';
import { ROLES, type Role } from '@delivery-board/schema/types';
import { errorMessage, type CreatedInvite } from '../lib/api.ts';
import { useApi } from '../lib/apiContext.ts';
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from '../lib/roles.ts';
import { validate, type FieldErrors } from '../lib/validate.ts';
import { CopyField } from './CopyField.tsx';
import { describedBy, Field } from './Field.tsx';
import { FormError } from './FormError.tsx';

const LIFETIMES: [hours: number, label: string][] = [
  [24, '1 day'],
  [72, '3 days'],
  [168, '7 days'],
  [720, '30 days'],
  [2160, '90 days'],
];

const expiryFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function InviteCreator(props: { boardId: string; onCreated: () => void }) {
  const api = useApi();
  const [role, setRole] = createSignal<Role>('driver');
  const [hours, setHours] = createSignal(168);
  const [maxUses, setMaxUses] = createSignal('');
  const [errors, setErrors] = createSignal<FieldErrors>({});
  const [formError, setFormError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [created, setCreated] = createSignal<CreatedInvite | null>(null);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setFormError(null);
    const uses = maxUses().trim();
    const checked = validate(
      createInviteBody,
      { role: role(), expiresInHours: hours(), ...(uses ? { maxUses: Number(uses) } : {}) },
      { maxUses: 'Enter a whole number from 1 to 10,000, or leave it empty for no limit' },
    );
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      setCreated(await api.createInvite(props.boardId, checked.data));
      props.onCreated();
    } catch (err) {
      setFormError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite people</h2>
      <p class="muted">Anyone with the link can join this board with the role you choose, until it expires or is used up.</p>
      <form onSubmit={submit} novalidate class="invite-form">
        <Field id="invite-role" label="Role" hint={ROLE_DESCRIPTIONS[role()]}>
          <select
            id="invite-role"
            data-testid="invite-role-select"
            value={role()}
            aria-describedby={describedBy('invite-role')}
            onChange={(e) => setRole(e.currentTarget.value as Role)}
          >
            {ROLES.map((r) => (
              <option value={r}>{ROLE_LABELS[r]}</option>
            ))}
          </select>
        </Field>
        <Field id="invite-expiry" label="Link expires after">
          <select id="invite-expiry" data-testid="invite-expiry-select" value={String(hours())} onChange={(e) => setHours(Number(e.currentTarget.value))}>
            {LIFETIMES.map(([h, label]) => (
              <option value={String(h)}>{label}</option>
            ))}
          </select>
        </Field>
        <Field id="invite-max-uses" label="Maximum uses" hint="Leave empty for no limit." error={errors().maxUses}>
          <input
            id="invite-max-uses"
            data-testid="invite-max-uses-input"
            type="number"
            inputMode="numeric"
            min="1"
            max="10000"
            step="1"
            value={maxUses()}
            onInput={(e) => setMaxUses(e.currentTarget.value)}
            aria-invalid={errors().maxUses ? true : undefined}
            aria-describedby={describedBy('invite-max-uses')}
          />
        </Field>
        <div class="invite-submit">
          <button type="submit" class="btn btn-primary" data-testid="create-invite" disabled={busy()}>
            {busy() ? 'Creating…' : 'Create invite link'}
          </button>
        </div>
      </form>
      <FormError message={formError()} />
      <Show when={created()}>
        {(inv) => (
          <div class="invite-created" data-testid="invite-created">
            <CopyField id="invite-url" label="Invite link" value={inv().url} testid="invite-url" />
            <p class="muted small">
              Joins as <strong>{ROLE_LABELS[inv().role]}</strong> · valid until {expiryFormat.format(new Date(inv().expiresAt))}
              {inv().maxUses ? ` · ${inv().maxUses} use${inv().maxUses === 1 ? '' : 's'}` : ' · unlimited uses'}
            </p>
            <p class="muted small" data-testid="invite-shown-once">
              Copy it now: the link is shown only this once (the server keeps no copy of it).
            </p>
          </div>
        )}
      </Show>
    </section>
  );
}
