/**
 * One in-process replica for relay.test.ts (harness.ts startReplica): a full server (REST, sync
 * websockets, its own SyncServer) over the stores it is given, wired like server/src/server.ts with
 * REDIS_URL set, plus what those tests look into (the relay, appends counted per document) and
 * knobs main.ts does not have (reconcileMs, limits). Several of them share one SQLite file, which
 * is fine inside one process. Tests of real processes spawn main.ts instead (harness.ts spawnReplica).
 */
import { serve, type ServerType } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createApp, type AppConfig } from '../../src/app.ts';
import type { Stores } from '../../src/stores/pg/createPgStores.ts';
import type { DocumentStore } from '../../src/stores/types.ts';
import { createSessions } from '../../src/auth/sessions.ts';
import { BookingService } from '../../src/bookings/bookingService.ts';
import { SyncServer, defaultSyncOptions } from '../../src/sync/syncServer.ts';
import { createSyncAuthorizer } from '../../src/sync/authorizeSync.ts';
import { attachWebsocket } from '../../src/sync/attachWebsocket.ts';
import { createReplication } from '../../src/relay/createReplication.ts';
import type { RedisRelay } from '../../src/relay/redisRelay.ts';
import { repairRelayedBookings } from '../../src/relay/repairRelayedBookings.ts';

/** Rate limits high enough for suites that register many users from one address. */
export const HIGH_LIMITS: AppConfig['limits'] = { loginPerIpPerMinute: 100_000, loginPerAccountPer15Min: 100_000, registerPerIpPerHour: 100_000 };

export interface ReplicaServer {
  url: string;
  port: number;
  sync: SyncServer;
  relay: RedisRelay;
  /** The shared document store as this replica sees it, counting this replica's appends per document. */
  documents: DocumentStore;
  appends: Map<string, number>;
  /** Graceful: flush, close sockets with 1012, close the relay, then the database. */
  close(): Promise<void>;
}

export interface ReplicaServerOptions {
  stores: Stores;
  closeStores: () => Promise<void> | void;
  redisUrl: string;
  prefix: string;
  logger: Logger;
  port?: number;
  catchUpMs?: number;
  compactEveryUpdates?: number;
  idleMs?: number;
  /** How often loaded bookings documents are reconciled with the database (repairRelayedBookings). */
  reconcileMs?: number;
  limits?: AppConfig['limits'];
}

export async function startReplicaServer(opts: ReplicaServerOptions): Promise<ReplicaServer> {
  const { logger, stores } = opts;
  const appends = new Map<string, number>();
  const documents: DocumentStore = {
    ...stores.documents,
    append: (docName, updates) => {
      appends.set(docName, (appends.get(docName) ?? 0) + updates.length);
      return stores.documents.append(docName, updates);
    },
  };
  const sessions = createSessions({ sessions: stores.sessions });
  const bookingService = new BookingService({ bookings: stores.bookings, boards: stores.boards, users: stores.users, logger, now: Date.now });
  const replication = createReplication({ redisUrl: opts.redisUrl, logger, prefix: opts.prefix });
  const repairBookings = repairRelayedBookings({ bookings: stores.bookings, logger, reconcileMs: opts.reconcileMs });
  const sync = new SyncServer(
    documents,
    logger,
    {
      ...defaultSyncOptions,
      catchUpMs: opts.catchUpMs ?? defaultSyncOptions.catchUpMs,
      compactEveryUpdates: opts.compactEveryUpdates ?? defaultSyncOptions.compactEveryUpdates,
      idleMs: opts.idleMs ?? defaultSyncOptions.idleMs,
    },
    {
      onLoad: async (room) => {
        await bookingService.onLoad(room);
        repairBookings(room);
      },
      relay: replication.relay,
      getRole: (boardId, userId) => stores.boards.getRole(boardId, userId),
    },
  );
  bookingService.attach(sync);
  const app = createApp({
    config: { allowedOrigins: [], trustProxy: false, maxBodyBytes: 64 * 1024, limits: opts.limits ?? HIGH_LIMITS },
    logger,
    users: stores.users,
    boards: stores.boards,
    bookings: stores.bookings,
    cards: stores.cards,
    bookingService,
    sessions,
    rateLimiter: replication.rateLimiter,
    now: Date.now,
    onMembershipChange: (boardId, userId, role) => sync.setAccess(boardId, userId, role),
    isReady: async () => replication.isReady(),
  });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: opts.port ?? 0, hostname: '127.0.0.1' }, () => resolve(s));
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
      await opts.closeStores();
    })());
  await replication.relay.whenReady(5000);
  return { url: `http://127.0.0.1:${port}`, port, sync, relay: replication.relay, documents, appends, close };
}
