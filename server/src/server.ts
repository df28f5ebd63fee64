/**
 * Builds and starts the whole server from a parsed config: database, stores, HTTP app, sync
 * websockets. Used by main.ts, by tests (port 0, temp data dir) and by benchmarks.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { createApp, type AppConfig } from './app.ts';
import type { ServerConfig } from './config.ts';
import { openSqlite } from './db/sqlite.ts';
import { openPg } from './db/pg.ts';
import { createSqliteStores } from './stores/sqlite/createSqliteStores.ts';
import { createPgStores } from './stores/pg/createPgStores.ts';
import { createSessions } from './auth/sessions.ts';
import { createMemoryRateLimiter, defaultLimits } from './auth/rateLimiter.ts';
import { SyncServer } from './sync/syncServer.ts';
import { BookingService } from './bookings/bookingService.ts';
import { createReplication } from './relay/createReplication.ts';
import { createMetrics } from './http/metrics.ts';
import { repairRelayedBookings } from './relay/repairRelayedBookings.ts';
import { createSyncAuthorizer } from './sync/authorizeSync.ts';
import { attachWebsocket } from './sync/attachWebsocket.ts';

export interface StartOptions extends Omit<ServerConfig, 'limits'> {
  clientDir?: string;
  logger?: Logger;
  /** Default: defaultLimits. */
  limits?: AppConfig['limits'];
  /** For tests: how often sync sockets whose session may have expired are checked (default 60 s). */
  sessionCheckMs?: number;
  /** For tests: the clock sessions (and the sync sockets' session checks) go by; default Date.now. */
  now?: () => number;
}

export interface RunningServer {
  port: number;
  url: string;
  sync: SyncServer;
  /** Graceful: stop accepting, flush, close sockets with a retryable code, close the database. */
  close(): Promise<void>;
}

export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const logger = opts.logger ?? pino({ level: opts.logLevel });
  const database = await openDatabase(opts, logger);
  const { users, boards, bookings, cards, documents, sessions: sessionStore } = database.stores;
  // A session that ends (sign-out, a new sign-in replacing it, expiry) closes its sync sockets on
  // every replica; `sync` exists by the time any request can end one.
  const sessions = createSessions({ sessions: sessionStore, now: opts.now, onEnded: (sessionId) => sync.endSession(sessionId) });
  const bookingService = new BookingService({ bookings, boards, users, logger, now: Date.now });
  const replication = opts.redisUrl
    ? createReplication({ redisUrl: opts.redisUrl, logger, replicaName: opts.replicaId, prefix: opts.redisPrefix })
    : null;
  if (replication) {
    // Not fatal: Redis is the fast path; until it answers, replicas converge through the database.
    await replication.relay.whenReady(5000).catch((err) => logger.warn({ err: String(err) }, 'Redis not reachable yet; relaying once it is'));
    logger.info({ replicaId: replication.relay.replicaId }, 'relaying through Redis');
  }
  const repairBookings = replication ? repairRelayedBookings({ bookings, logger }) : null;
  const sync = new SyncServer(
    documents,
    logger,
    {
      maxFrameBytes: opts.maxFrameBytes,
      maxDocBytes: opts.maxDocBytes,
      idleMs: opts.docIdleMs,
      compactEveryUpdates: opts.compactEveryUpdates,
      compactEveryMs: opts.compactEveryMs,
      retryMs: 1000,
      catchUpMs: opts.catchUpMs,
      sessionCheckMs: opts.sessionCheckMs,
    },
    {
      onLoad: async (room) => {
        await bookingService.onLoad(room);
        repairBookings?.(room);
      },
      relay: replication?.relay,
      getRole: (boardId, userId) => boards.getRole(boardId, userId),
      sessionExpiry: (sessionId) => sessions.expiryOf(sessionId),
      now: opts.now,
    },
  );
  bookingService.attach(sync);

  const app = createApp({
    config: {
      allowedOrigins: opts.allowedOrigins,
      publicUrl: opts.publicUrl,
      trustProxy: opts.trustProxy,
      maxBodyBytes: opts.maxBodyBytes,
      limits: opts.limits ?? defaultLimits,
      clientDir: opts.clientDir,
      client: opts.client,
    },
    logger,
    users,
    boards,
    bookings,
    cards,
    bookingService,
    sessions,
    rateLimiter: replication?.rateLimiter ?? createMemoryRateLimiter(),
    now: Date.now,
    onMembershipChange: (boardId, userId, role) => sync.setAccess(boardId, userId, role),
    isReady: async () => (await database.isReady()) && (replication?.isReady() ?? true),
    metrics: createMetrics(
      {
        connections: () => sync.connectionCount,
        rooms: () => sync.roomCount,
        droppedWrites: () => sync.security.droppedWrites,
        refusedCardRemovals: () => sync.security.refusedCardRemovals,
        forgedComments: () => sync.security.forgedComments,
        forgedCardCreators: () => sync.security.forgedCardCreators,
        relay: replication ? () => ({ up: replication.isReady(), dropped: replication.relay.droppedCount(), caughtUp: sync.caughtUpUpdates }) : undefined,
      },
      true,
    ),
  });

  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host }, () => resolve(s));
  });
  const ws = attachWebsocket(server as Server, { sync, authorize: createSyncAuthorizer({ sessions, boards, allowedOrigins: opts.allowedOrigins }), logger });
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | null = null;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    sync,
    close() {
      closing ??= (async () => {
        ws.close();
        const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        await sync.close();
        (server as Server).closeAllConnections?.();
        await httpClosed;
        await database.close();
      })();
      return closing;
    },
  };
}

/** DATABASE_URL set: Postgres (migrated under a lock, safe for several replicas); else SQLite in dataDir. */
async function openDatabase(opts: Pick<ServerConfig, 'databaseUrl' | 'dataDir'>, logger: Logger) {
  if (opts.databaseUrl) {
    const pg = await openPg(opts.databaseUrl, { onIdleError: (err) => logger.warn({ err }, 'idle Postgres connection lost') });
    return {
      stores: createPgStores(pg.db),
    isReady: async () => (await pg.pool.query('select 1')).rowCount === 1,
      close: () => pg.close(),
    };
  }
  mkdirSync(opts.dataDir, { recursive: true });
  const sqlite = openSqlite(join(opts.dataDir, 'delivery-board.sqlite'));
  return {
    stores: createSqliteStores(sqlite.db),
    isReady: async () => sqlite.sqlite.prepare('select 1').get() !== undefined,
    close: async () => sqlite.close(),
  };
}
