/**
 * createApp(deps): the HTTP application (REST API, health, static client). No env, no I/O at
 * import: everything it touches arrives in `deps`, so tests build it with what they need.
 */
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { requestId } from 'hono/request-id';
import { setCookie } from 'hono/cookie';
import type { Logger } from 'pino';
import type { Role } from '@delivery-board/schema/types';
import type { BoardStore, BookingStore, CardStore, UserStore } from './stores/types.ts';
import type { Sessions } from './auth/sessions.ts';
import { SESSION_COOKIE } from './auth/sessions.ts';
import type { RateLimiter, SignInLimits } from './auth/rateLimiter.ts';
import { errorBody, makeErrorHandler } from './http/errors.ts';
import { originCheck } from './http/origin.ts';
import { tooLarge } from './http/readJson.ts';
import { isHttps, type AppEnv } from './http/context.ts';
import { authRoutes, meRoutes } from './routes/auth.ts';
import { boardRoutes } from './routes/boards.ts';
import { inviteRoutes } from './routes/invites.ts';
import { serveClient, type ClientSettings } from './http/serveClient.ts';
import { createMetrics, type Metrics } from './http/metrics.ts';
import { cardRoutes } from './routes/cards.ts';
import { auditRoutes } from './routes/audit.ts';
import { trackRoutes } from './routes/track.ts';
import type { BookingService } from './bookings/bookingService.ts';

export interface AppConfig {
  /** Extra origins allowed besides the server's own. */
  allowedOrigins: string[];
  /** Base for links the server hands out (invites); default: the request's origin. */
  publicUrl?: string;
  /** Trust X-Forwarded-For / X-Forwarded-Proto from a reverse proxy. */
  trustProxy: boolean;
  maxBodyBytes: number;
  limits: SignInLimits;
  /** Built client to serve (absolute path), if any. */
  clientDir?: string;
  /** Served to the client as /config.json. */
  client?: ClientSettings;
}

export interface AppDeps {
  config: AppConfig;
  logger: Logger;
  users: UserStore;
  boards: BoardStore;
  bookings: BookingStore;
  cards: CardStore;
  bookingService: BookingService;
  sessions: Sessions;
  rateLimiter: RateLimiter;
  now: () => number;
  /** Told of every membership change (role, or null when removed) so open sockets follow at once. */
  onMembershipChange: (boardId: string, userId: string, role: Role | null) => void;
  /** Readiness of the parts the app depends on (DB, Redis). */
  isReady?: () => Promise<boolean>;
  /** Prometheus registry and counters; a private one is made when absent. */
  metrics?: Metrics;
}

/**
 * The path as logged: invite and tracking tokens are secrets (whoever has one joins the board or
 * follows the delivery), so they never reach the logs.
 */
export function loggedPath(path: string): string {
  return path.replace(/^(\/api\/(?:invites|track)\/)[^/]+/, '$1:token');
}

export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.onError(makeErrorHandler(deps.logger));
  const metrics = deps.metrics ?? createMetrics();

  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/metrics', async (c) => c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType }));
  app.get('/readyz', async (c) => {
    const ready = deps.isReady ? await deps.isReady().catch(() => false) : true;
    return c.json({ ok: ready }, ready ? 200 : 503);
  });

  const api = new Hono<AppEnv>();
  api.use(requestId());
  api.use(async (c, next) => {
    const started = performance.now();
    await next();
    metrics.httpRequests.inc({ method: c.req.method, status: `${Math.floor(c.res.status / 100)}xx` });
    deps.logger.info(
      { requestId: c.get('requestId'), method: c.req.method, path: loggedPath(c.req.path), status: c.res.status, ms: Math.round(performance.now() - started) },
      'request',
    );
  });
  api.use(async (c, next) => {
    // Refuse a declared oversize body before reading it; readJson enforces the limit on what it reads.
    const max = deps.config.maxBodyBytes;
    if (Number(c.req.header('content-length') ?? 0) > max) throw tooLarge(max);
    c.set('maxBodyBytes', max);
    await next();
  });
  api.use(originCheck(deps.config.allowedOrigins));
  api.use(async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE) ?? null;
    const found = token ? await deps.sessions.validate(token) : null;
    c.set('user', found?.user ?? null);
    c.set('sessionToken', found ? token : null);
    if (found?.refreshed) {
      setCookie(c, SESSION_COOKIE, token!, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: isHttps(c, deps.config.trustProxy),
        path: '/',
        expires: new Date(found.expiresAt),
      });
    }
    await next();
  });
  api.route('/auth', authRoutes(deps));
  api.route('/me', meRoutes(deps));
  api.route('/boards', boardRoutes(deps));
  api.route('/boards/:boardId/cards', cardRoutes(deps, metrics));
  api.route('/boards/:boardId/audit', auditRoutes(deps));
  api.route('/invites', inviteRoutes(deps));
  api.route('/track', trackRoutes(deps));
  app.route('/api', api);

  if (deps.config.clientDir) serveClient(app, deps.config.clientDir, deps.config.client ?? { mapStyleUrl: null, geocoderUrl: null });
  // Hono consults notFound only on the top-level app, so the API's JSON 404 is declared here.
  app.notFound((c) =>
    c.req.path.startsWith('/api/') || c.req.path === '/api'
      ? c.json(errorBody('not_found', `No such endpoint: ${c.req.method} ${c.req.path}`), 404)
      : c.text('Not found', 404),
  );
  return app;
}
