/** Output: the per-target text block, the ours/reference p99 ratio, a markdown table, the JSON file. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Deliveries } from './measure.ts';
import type { TargetName } from './servers.ts';
import { repoRoot } from './servers.ts';

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
}

export interface TargetResult {
  round: number;
  target: TargetName;
  label: string;
  clients: number;
  setupMs: number;
  measuredMs: number;
  deliveries: Deliveries;
  deliveriesPerSec: number;
  editsPerSec: number;
  serverCpuPct: number;
  serverRssMiB: number;
  workers: { cpuPct: number; eventLoopDelayP99Ms: number; eventLoopDelayMaxMs: number }[];
  /** Whole machine during the window, in % of one core: busy overall, of which not server/workers. */
  machine: { cores: number; busyPct: number; otherPct: number; stealPct: number };
  serverLogLines: number;
  serverLogTail: string[];
}

const f = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

export function printHeader(p: Params) {
  console.log(
    `fanout: ${p.boards} boards × ${p.clients} clients (${p.boards * p.clients} y-websocket clients), ${p.rate} edits/s per client, ` +
      `${p.durationS} s measured after ${p.warmupS} s warm-up, ${p.drainS} s drain, ${p.workers} load worker processes`,
  );
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
  console.log(`  latency ms: p50 ${f(d.latency.p50)}  p95 ${f(d.latency.p95)}  p99 ${f(d.latency.p99)}  max ${f(d.latency.max)}  (mean ${f(d.latency.mean)}, n=${d.latency.count})`);
  console.log(`  server: CPU ${f(r.serverCpuPct, 1)}% of one core over ${f(r.measuredMs / 1000, 1)} s; RSS ${f(r.serverRssMiB, 0)} MiB`);
  console.log(
    `  load workers: CPU ${r.workers.map((w) => `${f(w.cpuPct, 0)}%`).join(' / ')} of one core; event-loop delay p99 ${r.workers.map((w) => f(w.eventLoopDelayP99Ms, 1)).join(' / ')} ms, max ${r.workers.map((w) => f(w.eventLoopDelayMaxMs, 1)).join(' / ')} ms`,
  );
  console.log(
    `  machine (${r.machine.cores} cores): ${f(r.machine.busyPct, 0)}% of one core busy in all, of which ${f(r.machine.otherPct, 0)}% by other processes (not server/workers); steal ${f(r.machine.stealPct, 1)}%`,
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
  console.log(`\n### Fan-out: ${p.boards} boards × ${p.clients} clients, ${p.rate} edits/s each, ${p.durationS} s, ${p.workers} workers\n`);
  console.log('| target | round | p50 ms | p95 ms | p99 ms | max ms | deliveries/s | expected | received | loss | server CPU (% of a core) | other load (% of a core) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    const d = r.deliveries;
    console.log(
      `| ${r.target} | ${r.round} | ${f(d.latency.p50)} | ${f(d.latency.p95)} | ${f(d.latency.p99)} | ${f(d.latency.max)} | ${f(r.deliveriesPerSec, 1)} | ${d.expected} | ${d.received} | ${d.loss} | ${f(r.serverCpuPct, 1)} | ${f(r.machine.otherPct, 0)} |`,
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
    platform: `${process.platform} ${process.arch}`,
    params: p,
    oursP99OverReferenceP99: headlineRatio(p99Ratios(results)),
    oursP99OverReferenceP99PerRound: p99Ratios(results),
    results,
  };
  writeFileSync(file, JSON.stringify(body, null, 2) + '\n');
  return file;
}
