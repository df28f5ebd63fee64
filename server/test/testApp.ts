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

export function createTestApp(overrides: Partial<AppConfig> = {}, clock?: { now: number }) {
  const database = openSqlite(join(tempDir(), 'test.sqlite'));
  onTestFinished(() => database.close());
  const now = clock ? () => clock.now : Date.now;
  const users = createSqliteUserStore(database.db);
  const boards = createSqliteBoardStore(database.db);
  const sessions = createSessions({ sessions: createSqliteSessionStore(database.db), users, now });
  const membershipChanges: { boardId: string; userId: string; role: Role | null }[] = [];
  const app = createApp({
    config: { allowedOrigins: [], trustProxy: false, maxBodyBytes: 64 * 1024, limits: defaultLimits, ...overrides },
    logger: silentLogger,
    users,
    boards,
    sessions,
    rateLimiter: createMemoryRateLimiter(now),
    now,
    onMembershipChange: (boardId, userId, role) => membershipChanges.push({ boardId, userId, role }),
  });
  return { app, database, boards, users, membershipChanges };
}
