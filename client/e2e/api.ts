/**
 * REST set-up for browser tests: register users, make boards and invites, and run transitions
 * with fetch + the session cookie, so a test spends its browser time on what it is testing. A
 * user's cookie can be handed to a browser context (`signIn`) to skip the sign-in form.
 */
import type { BrowserContext } from 'playwright-core';

export interface ApiUser {
  id: string;
  name: string;
  cookie: string;
  call<T = any>(method: string, path: string, body?: unknown): Promise<T>;
}

async function call<T>(base: string, cookie: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(base + path, {
    method,
    headers: { Cookie: cookie, Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function registerUser(base: string, name: string, email: string): Promise<ApiUser> {
  const res = await fetch(`${base}/api/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, email, password: 'correct horse battery' }),
  });
  if (res.status !== 201) throw new Error(`register ${email} → ${res.status} ${await res.text()}`);
  const { user } = (await res.json()) as { user: { id: string; name: string } };
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  if (!cookie.startsWith('session=')) throw new Error('register did not set a session cookie');
  return { id: user.id, name: user.name, cookie, call: (method, path, body) => call(base, cookie, method, path, body) };
}

/** Puts the user's session cookie into a browser context. */
export async function signIn(context: BrowserContext, base: string, user: ApiUser): Promise<void> {
  const [name, ...rest] = user.cookie.split('=');
  await context.addCookies([{ name, value: rest.join('='), url: base }]);
}

/** Invites `users` to the board with `role` and has each accept. */
export async function addMembers(base: string, coordinator: ApiUser, boardId: string, role: string, users: ApiUser[]): Promise<void> {
  const invite = await coordinator.call<{ token: string }>('POST', `/api/boards/${boardId}/invites`, { role, maxUses: users.length });
  for (const u of users) await u.call('POST', `/api/invites/${invite.token}/accept`);
}

/** The usual cast: Amira, coordinator of the board "Northside Food Bank", and Sam on it (a driver unless said). */
export async function northsideBoard(base: string, samRole = 'driver'): Promise<{ amira: ApiUser; sam: ApiUser; boardId: string }> {
  const amira = await registerUser(base, 'Amira Haddad', 'amira@example.org');
  const { id: boardId } = await amira.call<{ id: string }>('POST', '/api/boards', { name: 'Northside Food Bank' });
  const sam = await registerUser(base, 'Sam Okafor', 'sam@example.org');
  await addMembers(base, amira, boardId, samRole, [sam]);
  return { amira, sam, boardId };
}

let counter = 0;
/** A transition with a fresh intent id. */
export function transition(user: ApiUser, boardId: string, cardId: string, action: string, extra: Record<string, unknown> = {}) {
  return user.call('POST', `/api/boards/${boardId}/cards/${cardId}/transitions`, { action, intentId: `e2e-${Date.now()}-${++counter}`, ...extra });
}
