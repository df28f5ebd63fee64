/**
 * The two targets under test, started as child processes on 127.0.0.1 and free ports:
 *  - "ours": N replicas (default 1) of `node --import tsx server/src/main.ts`, LOG_LEVEL=warn.
 *    SQLite (one replica only): a fresh temp DATA_DIR. Postgres: a fresh database per run
 *    (backing.ts) shared by all replicas, and with more than one replica (or --redis) the Redis
 *    relay with a unique REDIS_PREFIX; each replica gets its own PORT and REPLICA_ID (bench-r<i>).
 *    Replica 1 starts first (it runs the migrations), then the others together; each must answer
 *    /readyz (database and Redis reachable).
 *  - "reference": the y-websocket 1.5.4 demo server (devDependency alias y-websocket-ref), no
 *    persistence (YPERSISTENCE unset), one process.
 * Accounts, boards and room names are set up afterwards by setup.ts (through replica 1).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { onAbort, stopChild, track } from './procs.ts';
import { createBacking, type Backing } from './backing.ts';

export type TargetName = 'reference' | 'ours';
export type DbKind = 'sqlite' | 'postgres';

/** One server process. */
export interface ServerProc {
  /** 1-based replica number. */
  index: number;
  name: string;
  child: ChildProcess;
  pid: number;
  httpUrl: string;
  /** Base URL for y-websocket: the room name is appended as `/<room>`. */
  wsUrl: string;
  /** Server output (ours logs warn and above as pino JSON lines). */
  log: string[];
  /** Resolves with the next output line starting with `prefix` (used for the profiler's answers). */
  nextLine(prefix: string, timeoutMs: number): Promise<string>;
}

export interface RunningTarget {
  name: TargetName;
  label: string;
  /** Short description for tables, e.g. `ours 2× pg+redis`. */
  short: string;
  procs: ServerProc[];
  /** Where setup REST calls go (replica 1). */
  httpUrl: string;
  /** Postgres database and Redis prefix of this run (ours on Postgres only). */
  backing: Backing | null;
  stop(): Promise<void>;
}

export interface OursOptions {
  replicas: number;
  db: DbKind;
  /** Relay through Redis (always with several replicas). */
  redis: boolean;
  pgAdminUrl: string;
  redisUrl: string;
  /** When set, replicas are started with profileHook.ts and write their window profile here. */
  profileDir: string | null;
}

export const repoRoot = new URL('../../', import.meta.url).pathname;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function waitHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited early (${child.exitCode ?? child.signalCode})`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server not ready at ${url} after ${timeoutMs} ms`);
}

const profileHook = fileURLToPath(new URL('./profileHook.ts', import.meta.url));

/** Keeps the output lines (bounded) and lets callers wait for a line with a given prefix. */
function captureOutput(child: ChildProcess, log: string[]): ServerProc['nextLine'] {
  const waiters = new Set<{ prefix: string; resolve: (line: string) => void }>();
  let partial = '';
  const keep = (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      if (log.length < 10_000) log.push(line);
      for (const w of waiters) {
        if (line.startsWith(w.prefix)) {
          waiters.delete(w);
          w.resolve(line);
        }
      }
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return (prefix, timeoutMs) =>
    new Promise((resolve, reject) => {
      const w = {
        prefix,
        resolve: (line: string) => {
          clearTimeout(timer);
          resolve(line);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(w);
        reject(new Error(`no '${prefix}' line from pid ${child.pid} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(w);
    });
}

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  // Drop settings of the calling shell that would change either server's behaviour or point it at
  // other storage. (Tuning settings such as COMPACT_EVERY_UPDATES pass through.)
  const env = { ...process.env };
  for (const k of ['YPERSISTENCE', 'CALLBACK_URL', 'ALLOWED_ORIGINS', 'PUBLIC_URL', 'TRUST_PROXY', 'NODE_OPTIONS', 'DATA_DIR', 'DATABASE_URL', 'REDIS_URL', 'REDIS_PREFIX', 'REPLICA_ID']) {
    delete env[k];
  }
  return { ...env, ...extra };
}

async function spawnOurs(index: number, env: Record<string, string>, profileDir: string | null): Promise<ServerProc> {
  const port = await freePort();
  const args = ['--import', 'tsx', ...(profileDir ? ['--import', profileHook] : []), 'server/src/main.ts'];
  const extra: Record<string, string> = { ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  if (profileDir) Object.assign(extra, { BENCH_PROFILE_DIR: profileDir, BENCH_PROFILE_NAME: `replica-${index}` });
  const child = track(spawn(process.execPath, args, { cwd: repoRoot, env: cleanEnv(extra), stdio: ['ignore', 'pipe', 'pipe'] }));
  const log: string[] = [];
  const nextLine = captureOutput(child, log);
  const httpUrl = `http://127.0.0.1:${port}`;
  const proc: ServerProc = { index, name: `replica ${index}`, child, pid: child.pid!, httpUrl, wsUrl: `ws://127.0.0.1:${port}/sync`, log, nextLine };
  try {
    // /readyz: database (and Redis, with a relay) reachable.
    await waitHttp(`${httpUrl}/readyz`, child, 30_000);
  } catch (err) {
    await stopChild(child, 'SIGKILL', 1000);
    throw new Error(`ours replica ${index}: ${(err as Error).message}\n${log.slice(-20).join('\n')}`);
  }
  return proc;
}

export async function startOurs(o: OursOptions): Promise<RunningTarget> {
  if (o.replicas > 1 && o.db === 'sqlite') throw new Error('several replicas need Postgres (--db postgres)');
  const relay = o.db === 'postgres' && (o.redis || o.replicas > 1);
  const procs: ServerProc[] = [];
  let backing: Backing | null = null;
  let dataDir: string | null = null;
  let unregisterDir = () => {};
  const stop = async () => {
    await Promise.all(procs.map((p) => stopChild(p.child, 'SIGTERM', 10_000)));
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    unregisterDir();
    await backing?.close();
  };
  try {
    const env: Record<string, string> = {};
    if (o.db === 'sqlite') {
      const dir = (dataDir = mkdtempSync(join(tmpdir(), 'dboard-bench-')));
      unregisterDir = onAbort(() => rmSync(dir, { recursive: true, force: true }));
      env.DATA_DIR = dir;
    } else {
      backing = await createBacking({ pgAdminUrl: o.pgAdminUrl, redisUrl: relay ? o.redisUrl : null });
      env.DATABASE_URL = backing.databaseUrl;
      if (backing.redisUrl && backing.redisPrefix) Object.assign(env, { REDIS_URL: backing.redisUrl, REDIS_PREFIX: backing.redisPrefix });
    }
    const start = (i: number) => spawnOurs(i, { ...env, REPLICA_ID: `bench-r${i}` }, o.profileDir).then((p) => (procs.push(p), p));
    await start(1); // runs the migrations
    await Promise.all(Array.from({ length: o.replicas - 1 }, (_, i) => start(i + 2)));
    procs.sort((a, b) => a.index - b.index);
  } catch (err) {
    await stop();
    throw err;
  }
  const storage = o.db === 'sqlite' ? 'SQLite' : relay ? 'Postgres + Redis relay' : 'Postgres';
  const label =
    o.replicas === 1 ? `ours (server/src/main.ts, ${storage})` : `ours (${o.replicas} replicas of server/src/main.ts, ${storage}; clients of every board spread over all replicas)`;
  const short = `ours ${o.replicas}× ${o.db === 'sqlite' ? 'sqlite' : relay ? 'pg+redis' : 'pg'}`;
  return { name: 'ours', label, short, procs, httpUrl: procs[0]!.httpUrl, backing, stop };
}

export async function startReference(): Promise<RunningTarget> {
  const port = await freePort();
  const require = createRequire(join(repoRoot, 'package.json'));
  const script = join(require.resolve('y-websocket-ref/package.json'), '..', 'bin', 'server.js');
  const child = track(
    spawn(process.execPath, [script], {
      cwd: repoRoot,
      env: cleanEnv({ HOST: '127.0.0.1', PORT: String(port) }),
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const log: string[] = [];
  const nextLine = captureOutput(child, log);
  const httpUrl = `http://127.0.0.1:${port}`;
  const stop = () => stopChild(child, 'SIGTERM', 5000);
  try {
    await waitHttp(httpUrl, child, 15_000);
  } catch (err) {
    await stop();
    throw new Error(`reference: ${(err as Error).message}\n${log.slice(-20).join('\n')}`);
  }
  const proc: ServerProc = { index: 1, name: 'reference', child, pid: child.pid!, httpUrl, wsUrl: `ws://127.0.0.1:${port}`, log, nextLine };
  return { name: 'reference', label: 'reference (y-websocket 1.5.4 bin/server.js)', short: 'reference', procs: [proc], httpUrl, backing: null, stop };
}
