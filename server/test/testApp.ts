/** An in-process app on a fresh SQLite file, for REST tests through app.request(). */
import { join } from 'node:path';
import type { Role } from '@delivery-board/schema/types';
import { createApp, defaultLimits, type AppConfig } from '../src/app.ts';
import { openSqlite } from '../src/db/sqlite.ts';
import { createSqliteBoardStore } from '../src/stores/sqlite/boardStore.ts';
import { createSqliteSessionStore, createSqliteUserStore } from '../src/stores/sqlite/userStore.ts';
import { createSessions } from '../src/auth/sessions.ts';
import { createMemoryRateLimiter } from '../src/auth/rateLimiter.ts';
import { silentLogger, tempDir } from './helpers.ts';
import { onTestFinished } from 'vitest';
import { createSqliteBookingStore } from '../src/stores/sqlite/bookingStore.ts';
import { createSqliteCardStore } from '../src/stores/sqlite/cardStore.ts';
import { createSqliteDocumentStore } from '../src/stores/sqlite/documentStore.ts';
import { BookingService } from '../src/bookings/bookingService.ts';
import { defaultSyncOptions, SyncServer } from '../src/sync/syncServer.ts';

export function createTestApp(overrides: Partial<AppConfig> = {}, clock?: { now: number }) {
  const database = openSqlite(join(tempDir(), 'test.sqlite'));
  onTestFinished(() => database.close());
  const now = clock ? () => clock.now : Date.now;
  const users = createSqliteUserStore(database.db);
  const boards = createSqliteBoardStore(database.db);
  const sessions = createSessions({ sessions: createSqliteSessionStore(database.db), users, now });
  const bookings = createSqliteBookingStore(database.db);
  const bookingService = new BookingService({ bookings, boards, users, logger: silentLogger, now });
  const sync = new SyncServer(createSqliteDocumentStore(database.db), silentLogger, defaultSyncOptions, { onLoad: bookingService.onLoad });
  bookingService.attach(sync);
  onTestFinished(() => sync.close());
  const membershipChanges: { boardId: string; userId: string; role: Role | null }[] = [];
  const app = createApp({
    config: { allowedOrigins: [], trustProxy: false, maxBodyBytes: 64 * 1024, limits: defaultLimits, ...overrides },
    logger: silentLogger,
    users,
    boards,
    bookings,
    cards: createSqliteCardStore(database.db),
    bookingService,
    sessions,
    rateLimiter: createMemoryRateLimiter(now),
    now,
    onMembershipChange: (boardId, userId, role) => membershipChanges.push({ boardId, userId, role }),
  });
  return { app, database, boards, users, bookings, sync, membershipChanges };
}
