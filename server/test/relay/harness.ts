/**
 * Shared helpers of the relay tests.
 *
 * - Replicas in one process (startReplica, over replicaServer.ts): each is a full server with its
 *   own SyncServer and port; they share one SQLite file and the local Redis. For relay.test.ts.
 * - Replicas as processes (spawnReplica): the shipped entry point, `node --import tsx
 *   server/src/main.ts`, configured only through its environment (PORT=0, HOST, DATABASE_URL,
 *   REDIS_URL, REDIS_PREFIX, REPLICA_ID, ...), on a fresh Postgres database of the test file
 *   (useTestDatabase) and a Redis; a round-robin TCP proxy stands in for the load balancer, or
 *   Debian's nginx runs the compose file's own docker/nginx.conf (startNginx).
 * - A private redis-server on its own port, stopped by its pid and restarted on the same port, for
 *   outage tests (never the shared one).
 * - Checks that fail loudly, never skip, when Redis or Postgres is missing (requireRedis here,
 *   createTestDatabase in ../contracts/pgTestDb.ts), with CI=true or not.
 *
 * Every process, socket and database started here is stopped when its test (or file) ends, also
 * when the test fails.
 */
import type { AddressInfo } from 'node:net';
import { connect, createServer, type Socket } from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import * as Y from 'yjs';
import { afterAll, beforeAll, onTestFinished } from 'vitest';
import { readCards } from '@delivery-board/schema/boardDoc';
import { defaultLimits } from '../../src/auth/rateLimiter.ts';
import { openSqlite } from '../../src/db/sqlite.ts';
import { openPg } from '../../src/db/pg.ts';
import { createSqliteStores } from '../../src/stores/sqlite/createSqliteStores.ts';
import { createPgStores } from '../../src/stores/pg/createPgStores.ts';
import { createTestDatabase } from '../contracts/pgTestDb.ts';
import { silentLogger, type TestClient } from '../helpers.ts';
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

// ---------------------------------------------------------------------------------------------
// Documents as the tests compare them

export const cardTitles = (doc: Y.Doc) =>
  readCards(doc)
    .map((c) => c.title)
    .sort();

/** The names in a client's awareness states (the `user.name` field), sorted. */
export const awarenessNames = (client: Pick<TestClient, 'provider'>) =>
  [...client.provider.awareness.getStates().values()]
    .map((s) => (s.user as { name?: string } | undefined)?.name)
    .filter(Boolean)
    .sort();

/** Like helpers.waitFor, for a check that has to ask something (the database, an endpoint). */
export async function waitForAsync(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (await check()) return;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// ---------------------------------------------------------------------------------------------
// Replicas in one process (SQLite)

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

// ---------------------------------------------------------------------------------------------
// Postgres for the replica processes

/**
 * Registers beforeAll/afterAll: a fresh Postgres database for this test file (failing loudly when
 * Postgres is missing), dropped when the file ends.
 */
export function useTestDatabase(): { readonly url: string } {
  let database: Awaited<ReturnType<typeof createTestDatabase>> | null = null;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());
  return {
    get url() {
      return database!.url;
    },
  };
}

/** Runs `fn` on a short-lived pool of the database (the replicas hold their own). */
async function withPg<T>(databaseUrl: string, fn: (pg: Awaited<ReturnType<typeof openPg>>) => Promise<T>): Promise<T> {
  const pg = await openPg(databaseUrl, { max: 1 });
  try {
    return await fn(pg);
  } finally {
    await pg.close();
  }
}

/** A document as stored in the database (snapshot and update log), loaded into a fresh Y.Doc. */
export function storedDoc(databaseUrl: string, docName: string): Promise<Y.Doc> {
  return withPg(databaseUrl, async (pg) => {
    const stored = await createPgStores(pg.db).documents.load(docName);
    const doc = new Y.Doc();
    for (const u of [stored.snapshot, ...stored.updates]) if (u) Y.applyUpdate(doc, u);
    return doc;
  });
}

/** The highest sequence number written for a document (its log or its snapshot): grows on every append. */
export function lastSeq(databaseUrl: string, docName: string): Promise<number> {
  return withPg(databaseUrl, async (pg) => {
    const { rows } = await pg.pool.query<{ seq: string | null }>(
      `select greatest((select max(seq) from doc_updates where doc_name = $1), (select max(up_to_seq) from doc_snapshots where doc_name = $1)) as seq`,
      [docName],
    );
    return Number(rows[0]?.seq ?? 0);
  });
}

/** Reads every booking row of a board from the database. */
export function storedBookings(databaseUrl: string, boardId: string) {
  return withPg(databaseUrl, (pg) => createPgStores(pg.db).bookings.list(boardId));
}

// ---------------------------------------------------------------------------------------------
// Replicas as processes: the shipped entry point

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export interface ReplicaProcess {
  /** REPLICA_ID given to it. */
  name: string;
  /** The relay id it reported (`<REPLICA_ID>-<pid>-<random>`). */
  replicaId: string;
  pid: number;
  port: number;
  url: string;
  /** Settles once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends the signal (if it still runs) and waits for the exit. */
  stop(signal?: 'SIGKILL' | 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Polls GET /readyz until it answers `ready` (200) or not (503). */
  waitReady(ready?: boolean, timeoutMs?: number): Promise<void>;
  /** The last log lines it printed (JSON), for failure messages. */
  logTail(): string;
}

export interface ReplicaProcessOptions {
  databaseUrl: string;
  redisUrl?: string;
  /** REDIS_PREFIX: a fresh one per test (testPrefix()) keeps parallel tests apart. */
  prefix: string;
  name: string;
  /** More of main.ts's settings (config.ts), e.g. SYNC_CATCH_UP_MS, SHUTDOWN_TIMEOUT_MS. */
  env?: Record<string, string>;
}

/**
 * Spawns `node --import tsx server/src/main.ts` with only its own settings in the environment
 * (nothing of this process's DATABASE_URL, PORT, ... leaks in); resolves once it listens and
 * /readyz says ready (database and Redis). SIGKILLed when the test ends if still running.
 */
export async function spawnReplica(opts: ReplicaProcessOptions): Promise<ReplicaProcess> {
  const inherited = Object.fromEntries(['PATH', 'HOME', 'TMPDIR', 'LANG'].filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]!]));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: {
      ...inherited,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: opts.databaseUrl,
      REDIS_URL: opts.redisUrl ?? REDIS_URL,
      REDIS_PREFIX: opts.prefix,
      REPLICA_ID: opts.name,
      LOG_LEVEL: 'info', // the "listening" line carries the port
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const stop = async (signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL') => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, signal);
    return exited;
  };
  onTestFinished(() => stop('SIGKILL').then(() => undefined));

  // Keep reading both pipes for the process's whole life (a full pipe would block it); keep a tail.
  const tail: string[] = [];
  const logTail = () => tail.join('\n');
  let port: number | null = null;
  let replicaId = '';
  const listening = new Promise<void>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        tail.push(line);
        if (tail.length > 50) tail.shift();
        let entry: { msg?: string; port?: number; replicaId?: string };
        try {
          entry = JSON.parse(line);
        } catch {
          continue;
        }
        if (entry.msg === 'relaying through Redis' && entry.replicaId) replicaId = entry.replicaId;
        if (entry.msg?.startsWith('Delivery Board listening') && typeof entry.port === 'number') {
          port = entry.port;
          resolve();
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      tail.push(chunk.toString().trimEnd());
      if (tail.length > 50) tail.shift();
    });
    void exited.then(({ code, signal }) => reject(new Error(`replica ${opts.name} exited before listening (${code ?? signal}):\n${logTail()}`)));
  });
  await withTimeout(listening, 20_000, () => `replica ${opts.name} did not start within 20 s:\n${logTail()}`);

  const url = `http://127.0.0.1:${port}`;
  const waitReady = (ready = true, timeoutMs = 10_000) =>
    waitForAsync(
      async () => {
        const res = await fetch(`${url}/readyz`).catch(() => null);
        await res?.body?.cancel();
        return res?.status === (ready ? 200 : 503);
      },
      timeoutMs,
      `${opts.name} /readyz ${ready ? '200' : '503'}`,
    );
  await waitReady(true, 20_000);
  return { name: opts.name, replicaId, pid: child.pid!, port: port!, url, exited, stop, waitReady, logTail };
}

/** Spawns `n` replicas named replica-0.. in parallel (same database, Redis and prefix). */
export function spawnReplicas(n: number, opts: Omit<ReplicaProcessOptions, 'name'>): Promise<ReplicaProcess[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => spawnReplica({ ...opts, name: `replica-${i}` })));
}

function withTimeout<T>(p: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message())), ms)))]).finally(() => clearTimeout(timer));
}

/**
 * A round-robin TCP proxy, the load balancer: each connection goes to the next backend that
 * accepts it. When a backend closes a connection, the proxy ends the client's side gracefully,
 * so a websocket close frame already on its way (e.g. 1012 on shutdown) still arrives.
 */
export async function startProxy(ports: number[]) {
  let next = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    client.pause();
    const tryBackend = (attempt: number) => {
      if (attempt >= ports.length) return client.destroy();
      const port = ports[next++ % ports.length]!;
      const upstream = connect(port, '127.0.0.1');
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        sockets.add(upstream);
        upstream.on('close', () => {
          sockets.delete(upstream);
          client.end();
        });
        client.on('close', () => upstream.destroy());
        upstream.on('error', () => {});
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.once('error', () => {
        if (!connected) tryBackend(attempt + 1); // refused: that backend is down
      });
    };
    tryBackend(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  onTestFinished(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * One sample of a replica's GET /metrics, by its exact name and labels (`name{a="b"}`). A sample
 * not there yet (a labelled counter before its first increment) reads as `absent`, or throws.
 */
export async function metricOf(replica: Pick<ReplicaProcess, 'url' | 'name'>, sample: string, absent?: number): Promise<number> {
  const text = await (await fetch(`${replica.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  if (line) return Number(line.slice(sample.length + 1));
  if (absent !== undefined) return absent;
  throw new Error(`no ${sample} in /metrics of ${replica.name}`);
}

// ---------------------------------------------------------------------------------------------
// The compose file's load balancer

const NGINX_CONF = fileURLToPath(new URL('../../../docker/nginx.conf', import.meta.url));

/**
 * Debian's nginx running docker/nginx.conf as it ships, in front of `ports`: the compose host
 * names app1:8787, app2:8787, ... become the replicas' loopback ports and `listen 80` a free
 * loopback port; everything else nginx writes goes to a temporary folder. Fails (never skips) when
 * nginx is missing: .ci/run installs it. Stopped by its pid when the test ends.
 */
export async function startNginx(ports: number[]) {
  let conf = readFileSync(NGINX_CONF, 'utf8');
  ports.forEach((port, i) => {
    const host = `app${i + 1}:8787`;
    if (!conf.includes(host)) throw new Error(`docker/nginx.conf has no ${host}`);
    conf = conf.replaceAll(host, `127.0.0.1:${port}`);
  });
  const port = await freeFixedPort();
  if (!/listen 80;/.test(conf)) throw new Error('docker/nginx.conf does not listen on 80');
  conf = conf.replace('listen 80;', `listen 127.0.0.1:${port};`);
  const dir = mkdtempSync(join(tmpdir(), 'dboard-nginx-'));
  chmodSync(dir, 0o755); // run as root, nginx's workers are `nobody` and keep their temp files here
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${dir}/${t};`).join('\n  ');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;\nworker_processes 1;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log warn;\nevents { worker_connections 1024; }\n` +
      `http {\n  access_log off;\n  ${temp}\n${conf}\n}\n`,
  );
  const child = spawn(process.env.NGINX ?? (existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx'), ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<string>((resolve) => {
    child.once('error', (err) => resolve(String(err)));
    child.once('exit', (code, signal) => resolve(`exit ${code ?? signal}`));
  });
  let stopped = false;
  onTestFinished(async () => {
    stopped = true;
    if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(child.pid, 'SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  });
  const url = `http://127.0.0.1:${port}`;
  const up = (async () => {
    while (!stopped) {
      const res = await fetch(`${url}/healthz`).catch(() => null);
      if (res?.status === 200) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const failed = exited.then((why) => {
    throw new Error(`nginx did not start (${why}); is it installed (apt-get install nginx-light)?\n${stderr}`);
  });
  await withTimeout(Promise.race([up, failed]), 10_000, () => `nginx did not answer within 10 s:\n${stderr}`);
  return { url };
}

// ---------------------------------------------------------------------------------------------
// A private redis-server

/**
 * A free TCP port on 127.0.0.1 below the ephemeral range (32768+), so that no outgoing connection
 * can take it while a private Redis is stopped and about to be restarted on it.
 */
async function freeFixedPort(): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port found');
}

/**
 * A redis-server of this test's own, on a free port; `stop` SIGKILLs it by its pid, `start`
 * brings a fresh one back on the same port and resolves once it is ready to accept connections.
 */
export async function startPrivateRedis() {
  const port = await freeFixedPort();
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
      c.stderr!.resume();
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
  onTestFinished(stop);
  await start();
  return { port, url: `redis://127.0.0.1:${port}`, start, stop };
}
