/** Output: the per-target text block, the ours/reference p99 ratio, a markdown table, the JSON file. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Deliveries } from './measure.ts';
import { loadavg } from 'node:os';
import { execFileSync } from 'node:child_process';
import type { DbKind, TargetName } from './servers.ts';
import { repoRoot } from './servers.ts';
import type { ProfileSummary } from '../claims/profile.ts';

export interface Params {
  boards: number;
  clients: number;
  rate: number;
  durationS: number;
  warmupS: number;
  drainS: number;
  workers: number;
  targets: TargetName[];
  /** Each round runs every target; odd rounds in `targets` order, even rounds reversed. */
  rounds: number;
  /** Server processes of ours (the reference is always one). */
  replicas: number;
  /** With several replicas: every board's clients over all replicas, or each board on one. */
  spread: 'clients' | 'boards';
  db: DbKind;
  /** Ours relays through Redis (always with several replicas). */
  redis: boolean;
  cpuProf: boolean;
}

export interface TargetResult {
  round: number;
  target: TargetName;
  label: string;
  /** Short name for tables (e.g. `ours 2× pg+redis`). */
  short: string;
  clients: number;
  setupMs: number;
  measuredMs: number;
  deliveries: Deliveries;
  deliveriesPerSec: number;
  editsPerSec: number;
  /** Sum over the server processes (% of one core). */
  serverCpuPct: number;
  /** Sum over the server processes. */
  serverRssMiB: number;
  replicas: { name: string; pid: number; cpuPct: number; rssMiB: number; clients: number }[];
  /** Ours on Postgres: the database's and Redis' CPU during the window (NaN when unreadable). */
  backing: { dbName: string; redisPrefix: string | null; postgresCpuPct: number; postgresBackends: number; redisCpuPct: number } | null;
  workers: { cpuPct: number; eventLoopDelayP99Ms: number; eventLoopDelayMaxMs: number }[];
  /** Whole machine during the window, in % of one core: busy overall, of which not server/Postgres/Redis/workers. */
  machine: { cores: number; busyPct: number; otherPct: number; stealPct: number };
  /** With --cpu-prof: one per replica of ours. */
  profiles: ProfileSummary[];
  serverLogLines: number;
  serverLogTail: string[];
}

const f = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** The commit the servers run, and whether server/ or schema/ have uncommitted changes (others edit concurrently). */
export function codeVersion(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = git('status', '--porcelain', '--', 'server', 'schema') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' + uncommitted changes in server/ or schema/' : ''}`;
  } catch {
    return 'unknown (not a git checkout?)';
  }
}

export function printHeader(p: Params) {
  console.log(
    `fanout: ${p.boards} boards × ${p.clients} clients (${p.boards * p.clients} y-websocket clients), ${p.rate} edits/s per client, ` +
      `${p.durationS} s measured after ${p.warmupS} s warm-up, ${p.drainS} s drain, ${p.workers} load worker processes`,
  );
  const storage = p.db === 'sqlite' ? 'SQLite' : p.redis ? 'Postgres (fresh database) + Redis relay (unique prefix)' : 'Postgres (fresh database)';
  console.log(
    p.replicas === 1
      ? `ours: 1 process, ${storage}`
      : `ours: ${p.replicas} replicas, ${storage}; ${p.spread === 'boards' ? `board b's clients all on replica (b mod ${p.replicas})` : `client i of every board on replica (i mod ${p.replicas})`}; setup requests to replica 1`,
  );
  console.log(`code: ${codeVersion()}; load average before the run: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const reversed = [...p.targets].reverse().join(', ');
  console.log(
    p.rounds === 1 || p.targets.length === 1
      ? `targets, in this order: ${p.targets.join(', ')}`
      : `${p.rounds} rounds, alternating order: odd rounds ${p.targets.join(', ')}; even rounds ${reversed}`,
  );
}

export function printTarget(p: Params, r: TargetResult) {
  const d = r.deliveries;
  const lossPct = d.expected ? (100 * d.loss) / d.expected : 0;
  console.log(`\n== ${r.label}${r.round > 1 || p.rounds > 1 ? `, round ${r.round}` : ''} ==`);
  console.log(`  setup: ${r.clients} clients connected, synced and seeing all cards in ${f(r.setupMs / 1000, 1)} s`);
  console.log(`  edits sent: ${d.sentMeasured} measured (${f(r.editsPerSec, 1)}/s) + ${d.sentWarmup} warm-up; send lag p99 ${f(d.sendLag.p99)} ms, max ${f(d.sendLag.max)} ms`);
  console.log(`  deliveries: expected ${d.expected}, received ${d.received}, loss ${d.loss} (${f(lossPct, 3)}%), duplicates ${d.duplicates}, unparsable ${d.unparsable}`);
  console.log(`  deliveries/s: ${f(r.deliveriesPerSec, 1)}`);
  const lat = (s: typeof d.latency) => `p50 ${f(s.p50)}  p95 ${f(s.p95)}  p99 ${f(s.p99)}  max ${f(s.max)}  (mean ${f(s.mean)}, n=${s.count})`;
  console.log(`  latency ms: ${lat(d.latency)}`);
  if (r.replicas.length > 1) {
    console.log(`    same replica:    ${lat(d.latencySameReplica)}`);
    console.log(`    across replicas: ${lat(d.latencyCrossReplica)}`);
  }
  if (d.bySecond.length > 1) {
    console.log(`  p99 ms of the edits sent in each second of the window: ${d.bySecond.map((b) => f(b.p99, 1)).join(' ')}`);
  }
  if (r.replicas.length === 1) {
    console.log(`  server: CPU ${f(r.serverCpuPct, 1)}% of one core over ${f(r.measuredMs / 1000, 1)} s; RSS ${f(r.serverRssMiB, 0)} MiB`);
  } else {
    console.log(
      `  servers: CPU ${f(r.serverCpuPct, 1)}% of one core in all over ${f(r.measuredMs / 1000, 1)} s (` +
        r.replicas.map((x) => `${x.name}: ${f(x.cpuPct, 1)}%, ${x.clients} clients, RSS ${f(x.rssMiB, 0)} MiB`).join('; ') +
        ')',
    );
  }
  if (r.backing) {
    console.log(
      `  Postgres: CPU ${f(r.backing.postgresCpuPct, 1)}% of one core (${r.backing.postgresBackends} backends of ${r.backing.dbName} + background processes)` +
        (r.backing.redisPrefix ? `; Redis: CPU ${f(r.backing.redisCpuPct, 1)}% (whole redis-server; prefix ${r.backing.redisPrefix})` : ''),
    );
  }
  console.log(
    `  load workers: CPU ${r.workers.map((w) => `${f(w.cpuPct, 0)}%`).join(' / ')} of one core; event-loop delay p99 ${r.workers.map((w) => f(w.eventLoopDelayP99Ms, 1)).join(' / ')} ms, max ${r.workers.map((w) => f(w.eventLoopDelayMaxMs, 1)).join(' / ')} ms`,
  );
  console.log(
    `  machine (${r.machine.cores} cores): ${f(r.machine.busyPct, 0)}% of one core busy in all, of which ${f(r.machine.otherPct, 0)}% by other processes (not server${r.backing ? '/Postgres/Redis' : ''}/workers); steal ${f(r.machine.stealPct, 1)}%`,
  );
  console.log(`  websocket closes during the run: ${d.disconnects}, connection errors: ${d.connectionErrors}`);
  if (r.machine.otherPct > 25) {
    console.log(`  WARNING: other processes used ${f(r.machine.otherPct, 0)}% of a core during the window; tail latencies are not reliable`);
  }
  if (d.loss > 0) {
    const receivers = Object.keys(d.missingByReceiver).length;
    console.log(`  missing deliveries at ${receivers} receiving clients; examples (receiver ← sender#seq, sent at t+s):`);
    console.log('    ' + d.missingExamples.slice(0, 10).map((m) => `${m.receiver} ← ${m.sender}#${m.seq} @${f(m.sentAtS, 2)}s`).join(', '));
  }
  for (const [i, prof] of r.profiles.entries()) printProfile(r.replicas[i]?.name ?? `replica ${i + 1}`, prof);
  if (r.serverLogLines > 0) {
    console.log(`  server log: ${r.serverLogLines} lines; last ones:`);
    for (const line of r.serverLogTail.slice(-5)) console.log(`    ${line.slice(0, 300)}`);
  }
}

/** ours p99 / reference p99 of each round that ran both. */
export function p99Ratios(results: TargetResult[]): number[] {
  const out: number[] = [];
  for (const round of new Set(results.map((r) => r.round))) {
    const ours = results.find((r) => r.round === round && r.target === 'ours');
    const ref = results.find((r) => r.round === round && r.target === 'reference');
    if (ours && ref) out.push(ours.deliveries.latency.p99 / ref.deliveries.latency.p99);
  }
  return out;
}

/** The ratio to quote: the only one, or the median over rounds. */
function headlineRatio(ratios: number[]): number | null {
  if (ratios.length === 0) return null;
  const s = [...ratios].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function printSummary(p: Params, results: TargetResult[]) {
  const ratios = p99Ratios(results);
  const ratio = headlineRatio(ratios);
  if (ratio !== null) {
    console.log(
      ratios.length === 1
        ? `\nours p99 / reference p99 = ${f(ratio)}×`
        : `\nours p99 / reference p99 per round: ${ratios.map((x) => `${f(x)}×`).join(', ')}; median ${f(ratio)}×`,
    );
  }
  const multi = p.replicas > 1;
  const ours = p.replicas === 1 ? (p.db === 'sqlite' ? 'ours: 1 process, SQLite' : `ours: 1 process, ${p.redis ? 'Postgres + Redis' : 'Postgres'}`) : `ours: ${p.replicas} replicas, Postgres + Redis`;
  console.log(`\n### Fan-out: ${p.boards} boards × ${p.clients} clients, ${p.rate} edits/s each, ${p.durationS} s, ${p.workers} workers; ${ours}\n`);
  console.log(
    `| target | round | p50 ms | p95 ms | p99 ms | max ms |${multi ? ' p99 across replicas ms |' : ''} deliveries/s | expected | received | loss | server CPU (% of a core) |` +
      `${p.db === 'postgres' ? ' Postgres + Redis CPU |' : ''} other load (% of a core) |`,
  );
  console.log(`|---|---:|---:|---:|---:|---:|${multi ? '---:|' : ''}---:|---:|---:|---:|---:|${p.db === 'postgres' ? '---:|' : ''}---:|`);
  for (const r of results) {
    const d = r.deliveries;
    const cpu = r.replicas.length > 1 ? `${f(r.serverCpuPct, 1)} (${r.replicas.map((x) => f(x.cpuPct, 1)).join(' + ')})` : f(r.serverCpuPct, 1);
    const backing = r.backing ? `${f(r.backing.postgresCpuPct, 1)} + ${r.backing.redisPrefix ? f(r.backing.redisCpuPct, 1) : '–'}` : '–';
    console.log(
      `| ${r.short} | ${r.round} | ${f(d.latency.p50)} | ${f(d.latency.p95)} | ${f(d.latency.p99)} | ${f(d.latency.max)} |${multi ? ` ${r.replicas.length > 1 ? f(d.latencyCrossReplica.p99) : '–'} |` : ''} ` +
        `${f(r.deliveriesPerSec, 1)} | ${d.expected} | ${d.received} | ${d.loss} | ${cpu} |${p.db === 'postgres' ? ` ${backing} |` : ''} ${f(r.machine.otherPct, 0)} |`,
    );
  }
  if (ratio !== null) console.log(`\nours p99 is ${f(ratio)}× the reference's${ratios.length > 1 ? ' (median over rounds)' : ''}.`);
}

export function writeJson(p: Params, results: TargetResult[], startedAt: Date): string {
  const dir = join(repoRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `fanout-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  const body = {
    benchmark: 'fanout',
    startedAt: startedAt.toISOString(),
    node: process.version,
    code: codeVersion(),
    loadAverageAtEnd: loadavg(),
    platform: `${process.platform} ${process.arch}`,
    params: p,
    oursP99OverReferenceP99: headlineRatio(p99Ratios(results)),
    oursP99OverReferenceP99PerRound: p99Ratios(results),
    results,
  };
  writeFileSync(file, JSON.stringify(body, null, 2) + '\n');
  return file;
}

function printProfile(name: string, s: ProfileSummary) {
  const pct = (v: number) => `${v.toFixed(1).padStart(5)}%`;
  console.log(`  CPU profile of ${name} over the measured window: ${s.file}`);
  console.log(`    ${s.durationMs.toFixed(0)} ms, ${s.samples} samples of the main thread, ${s.idlePct.toFixed(1)}% idle; below: % of busy samples`);
  console.log('    by area:');
  for (const a of s.byArea.filter((x) => x.pct >= 1)) console.log(`      ${pct(a.pct)}  ${a.area}`);
  console.log('    top self time:');
  for (const x of s.topSelf.slice(0, 15)) console.log(`      ${pct(x.pct)}  ${x.fn}`);
  console.log('    our code by inclusive time:');
  for (const x of s.oursInclusive.slice(0, 15)) console.log(`      ${pct(x.pct)}  ${x.fn}`);
}
