/**
 * Load worker (a forked process): fires its share of a round's claims over a keep-alive HTTP pool,
 * at most `concurrency` in flight, all at once (burst) or paced at the round's rate, and sends back
 * one result per claim plus the CPU time it used. Several workers keep the client from being the
 * bottleneck.
 */
import type { Agent } from 'node:http';
import { httpJson, keepAliveAgent } from './http.ts';
import { now, type ClaimJob, type ClaimResult, type FromWorker, type ToWorker } from './protocol.ts';

let agent: Agent;
let baseUrl = '';
let boardId = '';
let concurrency = 1;
let timeoutMs = 15_000;
const rounds = new Map<number, ClaimJob[]>();
const send = (m: FromWorker) => process.send!(m);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

async function claim(job: ClaimJob): Promise<ClaimResult> {
  const start = now();
  const base = { seq: job.seq, driverIndex: job.driverIndex, cardId: job.cardId, intentId: job.intentId, start };
  try {
    const res = await httpJson(agent, baseUrl, 'POST', `/api/boards/${boardId}/cards/${job.cardId}/transitions`, {
      cookie: job.cookie,
      body: { action: 'claim', intentId: job.intentId },
      timeoutMs,
    });
    const b = res.body && typeof res.body === 'object' ? res.body : {};
    return {
      ...base,
      status: res.status,
      code: b.error?.code ?? null,
      bookingDriverId: b.booking?.driverId ?? null,
      bookingStatus: b.booking?.status ?? null,
      end: now(),
    };
  } catch (err) {
    return { ...base, status: 0, code: (err as Error).message, bookingDriverId: null, bookingStatus: null, end: now() };
  }
}

async function runRound(round: number, startAt: number, rate: number) {
  const jobs = rounds.get(round) ?? [];
  rounds.delete(round);
  const results: ClaimResult[] = [];
  const cpu0 = process.cpuUsage();
  await sleep(startAt - now());
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      if (rate > 0) await sleep(startAt + (job.seq * 1000) / rate - now());
      results.push(await claim(job));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, lane));
  const cpu = process.cpuUsage(cpu0);
  send({ type: 'done', round, results, cpuMs: (cpu.user + cpu.system) / 1000 });
}

process.on('message', (msg: ToWorker) => {
  switch (msg.type) {
    case 'init':
      baseUrl = msg.baseUrl;
      boardId = msg.boardId;
      concurrency = msg.concurrency;
      timeoutMs = msg.timeoutMs;
      agent = keepAliveAgent(msg.maxSockets);
      break;
    case 'round':
      rounds.set(msg.round, msg.jobs);
      send({ type: 'ready', round: msg.round });
      break;
    case 'go':
      void runRound(msg.round, msg.startAt, msg.rate);
      break;
    case 'stop':
      agent?.destroy();
      process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
