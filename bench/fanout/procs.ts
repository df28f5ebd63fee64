/**
 * Child-process bookkeeping for the benchmark: every spawned/forked process is tracked so it can be
 * stopped by pid at the end, on SIGINT/SIGTERM or on an error; plus /proc readings (CPU, RSS).
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

const live = new Set<ChildProcess>();
const CLK_TCK = 100; // Linux USER_HZ (getconf CLK_TCK); /proc/<pid>/stat counts in these ticks

export function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Sends `signal` to the child by pid, then SIGKILL if it has not exited after `graceMs`. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<void> {
  if (!isRunning(child) || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(child.pid, signal);
  } catch {
    return; // already gone
  }
  const timer = setTimeout(() => {
    if (isRunning(child) && child.pid !== undefined) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

const cleanups = new Set<() => void>();

/** Registers synchronous cleanup (e.g. removing a temp dir) for an abnormal exit; returns unregister. */
export function onAbort(fn: () => void): () => void {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

/** Immediate SIGKILL of every tracked child, by pid, then the cleanups (used on abnormal exit). */
export function killAllNow(): void {
  for (const child of live) {
    if (child.pid !== undefined && isRunning(child)) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
  }
  for (const fn of cleanups) {
    try {
      fn();
    } catch {
      // best effort
    }
  }
}

export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((c) => stopChild(c)));
}

/** utime + stime of a process, in ms, from /proc/<pid>/stat. */
export function procCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the ")" that closes the command name: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  return ((utime + stime) * 1000) / CLK_TCK;
}

export interface SystemCpu {
  /** Non-idle CPU time summed over all cores (ms), steal excluded. */
  busyMs: number;
  /** Time stolen by the hypervisor, summed over all cores (ms). */
  stealMs: number;
}

/** Machine-wide CPU time from the first line of /proc/stat (to see what else competed for the cores). */
export function systemCpu(): SystemCpu {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [user, nice, system, _idle, _iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return { busyMs: ((user! + nice! + system! + irq! + softirq!) * 1000) / CLK_TCK, stealMs: (steal! * 1000) / CLK_TCK };
}

/** Resident set size in MiB, from /proc/<pid>/status. */
export function procRssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}
