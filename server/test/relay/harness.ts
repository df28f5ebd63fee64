/**
 * Replicas in one process for the relay tests: each is a full server (REST, sync websockets, its
 * own SyncServer) wired like server/src/server.ts plus the Redis relay, and they share one database
 * (one SQLite file opened by each, which is fine inside one process) and one Redis. Also: a
 * private redis-server for outage tests, and a Redis check that fails loudly rather than skipping.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { onTestFinished } from 'vitest';
import { createApp, defaultLimits } from '../../src/app.ts';
import { openSqlite } from '../../src/db/sqlite.ts';
import { createSqliteStores } from '../../src/stores/sqlite/createSqliteStores.ts';
import type { DocumentStore } from '../../src/stores/types.ts';
import { createSessions } from '../../src/auth/sessions.ts';
import { BookingService } from '../../src/bookings/bookingService.ts';
import { SyncServer, defaultSyncOptions } from '../../src/sync/syncServer.ts';
import { createSyncAuthorizer } from '../../src/sync/authorizeSync.ts';
import { attachWebsocket } from '../../src/sync/attachWebsocket.ts';
import { createReplication } from '../../src/relay/createReplication.ts';
import type { RedisRelay } from '../../src/relay/redisRelay.ts';
import { silentLogger } from '../helpers.ts';

export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** A fresh channel/key prefix: test files run in parallel against one Redis. */
export const testPrefix = () => `dboard-test:${randomUUID()}:`;

/** Fails (never skips) when the shared Redis is not there, with what to do about it. */
export async function requireRedis(url = REDIS_URL): Promise<void> {
  const r = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => {});
  try {
    await r.connect();
    await r.ping();
  } catch (err) {
    throw new Error(
      `Redis is unreachable at ${url} (${String(err)}). The relay tests need it: ` +
        'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no, or set REDIS_URL.',
    );
  } finally {
    r.disconnect();
  }
}

export interface Replica {
  url: string;
  sync: SyncServer;
  relay: RedisRelay;
  /** The shared document store as this replica sees it, counting this replica's appends per document. */
  documents: DocumentStore;
  appends: Map<string, number>;
  close(): Promise<void>;
}

export interface ReplicaOptions {
  dbFile: string;
  redisUrl?: string;
  prefix: string;
  catchUpMs?: number;
  compactEveryUpdates?: number;
  idleMs?: number;
}

/** Starts one replica on 127.0.0.1:0; closed when the test ends. Waits until its relay is connected. */
export async function startReplica(opts: ReplicaOptions): Promise<Replica> {
  const logger = silentLogger;
  const database = openSqlite(opts.dbFile);
  const stores = createSqliteStores(database.db);
  const appends = new Map<string, number>();
  const documents: DocumentStore = {
    ...stores.documents,
    append: (docName, updates) => {
      appends.set(docName, (appends.get(docName) ?? 0) + updates.length);
      return stores.documents.append(docName, updates);
    },
  };
  const sessions = createSessions({ sessions: stores.sessions, users: stores.users });
  const bookingService = new BookingService({ bookings: stores.bookings, boards: stores.boards, users: stores.users, logger, now: Date.now });
  const replication = createReplication({ redisUrl: opts.redisUrl ?? REDIS_URL, logger, prefix: opts.prefix });
  const sync = new SyncServer(
    documents,
    logger,
    {
      ...defaultSyncOptions,
      catchUpMs: opts.catchUpMs ?? defaultSyncOptions.catchUpMs,
      compactEveryUpdates: opts.compactEveryUpdates ?? defaultSyncOptions.compactEveryUpdates,
      idleMs: opts.idleMs ?? defaultSyncOptions.idleMs,
    },
    { onLoad: bookingService.onLoad, relay: replication.relay, getRole: (boardId, userId) => stores.boards.getRole(boardId, userId) },
  );
  bookingService.attach(sync);
  const app = createApp({
    config: { allowedOrigins: [], trustProxy: false, maxBodyBytes: 64 * 1024, limits: defaultLimits },
    logger,
    ...stores,
    bookingService,
    sessions,
    rateLimiter: replication.rateLimiter,
    now: Date.now,
    onMembershipChange: (boardId, userId, role) => sync.setAccess(boardId, userId, role),
    isReady: async () => replication.isReady(),
  });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const ws = attachWebsocket(server as Server, { sync, authorize: createSyncAuthorizer({ sessions, boards: stores.boards, allowedOrigins: [] }), logger });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      ws.close();
      const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      await sync.close(); // flushes, closes sockets with 1012, then the relay
      (server as Server).closeAllConnections?.();
      await httpClosed;
      database.close();
    })());
  onTestFinished(close);
  await replication.relay.whenReady(5000);
  return { url: `http://127.0.0.1:${port}`, sync, relay: replication.relay, documents, appends, close };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** A redis-server of this test's own, on a free port, stopped by its pid (never the shared one). */
export async function startPrivateRedis() {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    const c = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = c;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`private redis-server did not start: ${out}`)), 5000);
      c.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      c.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      c.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`private redis-server exited with ${code}: ${out}`));
      });
    });
  };
  const stop = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    process.kill(c.pid!, 'SIGKILL');
    await exited;
  };
  await start();
  onTestFinished(stop);
  return { port, url: `redis://127.0.0.1:${port}`, start, stop };
}
