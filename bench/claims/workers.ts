/**
 * Parent side of the load workers: forks W `worker.ts` processes (`--import tsx`), deals each
 * round's claims round-robin over them, starts them together at one absolute time, and gathers the
 * results. Workers are stopped by pid (kill) if they do not exit when asked.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { now, type ClaimJob, type ClaimResult, type FromWorker, type ToWorker } from './protocol.ts';

export interface RoundOutput {
  results: ClaimResult[];
  /** CPU time used by all workers during the round (ms). */
  clientCpuMs: number;
  /** The absolute start time the workers were given. */
  startAt: number;
}

export class WorkerPool {
  private readonly procs: ChildProcess[] = [];

  constructor(count: number) {
    const script = new URL('./worker.ts', import.meta.url).pathname;
    for (let i = 0; i < count; i++) {
      this.procs.push(fork(script, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    }
  }

  get pids(): number[] {
    return this.procs.map((p) => p.pid!);
  }

  init(baseUrl: string, boardId: string, totalConcurrency: number, timeoutMs: number) {
    const concurrency = Math.max(1, Math.ceil(totalConcurrency / this.procs.length));
    for (const p of this.procs) this.post(p, { type: 'init', baseUrl, boardId, maxSockets: concurrency, concurrency, timeoutMs });
  }

  /** Runs one round: every worker gets its share, then all start at the same moment. */
  async round(round: number, jobs: ClaimJob[], rate: number, timeoutMs: number): Promise<RoundOutput> {
    const shares = this.procs.map((_, w) => jobs.filter((j) => j.seq % this.procs.length === w));
    await Promise.all(this.procs.map((p, w) => this.request(p, { type: 'round', round, jobs: shares[w]! }, 'ready', timeoutMs)));
    const startAt = now() + 50;
    const done = await Promise.all(this.procs.map((p) => this.request(p, { type: 'go', round, startAt, rate }, 'done', timeoutMs)));
    const results: ClaimResult[] = [];
    let clientCpuMs = 0;
    for (const d of done) {
      if (d.type !== 'done') continue;
      results.push(...d.results);
      clientCpuMs += d.cpuMs;
    }
    return { results, clientCpuMs, startAt };
  }

  async stop() {
    await Promise.all(
      this.procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) return resolve();
            const t = setTimeout(() => this.killOne(p), 3000);
            p.once('exit', () => (clearTimeout(t), resolve()));
            try {
              p.send({ type: 'stop' } satisfies ToWorker);
            } catch {
              this.killOne(p);
            }
          }),
      ),
    );
  }

  killNow() {
    for (const p of this.procs) this.killOne(p);
  }

  private killOne(p: ChildProcess) {
    if (p.pid && p.exitCode === null && p.signalCode === null) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  private post(p: ChildProcess, msg: ToWorker) {
    p.send(msg);
  }

  private request(p: ChildProcess, msg: ToWorker, want: FromWorker['type'], timeoutMs: number): Promise<FromWorker> {
    return new Promise((resolve, reject) => {
      const onMsg = (m: FromWorker) => {
        if (m.type !== want) return;
        cleanup();
        resolve(m);
      };
      const onExit = (code: number | null) => (cleanup(), reject(new Error(`load worker ${p.pid} exited (${code})`)));
      const t = setTimeout(() => (cleanup(), reject(new Error(`load worker ${p.pid}: no "${want}" within ${timeoutMs} ms`))), timeoutMs);
      const cleanup = () => {
        clearTimeout(t);
        p.off('message', onMsg);
        p.off('exit', onExit);
      };
      p.on('message', onMsg);
      p.once('exit', onExit);
      this.post(p, msg);
    });
  }
}
