/** Accounts: register, sign in (rate limited per IP and per account), sign out, /api/me. */
import { Hono, type Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { loginBody, registerBody } from '@delivery-board/schema/validators';
import type { AppDeps } from '../app.ts';
import { ApiError } from '../http/errors.ts';
import { readJson, readNoBody } from '../http/readJson.ts';
import { clientIp, isHttps, type AppEnv } from '../http/context.ts';
import { hashPassword, verifyPassword } from '../auth/password.ts';
import { generateId } from '../auth/tokens.ts';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import { requireUser } from './requireUser.ts';

const MINUTE = 60_000;
// A fixed hash to verify against when the email is unknown, so timing does not reveal accounts.
let dummyHash: Promise<string> | null = null;

export function authRoutes(deps: AppDeps) {
  const { limits } = deps.config;
  const app = new Hono<AppEnv>();

  const startSession = async (c: Context<AppEnv>, userId: string) => {
    // The browser's cookie is about to be replaced: end the session it held, so that it cannot be
    // used again by whoever copied it, and so that a sign-out made offline, whose request never
    // reached us, still ends that session once someone signs in on the device.
    const previous = c.get('sessionToken');
    if (previous) await deps.sessions.invalidate(previous);
    const { token, expiresAt } = await deps.sessions.create(userId);
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: isHttps(c, deps.config.trustProxy),
      path: '/',
      expires: new Date(expiresAt),
    });
  };

  const limit = async (key: string, max: number, windowMs: number) => {
    const r = await deps.rateLimiter.consume(key, max, windowMs);
    if (!r.allowed) {
      // The page shows the message as it is: it says how long, not just "later".
      throw new ApiError(429, 'rate_limited', `Too many attempts. Try again in ${retryWait(r.retryAfter)}.`, { 'Retry-After': String(r.retryAfter) });
    }
  };

  app.post('/register', async (c) => {
    await limit(`register:ip:${clientIp(c, deps.config.trustProxy)}`, limits.registerPerIpPerHour, 60 * MINUTE);
    const body = await readJson(c, registerBody);
    const user = { id: generateId(), email: body.email, name: body.name, passwordHash: await hashPassword(body.password), createdAt: deps.now() };
    if (!(await deps.users.create(user))) throw new ApiError(409, 'email_taken', 'An account with this email already exists');
    deps.logger.info({ userId: user.id }, 'user registered');
    await startSession(c, user.id);
    return c.json({ user: { id: user.id, email: user.email, name: user.name } }, 201);
  });

  app.post('/login', async (c) => {
    await limit(`login:ip:${clientIp(c, deps.config.trustProxy)}`, limits.loginPerIpPerMinute, MINUTE);
    const body = await readJson(c, loginBody);
    await limit(`login:account:${body.email}`, limits.loginPerAccountPer15Min, 15 * MINUTE);
    const user = await deps.users.getByEmail(body.email);
    dummyHash ??= hashPassword('dummy password for timing');
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash), body.password);
    if (!user || !ok) throw new ApiError(401, 'invalid_credentials', 'Wrong email or password');
    await startSession(c, user.id);
    return c.json({ user: { id: user.id, email: user.email, name: user.name } });
  });

  app.post('/logout', async (c) => {
    await readNoBody(c);
    const token = c.get('sessionToken');
    if (token) await deps.sessions.invalidate(token);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });

  return app;
}

export function meRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => {
    const user = requireUser(c);
    const boards = await deps.boards.listForUser(user.id);
    return c.json({ user: { id: user.id, email: user.email, name: user.name }, boards });
  });
  return app;
}

/** A wait of `seconds`, in the words the sign-in page shows: "a minute", "12 minutes", "2 hours". */
export function retryWait(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  if (minutes <= 1) return 'a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  return hours === 1 ? 'an hour' : `${hours} hours`;
}
