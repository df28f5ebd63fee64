/**
 * The server under test as a child process: `node --import tsx bench/claims/serverEntry.ts` on
 * 127.0.0.1 and a free port, a fresh temporary DATA_DIR (SQLite), LOG_LEVEL=warn. Stopped by its pid
 * (SIGTERM, then SIGKILL after a grace period); /proc readings for CPU.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repoRoot = new URL('../../', import.meta.url).pathname;
const CLK_TCK = 100; // Linux USER_HZ; /proc/<pid>/stat counts CPU time in these ticks

export interface ServerProc {
  pid: number;
  url: string;
  dataDir: string;
  log: string[];
  /** Resolves with the next stdout line starting with `prefix` (profiling handshakes). */
  nextLine(prefix: string, timeoutMs: number): Promise<string>;
  stop(): Promise<void>;
  /** SIGKILL now, by pid; removes the data dir (for abnormal exits). */
  killNow(): void;
}

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

const running = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;

export async function startServerProc(opts: { profileDir?: string; readyTimeoutMs?: number } = {}): Promise<ServerProc> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'dboard-claims-'));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  for (const k of ['ALLOWED_ORIGINS', 'PUBLIC_URL', 'TRUST_PROXY', 'NODE_OPTIONS', 'BENCH_PROFILE_DIR']) delete env[k];
  if (opts.profileDir) env.BENCH_PROFILE_DIR = opts.profileDir;
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/claims/serverEntry.ts'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  const waiters: { prefix: string; resolve: (l: string) => void }[] = [];
  const onLine = (line: string) => {
    if (log.length < 5000) log.push(line);
    const i = waiters.findIndex((w) => line.startsWith(w.prefix));
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(line);
  };
  for (const stream of [child.stdout!, child.stderr!]) {
    let buf = '';
    stream.on('data', (chunk: Buffer) => {
      buf += chunk.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        onLine(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
    });
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const removeDir = () => rmSync(dataDir, { recursive: true, force: true });

  const nextLine = (prefix: string, timeoutMs: number) =>
    new Promise<string>((resolve, reject) => {
      const w = { prefix, resolve: (l: string) => (clearTimeout(t), resolve(l)) };
      const t = setTimeout(() => {
        waiters.splice(waiters.indexOf(w), 1);
        reject(new Error(`server did not print "${prefix}" within ${timeoutMs} ms\n${log.slice(-20).join('\n')}`));
      }, timeoutMs);
      waiters.push(w);
    });

  const killNow = () => {
    if (running(child) && child.pid) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    removeDir();
  };
  const stop = async () => {
    if (running(child) && child.pid) {
      const timer = setTimeout(() => running(child) && child.pid && process.kill(child.pid, 'SIGKILL'), 10_000);
      try {
        process.kill(child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await exited;
      clearTimeout(timer);
    }
    removeDir();
  };

  const ready = nextLine('READY ', opts.readyTimeoutMs ?? 30_000);
  const early = exited.then(() => {
    throw new Error(`server exited early (${child.exitCode ?? child.signalCode})\n${log.slice(-20).join('\n')}`);
  });
  try {
    await Promise.race([ready, early]);
  } catch (err) {
    killNow();
    throw err;
  }
  early.catch(() => {}); // a later exit is reported by whoever is waiting on the server
  return { pid: child.pid!, url: `http://127.0.0.1:${port}`, dataDir, log, nextLine, stop, killNow };
}

/** utime + stime of a process in ms, from /proc/<pid>/stat. */
export function procCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // field 3 (state) is index 0
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

/** Machine-wide non-idle CPU time (ms, summed over cores, steal excluded) from /proc/stat. */
export function machineBusyMs(): number {
  const [user, nice, system, , , irq, softirq] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return ((user! + nice! + system! + irq! + softirq!) * 1000) / CLK_TCK;
}
