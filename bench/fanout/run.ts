/**
 * Fan-out benchmark orchestrator. For each target (reference first, then ours, by default; with
 * --rounds N the order alternates round by round) it starts the server as a child process, sets up
 * B boards, forks W load workers running B×C y-websocket clients, waits until all are synced, lets
 * every client edit at R/s (2 s warm-up, then D s measured), drains, and tallies latency and exact
 * loss. Prints per-target figures, the ours/reference p99 ratio and a markdown table; writes
 * bench/results/fanout-<timestamp>.json.
 *
 *   node --import tsx bench/fanout/run.ts [--boards 20 --clients 10 --rate 2 --duration 20 --workers 2]
 *     [--warmup 2 --drain 3 --targets reference,ours --rounds 1 --setup-timeout 60]
 */
import { parseArgs } from 'node:util';
import { tallyDeliveries } from './measure.ts';
import { WorkerPool } from './pool.ts';
import { killAllNow, procCpuMs, procRssMiB, systemCpu } from './procs.ts';
import { availableParallelism } from 'node:os';
import { now, type ClientSpec } from './protocol.ts';
import { printHeader, printSummary, printTarget, writeJson, type Params, type TargetResult } from './report.ts';
import { startOurs, startReference, type TargetName } from './servers.ts';
import { setupBoards } from './setup.ts';

const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - now())));

function readParams(): Params & { setupTimeoutS: number } {
  const { values } = parseArgs({
    options: {
      boards: { type: 'string', default: '20' },
      clients: { type: 'string', default: '10' },
      rate: { type: 'string', default: '2' },
      duration: { type: 'string', default: '20' },
      workers: { type: 'string', default: '2' },
      warmup: { type: 'string', default: '2' },
      drain: { type: 'string', default: '3' },
      targets: { type: 'string', default: 'reference,ours' },
      rounds: { type: 'string', default: '1' },
      'setup-timeout': { type: 'string', default: '60' },
    },
    strict: true,
  });
  const num = (name: string, v: string, min: number) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min}`);
    return n;
  };
  const targets = values.targets.split(',').map((t) => t.trim()) as TargetName[];
  for (const t of targets) if (t !== 'ours' && t !== 'reference') throw new Error(`unknown target '${t}' (ours, reference)`);
  const clients = Math.floor(num('clients', values.clients, 2));
  return {
    boards: Math.floor(num('boards', values.boards, 1)),
    clients,
    rate: num('rate', values.rate, 0.01),
    durationS: num('duration', values.duration, 1),
    warmupS: num('warmup', values.warmup, 0),
    drainS: num('drain', values.drain, 0),
    workers: Math.floor(num('workers', values.workers, 1)),
    targets,
    rounds: Math.floor(num('rounds', values.rounds, 1)),
    setupTimeoutS: num('setup-timeout', values['setup-timeout'], 1),
  };
}

async function runTarget(name: TargetName, round: number, p: Params & { setupTimeoutS: number }): Promise<TargetResult> {
  const target = name === 'ours' ? await startOurs() : await startReference();
  let pool: WorkerPool | null = null;
  try {
    const boards = await setupBoards(target, p.boards);
    const specs: ClientSpec[] = [];
    boards.forEach((b, board) => {
      for (let i = 0; i < p.clients; i++) specs.push({ gid: board * p.clients + i, board, room: b.room, cookie: b.cookie });
    });
    // Round-robin, so each board's clients are spread over the workers (fan-out crosses processes).
    const share = (w: number) => specs.filter((_, j) => j % p.workers === w);
    pool = new WorkerPool(p.workers);
    const readies = await pool.request(
      (w) => ({ type: 'setup', wsUrl: target.wsUrl, clients: share(w), clientsPerBoard: p.clients, setupTimeoutMs: p.setupTimeoutS * 1000 }),
      'ready',
      p.setupTimeoutS * 1000 + 30_000,
    );
    const setupMs = Math.max(...readies.map((r) => r.setupMs));

    const t0 = now() + 500;
    const measureFrom = t0 + p.warmupS * 1000;
    const stopAt = measureFrom + p.durationS * 1000;
    pool.broadcast({ type: 'start', t0, warmupMs: p.warmupS * 1000, durationMs: p.durationS * 1000, rate: p.rate });

    await sleepUntil(measureFrom);
    const cpu0 = procCpuMs(target.pid);
    const sys0 = systemCpu();
    const wall0 = now();
    await sleepUntil(stopAt);
    const cpu1 = procCpuMs(target.pid);
    const sys1 = systemCpu();
    const measuredMs = now() - wall0;
    const rss = procRssMiB(target.pid);
    await sleepUntil(stopAt + p.drainS * 1000);

    const reports = (await pool.request(() => ({ type: 'report' }), 'report', 60_000)).map((m) => m.report);
    const deliveries = tallyDeliveries(specs, reports, measureFrom);
    const workers = reports.map((r) => ({ cpuPct: (100 * r.cpuMs) / (p.durationS * 1000), eventLoopDelayP99Ms: r.eventLoopDelayP99Ms, eventLoopDelayMaxMs: r.eventLoopDelayMaxMs }));
    const serverCpuPct = (100 * (cpu1 - cpu0)) / measuredMs;
    const machineBusyPct = (100 * (sys1.busyMs - sys0.busyMs)) / measuredMs;
    return {
      round,
      target: name,
      label: target.label,
      clients: specs.length,
      setupMs,
      measuredMs,
      deliveries,
      deliveriesPerSec: deliveries.received / p.durationS,
      editsPerSec: deliveries.sentMeasured / p.durationS,
      serverCpuPct,
      serverRssMiB: rss,
      workers,
      machine: {
        cores: availableParallelism(),
        busyPct: machineBusyPct,
        otherPct: machineBusyPct - serverCpuPct - workers.reduce((n, w) => n + w.cpuPct, 0),
        stealPct: (100 * (sys1.stealMs - sys0.stealMs)) / measuredMs,
      },
      serverLogLines: target.log.length,
      serverLogTail: target.log.slice(-20),
    };
  } finally {
    await pool?.stop();
    await target.stop();
  }
}

async function main() {
  const p = readParams();
  const startedAt = new Date();
  // Hard bound on the whole run, whatever happens.
  const perTargetS = 45 + p.setupTimeoutS + 30 + 0.5 + p.warmupS + p.durationS + p.drainS + 60 + 20;
  setTimeout(() => {
    console.error(`fanout: still running after ${perTargetS * p.targets.length * p.rounds} s; killing everything`);
    killAllNow();
    process.exit(2);
  }, perTargetS * p.targets.length * p.rounds * 1000).unref();

  printHeader(p);
  const results: TargetResult[] = [];
  for (let round = 1; round <= p.rounds; round++) {
    // Alternate the order (A B, B A, ...) so neither target always runs on a warmer/quieter machine.
    const order = round % 2 === 1 ? p.targets : [...p.targets].reverse();
    for (const t of order) {
      const r = await runTarget(t, round, p);
      printTarget(p, r);
      results.push(r);
    }
  }
  printSummary(p, results);
  console.log(`\nresults: ${writeJson(p, results, startedAt)}`);
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    console.error(`fanout: ${sig}; stopping child processes`);
    killAllNow();
    process.exit(130);
  });
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error('fanout failed:', err instanceof Error ? err.message : err);
    killAllNow();
    process.exit(1);
  },
);
