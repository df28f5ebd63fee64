/**
 * The load-worker pool: forks W worker processes (node --import tsx worker.ts) and offers
 * request/answer over IPC with timeouts; a worker error or an unexpected exit fails the run.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isRunning, stopChild, track } from './procs.ts';
import { repoRoot } from './servers.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

const workerPath = fileURLToPath(new URL('./worker.ts', import.meta.url));

export class WorkerPool {
  readonly procs: ChildProcess[];
  private failure: Error | null = null;
  private stopping = false;
  private waiters = new Set<(err: Error) => void>();

  constructor(count: number) {
    this.procs = Array.from({ length: count }, (_, i) => {
      const child = track(fork(workerPath, [], { cwd: repoRoot, execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
      child.on('message', (msg: FromWorker) => {
        if (msg.type === 'error') this.fail(new Error(`worker ${i}: ${msg.message}`));
      });
      child.on('exit', (code, signal) => {
        if (!this.stopping) this.fail(new Error(`worker ${i} exited unexpectedly (${code ?? signal})`));
      });
      return child;
    });
  }

  private fail(err: Error) {
    if (this.failure) return;
    this.failure = err;
    for (const w of this.waiters) w(err);
  }

  send(i: number, msg: ToWorker) {
    this.procs[i]!.send(msg);
  }

  broadcast(msg: ToWorker) {
    for (const p of this.procs) p.send(msg);
  }

  /** Sends `msg` (per worker) and resolves with each worker's first answer of type `type`. */
  request<T extends FromWorker['type']>(msgFor: (i: number) => ToWorker, type: T, timeoutMs: number): Promise<Extract<FromWorker, { type: T }>[]> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      const answers: Extract<FromWorker, { type: T }>[] = new Array(this.procs.length);
      let pending = this.procs.length;
      const listeners: [ChildProcess, (m: FromWorker) => void][] = [];
      const done = (err: Error | null) => {
        clearTimeout(timer);
        this.waiters.delete(onFail);
        for (const [p, l] of listeners) p.off('message', l);
        if (err) reject(err);
        else resolve(answers);
      };
      const onFail = (err: Error) => done(err);
      const timer = setTimeout(() => done(new Error(`workers did not answer '${type}' within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.add(onFail);
      this.procs.forEach((p, i) => {
        const l = (m: FromWorker) => {
          if (m.type !== type || answers[i]) return;
          answers[i] = m as Extract<FromWorker, { type: T }>;
          if (--pending === 0) done(null);
        };
        listeners.push([p, l]);
        p.on('message', l);
        p.send(msgFor(i));
      });
    });
  }

  /** Asks every worker to close its clients and exit; SIGKILL by pid after a grace period. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const p of this.procs) {
      if (isRunning(p) && p.connected) p.send({ type: 'stop' } satisfies ToWorker);
    }
    await Promise.all(
      this.procs.map(async (p) => {
        const exited = new Promise<void>((r) => (isRunning(p) ? p.once('exit', () => r()) : r()));
        const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 3000).unref());
        if ((await Promise.race([exited, timeout])) === 'timeout') await stopChild(p, 'SIGKILL', 1000);
      }),
    );
  }
}
