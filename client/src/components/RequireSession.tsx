/** Renders its children only for a signed-in user; sends everyone else to /login and back here afterwards. */
import { createEffect, Match, Switch, type JSX } from 'solid-js';
import { Loading } from './Loading.tsx';
import { useRouter, withNext } from '../lib/router.ts';
import { useSession } from '../lib/session.ts';

export function RequireSession(props: { children: JSX.Element }) {
  const session = useSession();
  const router = useRouter();

  createEffect(() => {
    if (session.state() === 'signedOut') {
      router.navigate(withNext('/login', router.path() + router.search()), { replace: true });
    }
  });

  return (
    <Switch>
      <Match when={session.state() === 'signedIn'}>{props.children}</Match>
      <Match when={session.state() === 'error'}>
        <main class="page page-narrow">
          <div class="panel">
            <h1>Something went wrong</h1>
            <p class="form-error" role="alert">
              {session.error()}
            </p>
            <button type="button" class="btn btn-primary" onClick={() => void session.refresh()}>
              Try again
            </button>
          </div>
        </main>
      </Match>
      <Match when={session.state() === 'loading'}>
        <Loading />
      </Match>
    </Switch>
  );
}
