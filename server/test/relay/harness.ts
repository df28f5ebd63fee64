/**
 * Replicas in one process for the relay tests: each is a full server (replicaServer.ts) with its
 * own SyncServer and port, and they share one database (one SQLite file opened by each, which is
 * fine inside one process) and one Redis. Also: a private redis-server for outage tests, and a
 * Redis check that fails loudly rather than skipping.
 */
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { onTestFinished } from 'vitest';
import { defaultLimits } from '../../src/app.ts';
import { openSqlite } from '../../src/db/sqlite.ts';
import { createSqliteStores } from '../../src/stores/sqlite/createSqliteStores.ts';
import { silentLogger } from '../helpers.ts';
import { startReplicaServer, type ReplicaServer } from './replicaServer.ts';

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

export type Replica = ReplicaServer;

export interface ReplicaOptions {
  dbFile: string;
  redisUrl?: string;
  prefix: string;
  catchUpMs?: number;
  compactEveryUpdates?: number;
  idleMs?: number;
  reconcileMs?: number;
}

/** Starts one replica on 127.0.0.1:0 over the SQLite file; closed when the test ends. */
export async function startReplica(opts: ReplicaOptions): Promise<Replica> {
  const database = openSqlite(opts.dbFile);
  const replica = await startReplicaServer({
    ...opts,
    stores: createSqliteStores(database.db),
    closeStores: () => database.close(),
    redisUrl: opts.redisUrl ?? REDIS_URL,
    logger: silentLogger,
    limits: defaultLimits,
  }).catch((err) => {
    database.close();
    throw err;
  });
  onTestFinished(() => replica.close());
  return replica;
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
