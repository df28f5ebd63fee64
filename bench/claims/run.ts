/**
 * Claims benchmark: N drivers race to claim M cards over HTTP against a real server on SQLite.
 *
 *   node --import tsx bench/claims/run.ts [--drivers 500 --cards 100 --concurrency 500 --rounds 5]
 *
 * Starts the server as a child process (bench/claims/serverEntry.ts: server/src/server.ts with the
 * sign-in rate limits raised), sets up a board, drivers and cards (not measured), then runs warm-up +
 * measured rounds, each on a fresh set of M cards: every driver sends one claim (unique intentId),
 * all at once up to the concurrency cap (or paced with --rate), from W load-worker processes.
 * Prints decided claims/s, latency percentiles, status counts, CPU, and the winner/audit checks;
 * writes JSON to bench/results/claims-<timestamp>.json. Exit code 1 if a correctness check fails.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOptions, type Options } from './args.ts';
import { readAudit } from './audit.ts';
import { createCards } from './cards.ts';
import { keepAliveAgent } from './http.ts';
import { printProfile, summarizeProfile, type ProfileSummary } from './profile.ts';
import { now, type ClaimJob, type ClaimResult } from './protocol.ts';
import { aggregate, printAggregate, printRounds, summarizeRound, type RoundSummary } from './report.ts';
import { machineBusyMs, procCpuMs, repoRoot, startServerProc, type ServerProc } from './serverProc.ts';
import { addDrivers, createBoard, register, type Account } from './setup.ts';
import { prng, shuffle } from './stats.ts';
import { checkAudit, checkRound, type Winner } from './verify.ts';
import { WorkerPool } from './workers.ts';

const opts = parseOptions(process.argv.slice(2));
const cores = cpus().length;
let server: ServerProc | null = null;
let pool: WorkerPool | null = null;
let profileDir: string | null = null;

function abort(reason: string, code: number): never {
  console.error(`\nABORTED: ${reason}`);
  pool?.killNow();
  server?.killNow();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  process.exit(code);
}
const deadline = setTimeout(() => abort(`overall time limit of ${opts.timeoutS} s reached`, 2), opts.timeoutS * 1000);
deadline.unref();
process.once('SIGINT', () => abort('interrupted', 130));
process.once('SIGTERM', () => abort('terminated', 143));

/** One round's claims: every driver once; send order shuffled; cards spread evenly or random. */
function buildJobs(drivers: Account[], cards: string[], round: number, opts: Options): ClaimJob[] {
  const rand = prng(opts.seed * 1000 + round);
  const cardOrder = shuffle(cards, rand);
  const order = shuffle(drivers.map((_, i) => i), rand);
  return order.map((driverIndex, seq) => ({
    seq,
    driverIndex,
    driverId: drivers[driverIndex]!.id,
    cookie: drivers[driverIndex]!.cookie,
    cardId: opts.pick === 'spread' ? cardOrder[driverIndex % cards.length]! : cards[Math.floor(rand() * cards.length)]!,
    intentId: `r${round}-d${driverIndex}-${Math.floor(rand() * 2 ** 32).toString(36)}`,
  }));
}

async function main() {
  const t0 = Date.now();
  const mode = opts.rate > 0 ? `paced at ${opts.rate} claims/s` : 'burst (all at once)';
  console.log(`Claims bench: ${opts.drivers} drivers × ${opts.cards} cards per round, concurrency ${opts.concurrency}, ${mode}, pick=${opts.pick}`);
  console.log(`  ${opts.warmup} warm-up + ${opts.rounds} measured rounds, ${opts.workers} load worker(s); ${cores} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}, load avg ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  if (opts.cpuProf) profileDir = mkdtempSync(join(tmpdir(), 'dboard-claims-prof-'));
  server = await startServerProc({ profileDir: profileDir ?? undefined });
  console.log(`  server pid ${server.pid} at ${server.url} (bench/claims/serverEntry.ts, SQLite in ${server.dataDir})`);

  // ---- setup (not measured)
  const agent = keepAliveAgent(16);
  const setupStart = Date.now();
  const coordinator = await register(agent, server.url, 'Bench Coordinator', Date.now().toString(36));
  const boardId = await createBoard(agent, server.url, coordinator, 'Claims bench');
  const drivers = await addDrivers(agent, server.url, coordinator, boardId, opts.drivers, opts.registerParallel);
  const driversMs = Date.now() - setupStart;
  const totalRounds = opts.warmup + opts.rounds;
  const cardsStart = Date.now();
  const cardBatches = await createCards(agent, server.url, coordinator, boardId, totalRounds, opts.cards);
  const cardsMs = Date.now() - cardsStart;
  console.log(`  setup: ${opts.drivers} drivers registered + joined in ${(driversMs / 1000).toFixed(1)} s; ${totalRounds * opts.cards} cards created and seen by the server in ${(cardsMs / 1000).toFixed(1)} s`);

  pool = new WorkerPool(opts.workers);
  pool.init(server.url, boardId, opts.concurrency, opts.requestTimeoutMs);

  // ---- rounds
  const summaries: RoundSummary[] = [];
  const winners = new Map<string, Winner>();
  const measuredResults: ClaimResult[] = [];
  const driverIds = drivers.map((d) => d.id);
  const roundTimeout = opts.requestTimeoutMs + 30_000 + (opts.rate > 0 ? (opts.drivers * 1000) / opts.rate : 0);
  for (let r = 0; r < totalRounds; r++) {
    const measured = r >= opts.warmup;
    if (opts.cpuProf && r === opts.warmup) {
      const started = server.nextLine('PROFILE_STARTED', 10_000);
      process.kill(server.pid, 'SIGUSR2');
      await started;
    }
    const jobs = buildJobs(drivers, cardBatches[r]!, r, opts);
    const cpu0 = procCpuMs(server.pid);
    const busy0 = machineBusyMs();
    const tBusy0 = now();
    const out = await pool.round(r, jobs, opts.rate, roundTimeout);
    const tEnd = now();
    const cpu = {
      wallMs: tEnd - out.startAt,
      serverCpuMs: procCpuMs(server.pid) - cpu0,
      clientCpuMs: out.clientCpuMs,
      machineBusyMs: machineBusyMs() - busy0,
      machineWallMs: tEnd - tBusy0,
    };
    const check = checkRound(out.results, driverIds);
    for (const [card, w] of check.winners) winners.set(card, w);
    summaries.push(summarizeRound(measured ? String(r - opts.warmup + 1) : `warm-up ${r + 1}`, measured, out.results, check, cpu, cores));
    if (measured) measuredResults.push(...out.results);
    await new Promise((res) => setTimeout(res, 100)); // let the server settle between rounds
  }
  let profile: ProfileSummary | null = null;
  if (opts.cpuProf) {
    const written = server.nextLine('PROFILE_WRITTEN ', 30_000);
    process.kill(server.pid, 'SIGUSR2');
    profile = summarizeProfile((await written).slice('PROFILE_WRITTEN '.length), 25);
  }

  // ---- audit check (all rounds, warm-up included)
  const audit = checkAudit(await readAudit(agent, server.url, coordinator.cookie, boardId), winners);
  agent.destroy();

  const measured = summaries.filter((s) => s.measured);
  const agg = aggregate(measured, measuredResults, cores);
  console.log('\nPer round (each on a fresh set of cards):');
  printRounds(summaries);
  printAggregate(agg, audit);

  const doubleBookings = agg.doubleWins + audit.doubleRows + summaries.filter((s) => !s.measured).reduce((a, s) => a + s.check.doubleWins, 0);
  const correct =
    doubleBookings === 0 &&
    summaries.every((s) => s.check.bad409 + s.check.wrong200 + s.check.noWinner === 0 && s.sent === (s.statusCounts['200'] ?? 0) + (s.statusCounts['409'] ?? 0)) &&
    audit.matched === audit.winnersExpected &&
    audit.mismatched + audit.missing === 0;
  const targets = {
    decidedPerSec: { target: 2000, actual: agg.decidedPerSec, met: agg.decidedPerSec >= 2000 },
    p99Ms: { target: 50, actual: agg.latencyMs.p99, met: agg.latencyMs.p99 < 50 },
    doubleBookings: { target: 0, actual: doubleBookings, met: doubleBookings === 0 },
  };
  console.log('\nTargets (SQLite, this machine):');
  console.log(`  ≥ 2000 decided claims/s : ${targets.decidedPerSec.met ? 'MET' : 'MISSED'} (${agg.decidedPerSec.toFixed(0)})`);
  console.log(`  p99 < 50 ms             : ${targets.p99Ms.met ? 'MET' : 'MISSED'} (${agg.latencyMs.p99.toFixed(1)} ms)`);
  console.log(`  zero double bookings    : ${targets.doubleBookings.met ? 'MET' : 'MISSED'} (${doubleBookings})`);
  console.log(`  all checks              : ${correct ? 'PASS' : 'FAIL'}`);
  if (profile) printProfile(profile);

  const warnings = server.log.filter((l) => !l.startsWith('READY') && !l.startsWith('PROFILE_'));
  if (warnings.length) console.log(`\nServer output (${warnings.length} lines, last 10):\n${warnings.slice(-10).join('\n')}`);

  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const outFile = opts.out ?? join(repoRoot, 'bench', 'results', `claims-${stamp}.json`);
  mkdirSync(join(outFile, '..'), { recursive: true });
  writeFileSync(
    outFile,
    JSON.stringify(
      {
        bench: 'claims',
        at: new Date().toISOString(),
        options: opts,
        machine: { cores, cpu: cpus()[0]?.model, node: process.version, loadavg: loadavg() },
        server: { entry: 'bench/claims/serverEntry.ts', db: 'sqlite', limitsRaised: true },
        setup: { driversMs, cardsMs },
        rounds: summaries,
        aggregate: agg,
        audit,
        targets,
        correct,
        profile,
        serverOutput: warnings.slice(-50),
        totalMs: Date.now() - t0,
      },
      null,
      2,
    ),
  );
  console.log(`\nResults written to ${outFile.replace(repoRoot, '')} (total ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return correct;
}

main().then(
  async (correct) => {
    await pool?.stop();
    await server?.stop();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
    process.exit(correct ? 0 : 1);
  },
  (err) => abort(err instanceof Error ? (err.stack ?? err.message) : String(err), 2),
);
