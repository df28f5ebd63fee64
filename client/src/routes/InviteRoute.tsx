/**
 * `/invite/:token`: what the invite is for (board and role), then "Join board" for a signed-in
 * user, or sign-in / register links that come back here afterwards. A member already there is
 * told whether the link changes their role ("Open the board" when they keep it).
 */
import { createResource, createSignal, Match, onMount, Show, Switch } from 'solid-js';
import { ROLE_RANK } from '@delivery-board/schema/types';
import { inviteErrorMessage } from '../lib/inviteErrorMessage.ts';
import type { InvitePreview } from '../lib/api.ts';
import { useApi } from '../lib/apiContext.ts';
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from '../lib/roles.ts';
import { useRouter, withNext } from '../lib/router.ts';
import { useSession } from '../lib/session.ts';
import { AuthLayout } from '../components/AuthLayout.tsx';
import { FormError } from '../components/FormError.tsx';
import { Link } from '../components/Link.tsx';
import { Loading } from '../components/Loading.tsx';

const expiryFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A member whose role is at least the invite's keeps it (accepting then only opens the board). */
const keepsRole = (inv: InvitePreview) => inv.memberRole !== null && ROLE_RANK[inv.memberRole] >= ROLE_RANK[inv.role];

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

  const title = () => {
    if (invite.error) return "Can't use this invitation";
    const inv = invite.state === 'ready' ? invite() : undefined;
    return inv && keepsRole(inv) ? "You're a member" : "You're invited";
  };

  return (
    <AuthLayout title={title()} testid="invite-page">
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
              <Show
                when={keepsRole(inv())}
                fallback={
                  <>
                    <p class="invite-lead">
                      Join <strong data-testid="invite-board-name">{inv().boardName}</strong> as{' '}
                      <strong data-testid="invite-role">{ROLE_LABELS[inv().role] ?? inv().role}</strong>.
                    </p>
                    <p class="muted">{ROLE_DESCRIPTIONS[inv().role]}</p>
                    <Show when={inv().memberRole}>
                      {(now) => <p class="muted" data-testid="invite-role-change">You are a {ROLE_LABELS[now()]} there now; this makes you a {ROLE_LABELS[inv().role]}.</p>}
                    </Show>
                  </>
                }
              >
                <p class="invite-lead" data-testid="invite-member-already">
                  You're already on <strong data-testid="invite-board-name">{inv().boardName}</strong> as{' '}
                  <strong data-testid="invite-role">{ROLE_LABELS[inv().memberRole!]}</strong>.
                </p>
                <p class="muted">This link is for joining as a {ROLE_LABELS[inv().role]}; you keep your role.</p>
              </Show>
              <p class="muted small">This link works until {expiryFormat.format(new Date(inv().expiresAt))}.</p>
              <Switch fallback={<Loading />}>
                <Match when={session.state() === 'signedIn'}>
                  <FormError message={error()} />
                  <button type="button" class="btn btn-primary btn-block" data-testid="join-board" disabled={busy()} onClick={join}>
                    {keepsRole(inv()) ? (busy() ? 'Opening…' : 'Open the board') : busy() ? 'Joining…' : 'Join board'}
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
