/**
 * The application root: builds the API client, router and session once and provides them through
 * context, so nothing below imports a singleton.
 */
import { onMount } from 'solid-js';
import { makeApi, type Api } from './lib/api.ts';
import { ApiContext } from './lib/apiContext.ts';
import { createRouter, RouterContext } from './lib/router.ts';
import { createSession, SessionContext } from './lib/session.ts';
import { AppRoutes } from './routes/AppRoutes.tsx';

export function App(props: { api?: Api }) {
  const api = props.api ?? makeApi();
  const router = createRouter();
  const session = createSession(api);
  onMount(() => void session.refresh());

  return (
    <ApiContext.Provider value={api}>
      <RouterContext.Provider value={router}>
        <SessionContext.Provider value={session}>
          <AppRoutes />
        </SessionContext.Provider>
      </RouterContext.Provider>
    </ApiContext.Provider>
  );
}
