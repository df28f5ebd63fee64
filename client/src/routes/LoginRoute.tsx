/** `/login`: email + password sign-in; afterwards goes to `?next=` (e.g. back to an invite) or home. */
import { createEffect, createSignal, onMount, Show } from 'solid-js';
import { loginBody } from '@delivery-board/schema/validators';
import { errorMessage } from '../lib/api.ts';
import { useApi } from '../lib/apiContext.ts';
import { safeNext, useRouter, withNext } from '../lib/router.ts';
import { useSession } from '../lib/session.ts';
import { validate, type FieldErrors } from '../lib/validate.ts';
import { AuthLayout } from '../components/AuthLayout.tsx';
import { describedBy, Field } from '../components/Field.tsx';
import { FormError } from '../components/FormError.tsx';
import { Link } from '../components/Link.tsx';

export function LoginRoute() {
  const api = useApi();
  const session = useSession();
  const router = useRouter();
  const next = () => safeNext(router.query('next'));
  const [email, setEmail] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [errors, setErrors] = createSignal<FieldErrors>({});
  const [formError, setFormError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);

  onMount(() => (document.title = 'Sign in · Delivery Board'));
  // Already signed in (a bookmarked /login): carry on to where they were going.
  createEffect(() => {
    if (session.state() === 'signedIn' && !busy()) router.navigate(next(), { replace: true });
  });

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setFormError(null);
    const checked = validate(loginBody, { email: email(), password: password() }, { email: 'Enter a valid email address', password: 'Enter your password' });
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await api.login(checked.data);
      await session.signedIn();
      router.navigate(next(), { replace: true });
    } catch (err) {
      setFormError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout title="Sign in" testid="login-page">
      <Show when={session.logoutPending()}>
        <p class="note" role="status" data-testid="signed-out-on-device">
          You're signed out on this device. We couldn't reach the server, so it will be told when you're back online.
        </p>
      </Show>
      <Show when={next().startsWith('/invite/')}>
        <p class="note">Sign in to accept your invitation.</p>
      </Show>
      <form onSubmit={submit} novalidate class="stack">
        <Field id="login-email" label="Email" error={errors().email}>
          <input
            id="login-email"
            data-testid="email-input"
            type="email"
            autocomplete="email"
            inputMode="email"
            value={email()}
            onInput={(e) => setEmail(e.currentTarget.value)}
            aria-invalid={errors().email ? true : undefined}
            aria-describedby={describedBy('login-email')}
          />
        </Field>
        <Field id="login-password" label="Password" error={errors().password}>
          <input
            id="login-password"
            data-testid="password-input"
            type="password"
            autocomplete="current-password"
            value={password()}
            onInput={(e) => setPassword(e.currentTarget.value)}
            aria-invalid={errors().password ? true : undefined}
            aria-describedby={describedBy('login-password')}
          />
        </Field>
        <FormError message={formError()} />
        <button type="submit" class="btn btn-primary btn-block" data-testid="login-submit" disabled={busy()}>
          {busy() ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p class="auth-switch">
        New here?{' '}
        <Link href={withNext('/register', router.query('next') ? next() : '')} data-testid="register-link">
          Create an account
        </Link>
      </p>
    </AuthLayout>
  );
}
