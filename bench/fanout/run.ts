/**
 * Fan-out benchmark orchestrator. For each target (reference first, then ours, by default; with
 * --rounds N the order alternates round by round) it starts the server (ours: one or several
 * replicas, see servers.ts), sets up B boards, forks W load workers running B×C y-websocket clients
 * (client i of every board on replica i mod N, so every board has clients on every replica; with
 * --spread boards, board b's clients all on replica b mod N, as behind the compose file's nginx), waits
 * until all are synced, lets every client edit at R/s (10 s warm-up by default, then D s measured), drains, and
 * tallies latency and exact loss. Prints per-target figures, the ours/reference p99 ratio and a
 * markdown table; writes bench/results/fanout-<timestamp>.json.
 *
 *   node --import tsx bench/fanout/run.ts [--boards 20 --clients 10 --rate 2 --duration 20 --workers 2]
 *     [--replicas 1 --spread clients|boards --db sqlite|postgres --redis --pg-url URL --redis-url URL --cpu-prof]
 *     [--warmup 10 --drain 3 --targets reference,ours --rounds 1 --setup-timeout 60]
 */
import { parseArgs } from 'node:util';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tallyDeliveries } from './measure.ts';
import { WorkerPool } from './pool.ts';
import { killAllNow, procCpuMs, procRssMiB, systemCpu } from './procs.ts';
import { availableParallelism } from 'node:os';
import { now, type ClientSpec } from './protocol.ts';
import { printHeader, printSummary, printTarget, writeJson, type Params, type TargetResult } from './report.ts';
import { repoRoot, startOurs, startReference, type DbKind, type RunningTarget, type TargetName } from './servers.ts';
import { setupBoards, type BoardTarget } from './setup.ts';
import { summarizeProfile, type ProfileSummary } from '../claims/profile.ts';

const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - now())));

type RunParams = Params & { setupTimeoutS: number; pgUrl: string; redisUrl: string };

function readParams(): RunParams {
  const { values } = parseArgs({
    options: {
      boards: { type: 'string', default: '20' },
      clients: { type: 'string', default: '10' },
      rate: { type: 'string', default: '2' },
      duration: { type: 'string', default: '20' },
      workers: { type: 'string', default: '2' },
      warmup: { type: 'string', default: '10' },
      drain: { type: 'string', default: '3' },
      targets: { type: 'string', default: 'reference,ours' },
      rounds: { type: 'string', default: '1' },
      'setup-timeout': { type: 'string', default: '60' },
      replicas: { type: 'string', default: '1' },
      spread: { type: 'string', default: 'clients' },
      db: { type: 'string' },
      redis: { type: 'boolean', default: false },
      'pg-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
      'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379' },
      'cpu-prof': { type: 'boolean', default: false },
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
  const replicas = Math.floor(num('replicas', values.replicas, 1));
  const db = (values.db ?? (replicas > 1 ? 'postgres' : 'sqlite')) as DbKind;
  if (db !== 'sqlite' && db !== 'postgres') throw new Error(`--db must be sqlite or postgres`);
  if (replicas > 1 && db === 'sqlite') throw new Error('--replicas > 1 needs --db postgres (SQLite serves one replica)');
  const spread = values.spread as Params['spread'];
  if (spread !== 'clients' && spread !== 'boards') throw new Error(`--spread must be clients or boards`);
  if (values.redis && db === 'sqlite') throw new Error('--redis needs --db postgres (the server refuses REDIS_URL without DATABASE_URL)');
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
    replicas,
    spread,
    db,
    redis: db === 'postgres' && (values.redis || replicas > 1),
    cpuProf: values['cpu-prof'],
    setupTimeoutS: num('setup-timeout', values['setup-timeout'], 1),
    pgUrl: values['pg-url'],
    redisUrl: values['redis-url'],
  };
}

/**
 * Client i of board b. `--spread clients` (default): replica i mod N, worker (b + ⌊i/N⌋) mod W, so
 * a board's clients cross processes and replicas. `--spread boards`: replica b mod N, as the
 * compose file's nginx keeps a board's sockets on one replica; worker (b + i) mod W.
 */
function clientPlan(p: Params, target: RunningTarget, boards: BoardTarget[]) {
  const replicas = target.procs.length;
  const specs: ClientSpec[] = [];
  const workerOf: number[] = [];
  boards.forEach((b, board) => {
    for (let i = 0; i < p.clients; i++) {
      const replica = p.spread === 'boards' ? board % replicas : i % replicas;
      specs.push({ gid: board * p.clients + i, board, room: b.room, cookie: b.cookie, userId: b.userId, replica, wsUrl: target.procs[replica]!.wsUrl });
      workerOf.push((p.spread === 'boards' ? board + i : board + Math.floor(i / replicas)) % p.workers);
    }
  });
  return { specs, share: (w: number) => specs.filter((_, j) => workerOf[j] === w), replicaOf: specs.map((s) => s.replica) };
}

async function runTarget(name: TargetName, round: number, p: RunParams, profileRoot: string | null): Promise<TargetResult> {
  const profileDir = name === 'ours' && profileRoot ? join(profileRoot, `round${round}`) : null;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const target =
    name === 'ours'
      ? await startOurs({ replicas: p.replicas, db: p.db, redis: p.redis, pgAdminUrl: p.pgUrl, redisUrl: p.redisUrl, profileDir })
      : await startReference();
  let pool: WorkerPool | null = null;
  try {
    const boards = await setupBoards(target, p.boards);
    const { specs, share, replicaOf } = clientPlan(p, target, boards);
    pool = new WorkerPool(p.workers);
    const readies = await pool.request(
      (w) => ({ type: 'setup', clients: share(w), replicaOf, clientsPerBoard: p.clients, setupTimeoutMs: p.setupTimeoutS * 1000 }),
      'ready',
      p.setupTimeoutS * 1000 + 30_000,
    );
    const setupMs = Math.max(...readies.map((r) => r.setupMs));

    const t0 = now() + 500;
    const measureFrom = t0 + p.warmupS * 1000;
    const stopAt = measureFrom + p.durationS * 1000;
    pool.broadcast({ type: 'start', t0, warmupMs: p.warmupS * 1000, durationMs: p.durationS * 1000, rate: p.rate });

    await sleepUntil(measureFrom);
    if (profileDir) {
      await Promise.all(
        target.procs.map((s) => {
          const started = s.nextLine('PROFILE_STARTED', 10_000);
          process.kill(s.pid, 'SIGUSR2');
          return started;
        }),
      );
    }
    const cpu0 = target.procs.map((s) => procCpuMs(s.pid));
    const sys0 = systemCpu();
    const wall0 = now();
    const endBacking = await target.backing?.cpuWindow();
    await sleepUntil(stopAt);
    const cpu1 = target.procs.map((s) => procCpuMs(s.pid));
    const sys1 = systemCpu();
    const measuredMs = now() - wall0;
    const backingCpu = await endBacking?.();
    const rss = target.procs.map((s) => procRssMiB(s.pid));
    let profiles: ProfileSummary[] = [];
    if (profileDir) {
      const files = await Promise.all(
        target.procs.map((s) => {
          const written = s.nextLine('PROFILE_WRITTEN ', 60_000);
          process.kill(s.pid, 'SIGUSR2');
          return written.then((line) => line.slice('PROFILE_WRITTEN '.length));
        }),
      );
      profiles = files.map((f) => summarizeProfile(f, 25));
    }
    await sleepUntil(stopAt + p.drainS * 1000);

    const reports = (await pool.request(() => ({ type: 'report' }), 'report', 60_000)).map((m) => m.report);
    const deliveries = tallyDeliveries(specs, reports, measureFrom);
    const workers = reports.map((r) => ({ cpuPct: (100 * r.cpuMs) / (p.durationS * 1000), eventLoopDelayP99Ms: r.eventLoopDelayP99Ms, eventLoopDelayMaxMs: r.eventLoopDelayMaxMs }));
    const replicas = target.procs.map((s, i) => ({ name: s.name, pid: s.pid, cpuPct: (100 * (cpu1[i]! - cpu0[i]!)) / measuredMs, rssMiB: rss[i]!, clients: specs.filter((c) => c.replica === i).length }));
    const serverCpuPct = replicas.reduce((n, r) => n + r.cpuPct, 0);
    const backing = backingCpu
      ? {
          dbName: target.backing!.dbName,
          redisPrefix: target.backing!.redisPrefix,
          postgresCpuPct: (100 * backingCpu.postgresMs) / measuredMs,
          postgresBackends: backingCpu.postgresBackends,
          redisCpuPct: (100 * backingCpu.redisMs) / measuredMs,
        }
      : null;
    const backingPct = backing ? (Number.isFinite(backing.postgresCpuPct) ? backing.postgresCpuPct : 0) + (Number.isFinite(backing.redisCpuPct) ? backing.redisCpuPct : 0) : 0;
    const machineBusyPct = (100 * (sys1.busyMs - sys0.busyMs)) / measuredMs;
    const log = target.procs.flatMap((s) => s.log.map((l) => (target.procs.length > 1 ? `[${s.name}] ${l}` : l)));
    return {
      round,
      target: name,
      label: target.label,
      short: target.short,
      clients: specs.length,
      setupMs,
      measuredMs,
      deliveries,
      deliveriesPerSec: deliveries.received / p.durationS,
      editsPerSec: deliveries.sentMeasured / p.durationS,
      serverCpuPct,
      serverRssMiB: rss.reduce((n, r) => n + r, 0),
      replicas,
      backing,
      workers,
      machine: {
        cores: availableParallelism(),
        busyPct: machineBusyPct,
        otherPct: machineBusyPct - serverCpuPct - backingPct - workers.reduce((n, w) => n + w.cpuPct, 0),
        stealPct: (100 * (sys1.stealMs - sys0.stealMs)) / measuredMs,
      },
      profiles,
      serverLogLines: log.length,
      serverLogTail: log.slice(-20),
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
  const perTargetS = 45 + 30 * p.replicas + p.setupTimeoutS + 30 + 0.5 + p.warmupS + p.durationS + p.drainS + 60 + 20;
  setTimeout(() => {
    console.error(`fanout: still running after ${perTargetS * p.targets.length * p.rounds} s; killing everything`);
    killAllNow();
    process.exit(2);
  }, perTargetS * p.targets.length * p.rounds * 1000).unref();

  printHeader(p);
  const profileRoot = p.cpuProf && p.targets.includes('ours') ? join(repoRoot, 'bench', 'results', `fanout-prof-${startedAt.toISOString().replace(/[:.]/g, '-')}`) : null;
  if (profileRoot) console.log(`CPU profiles of ours during the measured window (sampling the main thread every 250 µs; adds overhead): ${profileRoot}`);
  const results: TargetResult[] = [];
  for (let round = 1; round <= p.rounds; round++) {
    // Alternate the order (A B, B A, ...) so neither target always runs on a warmer/quieter machine.
    const order = round % 2 === 1 ? p.targets : [...p.targets].reverse();
    for (const t of order) {
      const r = await runTarget(t, round, p, profileRoot);
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
