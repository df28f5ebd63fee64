/**
 * The shared services behind several replicas of ours: a fresh Postgres database per run
 * (`dboard_bench_<random>`, created on the admin URL's server, dropped at the end) and a unique
 * Redis prefix per run (`bench<random>:`, so channels and the shared rate limits of different runs
 * never meet; its keys are deleted at the end). Also their CPU during the measured window:
 * Postgres backends of the bench database plus Postgres' shared background processes (read from
 * /proc, so only when Postgres runs on this machine), and Redis from `INFO cpu` (the whole Redis
 * process: anything else using that Redis counts too).
 */
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { Redis } from 'ioredis';
import { onAbort, procCpuMs } from './procs.ts';

export interface BackingOptions {
  /** Postgres server to create the bench database on (any database of it; usually `postgres`). */
  pgAdminUrl: string;
  /** null: no relay (one replica, or --no-redis). */
  redisUrl: string | null;
}

export interface Backing {
  databaseUrl: string;
  dbName: string;
  redisUrl: string | null;
  redisPrefix: string | null;
  /** Starts a CPU reading of Postgres (and Redis); the returned function ends it. */
  cpuWindow(): Promise<() => Promise<BackingCpu>>;
  /** Drops the database and deletes the prefix's Redis keys. */
  close(): Promise<void>;
}

export interface BackingCpu {
  /** Postgres backends of the bench database + shared background processes, ms of CPU (NaN if unreadable). */
  postgresMs: number;
  /** Backends seen (connections of the replicas, incl. ones opened during the window). */
  postgresBackends: number;
  /** The Redis process (all its clients), ms of CPU; NaN without Redis. */
  redisMs: number;
}

const token = () => randomBytes(4).toString('hex');

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function adminQuery<T extends pg.QueryResultRow = any>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000, application_name: 'dboard-bench-admin' });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Synchronous best-effort drop for an abnormal exit (psql, if installed). */
function dropDatabaseSync(adminUrl: string, dbName: string) {
  spawnSync('psql', [adminUrl, '-qc', `drop database if exists "${dbName}" with (force)`], { stdio: 'ignore', timeout: 10_000 });
}

async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) deleted += await redis.del(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    redis.disconnect();
  }
}

async function redisCpuMs(redisUrl: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    const info = await redis.info('cpu');
    const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
    return (field('used_cpu_sys') + field('used_cpu_user')) * 1000;
  } finally {
    redis.disconnect();
  }
}

/** pids of the bench database's backends and of Postgres' shared background processes. */
async function postgresPids(adminUrl: string, dbName: string): Promise<number[]> {
  const rows = await adminQuery<{ pid: number }>(
    adminUrl,
    `select pid from pg_stat_activity
      where (datname = $1 and pid <> pg_backend_pid())
         or (datname is null and backend_type in ('checkpointer', 'background writer', 'walwriter', 'autovacuum launcher'))`,
    [dbName],
  );
  return rows.map((r) => r.pid);
}

function tryCpu(pid: number): number | undefined {
  try {
    return procCpuMs(pid);
  } catch {
    return undefined; // gone, or Postgres is not on this machine
  }
}

export async function createBacking(opts: BackingOptions): Promise<Backing> {
  const dbName = `dboard_bench_${token()}`;
  await adminQuery(opts.pgAdminUrl, `create database "${dbName}"`);
  const unregister = onAbort(() => dropDatabaseSync(opts.pgAdminUrl, dbName));
  const redisPrefix = opts.redisUrl ? `bench${token()}:` : null;
  let closed = false;
  return {
    databaseUrl: withDatabase(opts.pgAdminUrl, dbName),
    dbName,
    redisUrl: opts.redisUrl,
    redisPrefix,

    async cpuWindow() {
      const pids0 = await postgresPids(opts.pgAdminUrl, dbName);
      const start = new Map<number, number>();
      for (const pid of pids0) {
        const cpu = tryCpu(pid);
        if (cpu !== undefined) start.set(pid, cpu);
      }
      const redis0 = opts.redisUrl ? await redisCpuMs(opts.redisUrl) : NaN;
      const readable = start.size > 0;
      return async () => {
        const redis1 = opts.redisUrl ? await redisCpuMs(opts.redisUrl) : NaN;
        const pids1 = await postgresPids(opts.pgAdminUrl, dbName);
        let postgresMs = 0;
        for (const pid of new Set([...pids0, ...pids1])) {
          const end = tryCpu(pid);
          // A backend that appeared during the window: all its CPU is from the window (near enough).
          if (end !== undefined) postgresMs += end - (start.get(pid) ?? 0);
        }
        return { postgresMs: readable ? postgresMs : NaN, postgresBackends: pids1.length, redisMs: redis1 - redis0 };
      };
    },

    async close() {
      if (closed) return;
      closed = true;
      try {
        await adminQuery(opts.pgAdminUrl, `drop database if exists "${dbName}" with (force)`);
      } catch (err) {
        console.error(`fanout: could not drop database ${dbName}: ${(err as Error).message}`);
      }
      unregister();
      if (opts.redisUrl && redisPrefix) {
        await deleteRedisKeys(opts.redisUrl, redisPrefix).catch((err) => console.error(`fanout: could not delete Redis keys ${redisPrefix}*: ${(err as Error).message}`));
      }
    },
  };
}
