/**
 * `/invite/:token`: what the invite is for (board and role), then "Join board" for a signed-in
 * user, or sign-in / register links that come back here afterwards.
 */
import { createResource, createSignal, Match, onMount, Switch } from 'solid-js';
import { inviteErrorMessage } from '../lib/inviteErrorMessage.ts';
import { useApi } from '../lib/apiContext.ts';
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from '../lib/roles.ts';
import { useRouter, withNext } from '../lib/router.ts';
import { useSession } from '../lib/session.ts';
import { AuthLayout } from '../components/AuthLayout.tsx';
import { FormError } from '../components/FormError.tsx';
import { Link } from '../components/Link.tsx';
import { Loading } from '../components/Loading.tsx';

const expiryFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function InviteRoute(props: { token: string }) {
  const api = useApi();
  const session = useSession();
  const router = useRouter();
  const [invite] = createResource(() => props.token, (token) => api.invite(token));
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const here = () => `/invite/${encodeURIComponent(props.token)}`;

  onMount(() => (document.title = 'Invitation · Delivery Board'));

  const join = async () => {
    setBusy(true);
    setError(null);
    try {
      const { boardId } = await api.acceptInvite(props.token);
      await session.refresh();
      router.navigate(`/b/${encodeURIComponent(boardId)}`, { replace: true });
    } catch (err) {
      setError(inviteErrorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const switchAccount = async () => {
    setError(null);
    await session.signOut();
    router.navigate(withNext('/login', here()));
  };

  return (
    <AuthLayout title={invite.error ? "Can't use this invitation" : "You're invited"} testid="invite-page">
      <Switch fallback={<Loading />}>
        <Match when={invite.error}>
          <p class="form-error" role="alert" data-testid="invite-error">
            {inviteErrorMessage(invite.error)}
          </p>
          <Link href="/" class="btn btn-block">
            Go to Delivery Board
          </Link>
        </Match>
        <Match when={invite.state === 'ready' && invite()}>
          {(inv) => (
            <>
              <p class="invite-lead">
                Join <strong data-testid="invite-board-name">{inv().boardName}</strong> as{' '}
                <strong data-testid="invite-role">{ROLE_LABELS[inv().role] ?? inv().role}</strong>.
              </p>
              <p class="muted">{ROLE_DESCRIPTIONS[inv().role]}</p>
              <p class="muted small">This link works until {expiryFormat.format(new Date(inv().expiresAt))}.</p>
              <Switch fallback={<Loading />}>
                <Match when={session.state() === 'signedIn'}>
                  <FormError message={error()} />
                  <button type="button" class="btn btn-primary btn-block" data-testid="join-board" disabled={busy()} onClick={join}>
                    {busy() ? 'Joining…' : 'Join board'}
                  </button>
                  <p class="auth-switch">
                    Signed in as <strong>{session.user()?.name}</strong>.{' '}
                    <button type="button" class="link-button" onClick={switchAccount}>
                      Use another account
                    </button>
                  </p>
                </Match>
                <Match when={session.state() === 'signedOut' || session.state() === 'error'}>
                  <div class="stack">
                    <Link href={withNext('/login', here())} class="btn btn-primary btn-block" data-testid="invite-sign-in">
                      Sign in to join
                    </Link>
                    <Link href={withNext('/register', here())} class="btn btn-block" data-testid="invite-register">
                      Create an account
                    </Link>
                  </div>
                </Match>
              </Switch>
            </>
          )}
        </Match>
      </Switch>
    </AuthLayout>
  );
}
