/**
 * The route table and the outlet that renders the matching route. A route is re-created when its
 * path parameters change (another board), not when only the query changes (opening a card).
 */
import { createMemo, Show, type Component } from 'solid-js';
import { Dynamic } from 'solid-js/web';
import { matchPath, useRouter } from '../lib/router.ts';
import { RequireSession } from '../components/RequireSession.tsx';
import { BoardRoute } from './BoardRoute.tsx';
import { BoardsRoute } from './BoardsRoute.tsx';
import { InviteRoute } from './InviteRoute.tsx';
import { LoginRoute } from './LoginRoute.tsx';
import { MembersRoute } from './MembersRoute.tsx';
import { NotFoundRoute } from './NotFoundRoute.tsx';
import { RegisterRoute } from './RegisterRoute.tsx';
import { TrackRoute } from './TrackRoute.tsx';

interface RouteDef {
  path: string;
  component: Component<any>;
  /** Only for signed-in users; others are sent to /login and brought back. */
  auth?: boolean;
}

export const ROUTES: RouteDef[] = [
  { path: '/', component: BoardsRoute, auth: true },
  { path: '/login', component: LoginRoute },
  { path: '/register', component: RegisterRoute },
  { path: '/b/:boardId', component: BoardRoute, auth: true },
  { path: '/b/:boardId/members', component: MembersRoute, auth: true },
  { path: '/invite/:token', component: InviteRoute },
  { path: '/track/:token', component: TrackRoute },
];

interface Matched {
  key: string;
  route: RouteDef;
  params: Record<string, string>;
}

export function AppRoutes() {
  const router = useRouter();
  const matched = createMemo<Matched | undefined>(
    () => {
      const path = router.path();
      for (const route of ROUTES) {
        const params = matchPath(route.path, path);
        if (params) return { key: route.path + JSON.stringify(params), route, params };
      }
      return { key: '404', route: { path: '*', component: NotFoundRoute }, params: {} };
    },
    undefined,
    { equals: (a, b) => a?.key === b?.key },
  );

  return (
    <Show when={matched()} keyed>
      {(m) =>
        m.route.auth ? (
          <RequireSession>
            <Dynamic component={m.route.component} {...m.params} />
          </RequireSession>
        ) : (
          <Dynamic component={m.route.component} {...m.params} />
        )
      }
    </Show>
  );
}
