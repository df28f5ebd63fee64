/**
 * The two targets under test, each started as a child process on 127.0.0.1 and a free port:
 *  - "ours": `node --import tsx server/src/main.ts` with a fresh temp DATA_DIR, LOG_LEVEL=warn;
 *  - "reference": the y-websocket 1.5.4 demo server (devDependency alias y-websocket-ref), no
 *    persistence (YPERSISTENCE unset).
 * Accounts, boards and room names are set up afterwards by setup.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { onAbort, stopChild, track } from './procs.ts';

export type TargetName = 'reference' | 'ours';

export interface RunningTarget {
  name: TargetName;
  label: string;
  child: ChildProcess;
  pid: number;
  httpUrl: string;
  /** Base URL for y-websocket: the room name is appended as `/<room>`. */
  wsUrl: string;
  /** Server output (ours logs warn and above as pino JSON lines). */
  log: string[];
  stop(): Promise<void>;
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

function captureOutput(child: ChildProcess, log: string[]) {
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) log.length < 10_000 && log.push(line);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
}

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  // Drop settings of the calling shell that would change either server's behaviour.
  const env = { ...process.env };
  for (const k of ['YPERSISTENCE', 'CALLBACK_URL', 'ALLOWED_ORIGINS', 'PUBLIC_URL', 'TRUST_PROXY', 'NODE_OPTIONS']) delete env[k];
  return { ...env, ...extra };
}

export async function startOurs(): Promise<RunningTarget> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'dboard-bench-'));
  const child = track(
    spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      cwd: repoRoot,
      env: cleanEnv({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const log: string[] = [];
  captureOutput(child, log);
  const httpUrl = `http://127.0.0.1:${port}`;
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });
  const unregister = onAbort(removeDir);
  const stop = async () => {
    await stopChild(child, 'SIGTERM', 10_000);
    removeDir();
    unregister();
  };
  try {
    await waitHttp(`${httpUrl}/healthz`, child, 30_000);
  } catch (err) {
    await stop();
    throw new Error(`ours: ${(err as Error).message}\n${log.slice(-20).join('\n')}`);
  }
  return { name: 'ours', label: 'ours (server/src/main.ts, SQLite)', child, pid: child.pid!, httpUrl, wsUrl: `ws://127.0.0.1:${port}/sync`, log, stop };
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
  captureOutput(child, log);
  const httpUrl = `http://127.0.0.1:${port}`;
  const stop = () => stopChild(child, 'SIGTERM', 5000);
  try {
    await waitHttp(httpUrl, child, 15_000);
  } catch (err) {
    await stop();
    throw new Error(`reference: ${(err as Error).message}\n${log.slice(-20).join('\n')}`);
  }
  return { name: 'reference', label: 'reference (y-websocket 1.5.4 bin/server.js)', child, pid: child.pid!, httpUrl, wsUrl: `ws://127.0.0.1:${port}`, log, stop };
}
