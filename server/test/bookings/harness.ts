/**
 * Shared helpers for the bookings suites: a real server on 127.0.0.1:0 with high rate limits,
 * cards created through a stock y-websocket client, transitions, audit paging, and raw sockets
 * that record every frame they receive.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { onTestFinished } from 'vitest';
import { boardRoots, createCard } from '@delivery-board/schema/boardDoc';
import type { Booking, BookingAction } from '@delivery-board/schema/bookings';
import { parseConfig } from '../../src/config.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { addMember, api, cookieWebSocket, createBoard, silentLogger, waitFor, type TestUser } from '../helpers.ts';

export { api, waitFor, type TestUser };

const HIGH_LIMITS = { loginPerIpPerMinute: 100_000, loginPerAccountPer15Min: 100_000, registerPerIpPerHour: 100_000 };

export interface Booted {
  server: RunningServer;
  url: string;
  dataDir: string;
  /** Stops the server and removes its data directory (idempotent). */
  stop(): Promise<void>;
}

/** A real server with rate limits raised (the suites register many users from one IP). */
export async function bootServer(opts: { logger?: Logger; env?: Record<string, string> } = {}): Promise<Booted> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dboard-bookings-'));
  const config = parseConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ...opts.env });
  const server = await startServer({ ...config, logger: opts.logger ?? silentLogger, limits: HIGH_LIMITS });
  let stopped: Promise<void> | null = null;
  return {
    server,
    url: server.url,
    dataDir,
    stop: () =>
      (stopped ??= server.close().finally(() => rmSync(dataDir, { recursive: true, force: true }))),
  };
}

/** bootServer, stopped when the current test ends. */
export async function bootForTest(opts: { logger?: Logger; env?: Record<string, string> } = {}): Promise<Booted> {
  const b = await bootServer(opts);
  onTestFinished(() => b.stop());
  return b;
}

/** A pino logger writing JSON lines into memory. */
export function memoryLogger() {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(s) });
  const entries = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines, entries };
}

export const ROLE_NAMES = ['coordinator', 'driver', 'requester', 'viewer'] as const;

let seq = 0;
/** Registers a user; unlike helpers.registerUser, any display name works (the email is not derived from it). */
export async function register(url: string, name: string): Promise<TestUser> {
  const email = `u${++seq}.${randomUUID().slice(0, 8)}@example.org`;
  const res = await fetch(`${url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'correct horse battery', name }),
  });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const { user } = (await res.json()) as { user: { id: string } };
  return { id: user.id, cookie, name, email };
}

/** A board owned by a new coordinator, plus members registered and joined with the given roles. */
export async function boardWith<K extends string>(url: string, members: Record<K, { name: string; role: (typeof ROLE_NAMES)[number] }>) {
  const coordinator = await register(url, 'Cora Coordinator');
  const boardId = await createBoard(url, coordinator);
  const users = {} as Record<K, TestUser>;
  await Promise.all(
    (Object.entries(members) as [K, { name: string; role: string }][]).map(async ([key, m]) => {
      const u = await register(url, m.name);
      await addMember(url, coordinator, boardId, u, m.role);
      users[key] = u;
    }),
  );
  return { coordinator, boardId, users };
}

const wsBase = (url: string) => url.replace(/^http/, 'ws') + '/sync';

/** A stock y-websocket provider with the user's cookie; the caller destroys it. */
export function openProvider(url: string, room: string, user: TestUser, doc = new Y.Doc()) {
  const provider = new WebsocketProvider(wsBase(url), room, doc, {
    WebSocketPolyfill: cookieWebSocket(user.cookie) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  const destroy = () => {
    provider.destroy();
    doc.destroy();
  };
  return { doc, provider, destroy };
}

/** openProvider, destroyed when the current test ends. */
export function providerForTest(url: string, room: string, user: TestUser) {
  const p = openProvider(url, room, user);
  onTestFinished(p.destroy);
  return p;
}

/**
 * Creates cards in the board document through `author`'s y-websocket client (so the server sees
 * the author's connection), and returns once a second, fresh client sees all of them: the server
 * has applied and persisted them, so transitions find them.
 */
export async function createCards(url: string, boardId: string, author: TestUser, titles: string[]): Promise<string[]> {
  const writer = openProvider(url, boardId, author);
  try {
    await waitFor(() => writer.provider.synced, 5000, 'writer synced');
    const ids: string[] = [];
    writer.doc.transact(() => {
      for (const title of titles) ids.push(createCard(writer.doc, { title }, author.id));
    });
    await waitForCards(url, boardId, author, ids);
    return ids;
  } finally {
    writer.destroy();
  }
}

/** Waits until a fresh client of the board document sees every id in `ids` (or none, with `present=false`). */
export async function waitForCards(url: string, boardId: string, user: TestUser, ids: string[], present = true) {
  const reader = openProvider(url, boardId, user);
  try {
    const cards = boardRoots(reader.doc).cards;
    await waitFor(() => reader.provider.synced && ids.every((id) => cards.has(id) === present), 10_000, 'cards on the server');
  } finally {
    reader.destroy();
  }
}

/** Deletes cards through `user`'s y-websocket client; returns once a fresh client no longer sees them. */
export async function deleteCards(url: string, boardId: string, user: TestUser, ids: string[]) {
  const writer = openProvider(url, boardId, user);
  try {
    await waitFor(() => writer.provider.synced && ids.every((id) => boardRoots(writer.doc).cards.has(id)), 5000, 'writer synced');
    writer.doc.transact(() => {
      for (const id of ids) boardRoots(writer.doc).cards.delete(id);
    });
    await waitForCards(url, boardId, user, ids, false);
  } finally {
    writer.destroy();
  }
}

export const newIntent = () => `i-${randomUUID()}`;

export interface TransitionReply {
  status: number;
  body: { booking?: Booking; error?: { code: string; message: string } } & Record<string, unknown>;
}

export async function transition(
  url: string,
  user: TestUser | null,
  boardId: string,
  cardId: string,
  action: BookingAction,
  extra: { intentId?: string; note?: string; driverId?: string } = {},
): Promise<TransitionReply> {
  const body = { action, intentId: extra.intentId ?? newIntent(), ...(extra.note !== undefined ? { note: extra.note } : {}), ...(extra.driverId ? { driverId: extra.driverId } : {}) };
  return api(url, user, 'POST', `/api/boards/${boardId}/cards/${cardId}/transitions`, body);
}

/** A transition that must succeed; returns the booking. */
export async function must(url: string, user: TestUser, boardId: string, cardId: string, action: BookingAction, extra: { note?: string; driverId?: string } = {}) {
  const res = await transition(url, user, boardId, cardId, action, extra);
  if (res.status !== 200) throw new Error(`${action} by ${user.name} on ${cardId}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.booking!;
}

export interface AuditEntry {
  id: number;
  boardId: string;
  cardId: string | null;
  actorId: string;
  actorName: string;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  note: string | null;
  data: Record<string, unknown> | null;
  at: number;
}

/** Every audit row (newest first), following `nextBefore` until the end. */
export async function allAudit(url: string, coordinator: TestUser, boardId: string, query: Record<string, string> = {}, limit = 100): Promise<AuditEntry[]> {
  const rows: AuditEntry[] = [];
  let before: number | null = null;
  for (let page = 0; page < 1000; page++) {
    const qs = new URLSearchParams({ ...query, limit: String(limit), ...(before ? { before: String(before) } : {}) });
    const res = await api(url, coordinator, 'GET', `/api/boards/${boardId}/audit?${qs}`);
    if (res.status !== 200) throw new Error(`audit: ${res.status} ${JSON.stringify(res.body)}`);
    rows.push(...res.body.entries);
    before = res.body.nextBefore;
    if (!before) return rows;
  }
  throw new Error('audit paging did not end');
}

/** Runs `fn` over `items` with at most `n` in flight. */
export async function pool<T, R>(items: T[], n: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

export interface RawClient {
  ws: WebSocket;
  frames: Buffer[];
  opened: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
  isOpen(): boolean;
}

/** A raw websocket on /sync/<room> with the user's cookie, recording every frame it receives. */
export function rawClient(url: string, room: string, user: TestUser): RawClient {
  const ws = new WebSocket(`${wsBase(url)}/${room}`, { headers: { cookie: user.cookie } });
  const frames: Buffer[] = [];
  ws.on('message', (data) => frames.push(Buffer.isBuffer(data) ? Buffer.from(data) : Buffer.concat(data as Buffer[])));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  onTestFinished(() => ws.terminate());
  return { ws, frames, opened, closed, isOpen: () => ws.readyState === WebSocket.OPEN };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
