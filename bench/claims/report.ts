/**
 * Turns a round's raw results into figures (decided claims/s, latency percentiles, status counts,
 * CPU) and prints the per-round table, the aggregate over the measured rounds and the verdict.
 */
import type { ClaimResult } from './protocol.ts';
import { summarize, type LatencySummary } from './stats.ts';
import type { AuditCheck, RoundCheck } from './verify.ts';

export interface CpuWindow {
  /** Workers' start time → last result received. */
  wallMs: number;
  serverCpuMs: number;
  clientCpuMs: number;
  /** Machine-wide busy time over `machineWallMs` (read just before the round was dealt out). */
  machineBusyMs: number;
  machineWallMs: number;
}

export interface RoundSummary {
  round: string;
  measured: boolean;
  sent: number;
  statusCounts: Record<string, number>;
  decided: number;
  /** First request start → last response end (ms). */
  phaseMs: number;
  decidedPerSec: number;
  latencyMs: LatencySummary;
  cpu: CpuWindow & { serverPct: number; clientPct: number; machinePct: number; serverUsPerDecided: number };
  check: Omit<RoundCheck, 'winners' | 'driverIds'>;
}

const statusKey = (r: ClaimResult) => (r.status === 0 ? 'error' : String(r.status));

export function summarizeRound(round: string, measured: boolean, results: ClaimResult[], check: RoundCheck, cpu: CpuWindow, cores: number): RoundSummary {
  const statusCounts: Record<string, number> = {};
  for (const r of results) statusCounts[statusKey(r)] = (statusCounts[statusKey(r)] ?? 0) + 1;
  const decided = (statusCounts['200'] ?? 0) + (statusCounts['409'] ?? 0);
  const phaseMs = results.length ? Math.max(...results.map((r) => r.end)) - Math.min(...results.map((r) => r.start)) : 0;
  const { winners: _w, driverIds: _d, ...checkFigures } = check;
  return {
    round,
    measured,
    sent: results.length,
    statusCounts,
    decided,
    phaseMs,
    decidedPerSec: phaseMs > 0 ? (decided * 1000) / phaseMs : 0,
    latencyMs: summarize(results.map((r) => r.end - r.start)),
    cpu: {
      ...cpu,
      serverPct: (100 * cpu.serverCpuMs) / cpu.wallMs,
      clientPct: (100 * cpu.clientCpuMs) / cpu.wallMs,
      machinePct: (100 * cpu.machineBusyMs) / (cpu.machineWallMs * cores),
      serverUsPerDecided: decided ? (1000 * cpu.serverCpuMs) / decided : NaN,
    },
    check: checkFigures,
  };
}

export interface Aggregate {
  rounds: number;
  sent: number;
  decided: number;
  statusCounts: Record<string, number>;
  phaseMs: number;
  decidedPerSec: number;
  latencyMs: LatencySummary;
  serverCpuPct: number;
  clientCpuPct: number;
  machinePct: number;
  serverUsPerDecided: number;
  doubleWins: number;
  bad409: number;
  wrong200: number;
  noWinner: number;
}

export function aggregate(rounds: RoundSummary[], measuredResults: ClaimResult[], cores: number): Aggregate {
  const sum = (f: (r: RoundSummary) => number) => rounds.reduce((a, r) => a + f(r), 0);
  const statusCounts: Record<string, number> = {};
  for (const r of rounds) for (const [k, v] of Object.entries(r.statusCounts)) statusCounts[k] = (statusCounts[k] ?? 0) + v;
  const wall = sum((r) => r.cpu.wallMs);
  const decided = sum((r) => r.decided);
  return {
    rounds: rounds.length,
    sent: sum((r) => r.sent),
    decided,
    statusCounts,
    phaseMs: sum((r) => r.phaseMs),
    decidedPerSec: (decided * 1000) / sum((r) => r.phaseMs),
    latencyMs: summarize(measuredResults.map((r) => r.end - r.start)),
    serverCpuPct: (100 * sum((r) => r.cpu.serverCpuMs)) / wall,
    clientCpuPct: (100 * sum((r) => r.cpu.clientCpuMs)) / wall,
    machinePct: (100 * sum((r) => r.cpu.machineBusyMs)) / (sum((r) => r.cpu.machineWallMs) * cores),
    serverUsPerDecided: (1000 * sum((r) => r.cpu.serverCpuMs)) / decided,
    doubleWins: sum((r) => r.check.doubleWins),
    bad409: sum((r) => r.check.bad409),
    wrong200: sum((r) => r.check.wrong200),
    noWinner: sum((r) => r.check.noWinner),
  };
}

const f0 = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '-');
const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');
const counts = (c: Record<string, number>) => Object.entries(c).sort().map(([k, v]) => `${k}:${v}`).join(' ');

export function printRounds(rounds: RoundSummary[]) {
  const head = ['round', 'sent', 'statuses', 'phase ms', 'decided/s', 'p50', 'p95', 'p99', 'max', 'srv CPU', 'µs/claim', 'client CPU', 'machine', 'winners'];
  const rows = rounds.map((r) => [
    r.round,
    String(r.sent),
    counts(r.statusCounts),
    f1(r.phaseMs),
    f0(r.decidedPerSec),
    f1(r.latencyMs.p50),
    f1(r.latencyMs.p95),
    f1(r.latencyMs.p99),
    f1(r.latencyMs.max),
    `${f0(r.cpu.serverPct)}%`,
    f0(r.cpu.serverUsPerDecided),
    `${f0(r.cpu.clientPct)}%`,
    `${f0(r.cpu.machinePct)}%`,
    r.check.doubleWins + r.check.bad409 + r.check.wrong200 + r.check.noWinner === 0 ? `ok ${r.check.cardsWithOneWinner}/${r.check.cardsClaimed}` : `FAIL dbl=${r.check.doubleWins} bad409=${r.check.bad409} wrong200=${r.check.wrong200} none=${r.check.noWinner}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => (i <= 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  console.log('  (latencies in ms; srv CPU = server process utime+stime over the round wall time, 100% = one core; µs/claim = server CPU per decided claim)');
}

export function printAggregate(a: Aggregate, audit: AuditCheck) {
  console.log(`\nAggregate over ${a.rounds} measured rounds (${a.sent} claims):`);
  console.log(`  decided claims/s : ${f0(a.decidedPerSec)}  (${a.decided} decided in ${f1(a.phaseMs)} ms of measured phases)`);
  console.log(`  latency ms       : p50 ${f1(a.latencyMs.p50)}  p95 ${f1(a.latencyMs.p95)}  p99 ${f1(a.latencyMs.p99)}  max ${f1(a.latencyMs.max)}  mean ${f1(a.latencyMs.mean)}`);
  console.log(`  statuses         : ${counts(a.statusCounts)}`);
  console.log(`  server CPU       : ${f0(a.serverCpuPct)}% of one core  (${f0(a.serverUsPerDecided)} µs CPU per decided claim → ~${f0(1e6 / a.serverUsPerDecided)} claims/s per saturated core)`);
  console.log(`  client CPU       : ${f0(a.clientCpuPct)}% (all load workers)   machine busy: ${f0(a.machinePct)}% of all cores`);
  console.log(`  winner check     : double wins ${a.doubleWins}, 409s not naming the winner ${a.bad409}, 200s not naming the caller ${a.wrong200}, cards without a winner ${a.noWinner}`);
  console.log(
    `  audit check      : ${audit.claimRows} booking.claim rows for ${audit.winnersExpected} winners (all rounds incl. warm-up): matched ${audit.matched}, missing ${audit.missing}, mismatched ${audit.mismatched}, cards with >1 row ${audit.doubleRows}`,
  );
}
