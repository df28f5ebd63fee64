/**
 * The application root: builds the API client, runtime config, router, session, toasts and the
 * booking intent queue once and provides them through context, so nothing below imports a
 * singleton.
 */
import { createEffect, on, onCleanup, onMount } from 'solid-js';
import { makeApi, type Api } from './lib/api.ts';
import { ApiContext } from './lib/apiContext.ts';
import { AppConfigContext, createAppConfig } from './lib/appConfig.ts';
import { createIntentQueue, IntentQueueContext } from './lib/createIntentQueue.ts';
import { createToasts, ToastContext } from './lib/createToasts.ts';
import { makeBackgroundBoard } from './lib/makeBackgroundBoard.ts';
import { makeIntentStore } from './lib/intentStore.ts';
import { createRouter, RouterContext } from './lib/router.ts';
import { createSession, SessionContext } from './lib/session.ts';
import { AppRoutes } from './routes/AppRoutes.tsx';
import { Toasts } from './components/Toasts.tsx';

export function App(props: { api?: Api }) {
  const api = props.api ?? makeApi();
  const router = createRouter();
  const session = createSession(api);
  const toasts = createToasts();
  const config = createAppConfig();
  const intents = createIntentQueue({
    api,
    user: session.user,
    store: makeIntentStore(),
    notify: (m) => toasts.show({ tone: m.tone, text: m.text, testid: 'outcome-toast' }),
    openBoard: makeBackgroundBoard,
  });
  onMount(() => void session.refresh());
  // Whoever signs in next on this device must not read the last user's messages.
  createEffect(on(session.state, (state) => state === 'signedOut' && toasts.clear(), { defer: true }));
  // Opened offline from the device cache, or signed out while offline: check the session again (and
  // tell the server about the sign-out) as soon as the network is back.
  const onOnline = () => (session.offline() || session.logoutPending()) && void session.refresh();
  window.addEventListener('online', onOnline);
  onCleanup(() => window.removeEventListener('online', onOnline));

  return (
    <ApiContext.Provider value={api}>
      <AppConfigContext.Provider value={config}>
        <RouterContext.Provider value={router}>
          <SessionContext.Provider value={session}>
            <ToastContext.Provider value={toasts}>
              <IntentQueueContext.Provider value={intents}>
                <AppRoutes />
                <Toasts />
              </IntentQueueContext.Provider>
            </ToastContext.Provider>
          </SessionContext.Provider>
        </RouterContext.Provider>
      </AppConfigContext.Provider>
    </ApiContext.Provider>
  );
}
