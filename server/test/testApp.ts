/** An in-process app on a fresh SQLite file, for REST tests through app.request(). */
import { join } from 'node:path';
import type { Role } from '@delivery-board/schema/types';
import { createApp, type AppConfig } from '../src/app.ts';
import { defaultLimits } from '../src/auth/rateLimiter.ts';
import { openSqlite } from '../src/db/sqlite.ts';
import { createSqliteStores } from '../src/stores/sqlite/createSqliteStores.ts';
import { createSessions } from '../src/auth/sessions.ts';
import { createMemoryRateLimiter } from '../src/auth/rateLimiter.ts';
import { silentLogger, tempDir } from './helpers.ts';
import { onTestFinished } from 'vitest';
import { BookingService } from '../src/bookings/bookingService.ts';
import { defaultSyncOptions, SyncServer } from '../src/sync/syncServer.ts';

export function createTestApp(overrides: Partial<AppConfig> = {}, clock?: { now: number }) {
  const database = openSqlite(join(tempDir(), 'test.sqlite'));
  onTestFinished(() => database.close());
  const now = clock ? () => clock.now : Date.now;
  const { users, boards, bookings, cards, documents, sessions: sessionStore } = createSqliteStores(database.db, now);
  const sessions = createSessions({ sessions: sessionStore, now });
  const bookingService = new BookingService({ bookings, boards, users, logger: silentLogger, now });
  const sync = new SyncServer(documents, silentLogger, defaultSyncOptions, { onLoad: bookingService.onLoad });
  bookingService.attach(sync);
  onTestFinished(() => sync.close());
  const membershipChanges: { boardId: string; userId: string; role: Role | null }[] = [];
  const app = createApp({
    config: { allowedOrigins: [], trustProxy: false, maxBodyBytes: 64 * 1024, limits: defaultLimits, ...overrides },
    logger: silentLogger,
    users,
    boards,
    bookings,
    cards,
    bookingService,
    sessions,
    rateLimiter: createMemoryRateLimiter(now),
    now,
    onMembershipChange: (boardId, userId, role) => membershipChanges.push({ boardId, userId, role }),
  });
  return { app, database, boards, users, bookings, sync, membershipChanges };
}
