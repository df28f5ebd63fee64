/** Test helpers: in-process app, real servers on port 0, y-websocket clients with a session cookie. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { WebsocketProvider } from 'y-websocket';
import { onTestFinished } from 'vitest';
import { parseConfig } from '../src/config.ts';
import { startServer, type RunningServer } from '../src/server.ts';

export const silentLogger = pino({ level: 'silent' });

export function tempDir(prefix = 'dboard-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Starts a real server on 127.0.0.1:0 with its data in `dataDir`; stopped when the test ends. */
export async function startTestServer(dataDir: string, env: Record<string, string> = {}, logger = silentLogger): Promise<RunningServer> {
  const config = parseConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ...env });
  const server = await startServer({ ...config, logger });
  onTestFinished(() => server.close());
  return server;
}

export interface TestUser {
  id: string;
  cookie: string;
  name: string;
  email: string;
}

let userSeq = 0;
export async function registerUser(baseUrl: string, name = `User ${++userSeq}`): Promise<TestUser> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${Date.now()}.${userSeq}@example.org`;
  const res = await fetch(`${baseUrl}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'correct horse battery', name }),
  });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const { user } = (await res.json()) as { user: { id: string } };
  return { id: user.id, cookie, name, email };
}

export async function api(baseUrl: string, user: TestUser | null, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (user) headers.cookie = user.cookie;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

export async function createBoard(baseUrl: string, owner: TestUser, name = 'Test board'): Promise<string> {
  const res = await api(baseUrl, owner, 'POST', '/api/boards', { name });
  if (res.status !== 201) throw new Error(`create board failed: ${res.status}`);
  return res.body.id;
}

/** Adds `user` to the board with `role` through a real invite. */
export async function addMember(baseUrl: string, owner: TestUser, boardId: string, user: TestUser, role: string) {
  const inv = await api(baseUrl, owner, 'POST', `/api/boards/${boardId}/invites`, { role });
  const res = await api(baseUrl, user, 'POST', `/api/invites/${inv.body.token}/accept`);
  if (res.status !== 200) throw new Error(`accept failed: ${res.status}`);
}

/** A WebSocket class that sends the user's session cookie, for y-websocket's WebSocketPolyfill. */
export function cookieWebSocket(cookie: string | null, extraHeaders: Record<string, string> = {}) {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { ...(cookie ? { cookie } : {}), ...extraHeaders } });
    }
  };
}

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  closes: { code: number; reason: string }[];
}

/** A stock y-websocket client (BroadcastChannel disabled so it really goes through the server). */
export function connectClient(baseUrl: string, boardId: string, user: TestUser | null, opts: { doc?: Y.Doc; connect?: boolean } = {}): TestClient {
  const doc = opts.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(baseUrl.replace(/^http/, 'ws') + '/sync', boardId, doc, {
    WebSocketPolyfill: cookieWebSocket(user?.cookie ?? null) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    connect: opts.connect ?? true,
  });
  const closes: TestClient['closes'] = [];
  provider.on('connection-close', (event: { code: number; reason: string } | null) => {
    if (event) closes.push({ code: event.code, reason: event.reason });
  });
  onTestFinished(() => {
    provider.destroy();
    doc.destroy();
  });
  return { doc, provider, closes };
}

/** Polls `check` (which may be async, e.g. a REST read) every 10 ms until it holds. */
export function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      Promise.resolve(check()).then((ok) => {
        if (ok) return resolve();
        if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
        setTimeout(tick, 10);
      }, reject);
    };
    tick();
  });
}

export function waitSynced(client: TestClient, timeoutMs = 5000) {
  return waitFor(() => client.provider.synced, timeoutMs, 'synced');
}

/**
 * An awareness message (y-websocket message type 1) setting `entries` as given: any id, any clock.
 * With `raw`, each state is a string sent as it is instead of as JSON (to send text that is not JSON).
 */
export function awarenessFrame(entries: [id: number, clock: number, state: unknown][], opts: { raw?: boolean } = {}): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, entries.length);
  for (const [id, clock, state] of entries) {
    encoding.writeVarUint(update, id);
    encoding.writeVarUint(update, clock);
    encoding.writeVarString(update, opts.raw ? String(state) : JSON.stringify(state));
  }
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(update));
  return encoding.toUint8Array(e);
}
