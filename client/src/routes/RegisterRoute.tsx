/** `/register`: create an account (signs in at once); afterwards goes to `?next=` or home. */
import { createEffect, createSignal, onMount, Show } from 'solid-js';
import { registerBody } from '@delivery-board/schema/validators';
import { errorMessage } from '../lib/api.ts';
import { useApi } from '../lib/apiContext.ts';
import { safeNext, useRouter, withNext } from '../lib/router.ts';
import { useSession } from '../lib/session.ts';
import { validate, type FieldErrors } from '../lib/validate.ts';
import { AuthLayout } from '../components/AuthLayout.tsx';
import { describedBy, Field } from '../components/Field.tsx';
import { FormError } from '../components/FormError.tsx';
import { Link } from '../components/Link.tsx';

export function RegisterRoute() {
  const api = useApi();
  const session = useSession();
  const router = useRouter();
  const next = () => safeNext(router.query('next'));
  const [name, setName] = createSignal('');
  const [email, setEmail] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [errors, setErrors] = createSignal<FieldErrors>({});
  const [formError, setFormError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);

  onMount(() => (document.title = 'Create an account · Delivery Board'));
  createEffect(() => {
    if (session.state() === 'signedIn' && !busy()) router.navigate(next(), { replace: true });
  });

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setFormError(null);
    const checked = validate(
      registerBody,
      { name: name(), email: email(), password: password() },
      { email: 'Enter a valid email address' },
    );
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await api.register(checked.data);
      await session.signedIn();
      router.navigate(next(), { replace: true });
    } catch (err) {
      setFormError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout title="Create an account" testid="register-page">
      <Show when={next().startsWith('/invite/')}>
        <p class="note">Create an account to accept your invitation.</p>
      </Show>
      <form onSubmit={submit} novalidate class="stack">
        <Field id="register-name" label="Your name" hint="Shown to the people on your boards." error={errors().name}>
          <input
            id="register-name"
            aria-invalid={errors().name ? true : undefined}
            aria-describedby={describedBy('register-name')}
            data-testid="name-input"
            type="text"
            autocomplete="name"
            maxLength={80}
            value={name()}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </Field>
        <Field id="register-email" label="Email" error={errors().email}>
          <input
            id="register-email"
            aria-invalid={errors().email ? true : undefined}
            aria-describedby={describedBy('register-email')}
            data-testid="email-input"
            type="email"
            autocomplete="email"
            inputMode="email"
            value={email()}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </Field>
        <Field id="register-password" label="Password" hint="At least 8 characters." error={errors().password}>
          <input
            id="register-password"
            aria-invalid={errors().password ? true : undefined}
            aria-describedby={describedBy('register-password')}
            data-testid="password-input"
            type="password"
            autocomplete="new-password"
            value={password()}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </Field>
        <FormError message={formError()} />
        <button type="submit" class="btn btn-primary btn-block" data-testid="register-submit" disabled={busy()}>
          {busy() ? 'Creating account…' : 'Create account'}
        </button>
      </form>
      <p class="auth-switch">
        Already have an account?{' '}
        <Link href={withNext('/login', router.query('next') ? next() : '')} data-testid="login-link">
          Sign in
        </Link>
      </p>
    </AuthLayout>
  );
}
