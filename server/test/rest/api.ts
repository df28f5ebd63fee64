/**
 * Request helpers for the REST suites: everything goes through `app.request()` (no port) on a
 * fresh `createTestApp()`. Every response is checked to be below 500, so no test in these suites
 * can pass while the server crashes on its input.
 */
import { expect } from 'vitest';
import type { Role } from '@delivery-board/schema/types';
import type { AppConfig } from '../../src/app.ts';
import { createTestApp } from '../testApp.ts';

export const PASSWORD = 'correct horse battery';
export const DAY = 24 * 60 * 60 * 1000;
export const HOUR = 60 * 60 * 1000;

export interface Res {
  status: number;
  headers: Headers;
  /** Parsed JSON, or null for an empty body; the raw text when it is not JSON. */
  body: any;
  text: string;
}

export interface SendOptions {
  /** A cookie header value, or a user holding one. */
  as?: { cookie: string } | string | null;
  /** Sent as JSON with `content-type: application/json`. */
  json?: unknown;
  /** Sent as is (no content type added unless given in `headers`). */
  raw?: string;
  headers?: Record<string, string>;
}

export interface TestUser {
  id: string;
  email: string;
  name: string;
  cookie: string;
}

/** A scheme-less path is sent as `http://localhost<path>` by Hono's `app.request`. */
export async function send(app: { request: (input: string, init?: RequestInit) => Response | Promise<Response> }, method: string, path: string, opts: SendOptions = {}): Promise<Res> {
  const headers: Record<string, string> = {};
  const cookie = typeof opts.as === 'string' ? opts.as : opts.as?.cookie;
  if (cookie) headers.cookie = cookie;
  let body: string | undefined;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.raw !== undefined) {
    body = opts.raw;
  }
  Object.assign(headers, opts.headers);
  const res = await app.request(path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  // The suite-wide rule: no input, however bad, makes the server fail.
  expect(res.status, `${method} ${path} answered ${res.status}: ${text}`).toBeLessThan(500);
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** Asserts the error contract: the status, and `{error: {code, message}}` with a non-empty code. */
export function expectError(res: Res, status: number, code?: string) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type') ?? '').toMatch(/^application\/json/);
  expect(typeof res.body?.error?.code).toBe('string');
  expect(res.body.error.code.length).toBeGreaterThan(0);
  expect(typeof res.body.error.message).toBe('string');
  if (code) expect(res.body.error.code).toBe(code);
}

/** The `session=...` pair from a response's Set-Cookie, or null. */
export function sessionCookie(res: Res): string | null {
  const line = res.headers.getSetCookie().find((c) => c.startsWith('session='));
  return line ? line.split(';')[0]! : null;
}

/** Parses the `session` Set-Cookie line into its attributes (lower-cased names). */
export function parseSetCookie(res: Res): { value: string; attrs: Record<string, string | true> } | null {
  const line = res.headers.getSetCookie().find((c) => c.startsWith('session='));
  if (!line) return null;
  const [pair, ...rest] = line.split(';').map((s) => s.trim());
  const attrs: Record<string, string | true> = {};
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq === -1) attrs[part.toLowerCase()] = true;
    else attrs[part.slice(0, eq).toLowerCase()] = part.slice(eq + 1);
  }
  return { value: pair!.slice('session='.length), attrs };
}

let seq = 0;
/** A unique, valid email. */
export function uniqueEmail(prefix = 'user') {
  return `${prefix}.${Date.now()}.${++seq}@example.org`;
}

/** A fresh app plus bound helpers. `clock` (ms) drives sessions, invites and rate limits. */
export function setup(overrides: Partial<AppConfig> = {}, clock?: { now: number }) {
  const t = createTestApp(overrides, clock);
  const request = (method: string, path: string, opts?: SendOptions) => send(t.app, method, path, opts);

  async function register(name = `User ${seq + 1}`, email = uniqueEmail(name.toLowerCase().replace(/\W+/g, '.'))): Promise<TestUser> {
    const res = await request('POST', '/api/auth/register', { json: { email, password: PASSWORD, name } });
    expect(res.status, res.text).toBe(201);
    const cookie = sessionCookie(res);
    expect(cookie).toBeTruthy();
    return { id: res.body.user.id, email: res.body.user.email, name, cookie: cookie! };
  }

  async function createBoard(owner: TestUser, name = 'Test board'): Promise<string> {
    const res = await request('POST', '/api/boards', { as: owner, json: { name } });
    expect(res.status, res.text).toBe(201);
    return res.body.id;
  }

  async function createInvite(coordinator: TestUser, boardId: string, body: Record<string, unknown>) {
    const res = await request('POST', `/api/boards/${boardId}/invites`, { as: coordinator, json: body });
    expect(res.status, res.text).toBe(201);
    return res.body as { id: string; token: string; url: string; role: Role; expiresAt: number; maxUses: number | null };
  }

  /**
   * Gives `user` a role on the board the real way: a single-use invite created by `coordinator`,
   * accepted (so it is used up and no longer listed among the live invites).
   */
  async function addMember(coordinator: TestUser, boardId: string, user: TestUser, role: Role) {
    const { token } = await createInvite(coordinator, boardId, { role, maxUses: 1 });
    const res = await request('POST', `/api/invites/${token}/accept`, { as: user });
    expect(res.status, res.text).toBe(200);
    expect(res.body.role).toBe(role);
  }

  return { ...t, request, register, createBoard, createInvite, addMember };
}

export type TestContext = ReturnType<typeof setup>;
