/**
 * Load worker (a forked process). Runs a share of the clients: each is a stock y-websocket v3
 * WebsocketProvider with its own Y.Doc (BroadcastChannel off, so everything goes through the server).
 * Each client connects to the server process its spec names (one of several replicas, possibly).
 * On 'setup' it connects them, waits until each is synced and sees every card of its board; on
 * 'start' each client edits at `rate`/s with a random phase; every client records the arrival of
 * other clients' measured edits. On 'report' it sends everything back; on 'stop' it exits.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { applyEdit, cardCount, createOwnCard, observeRemoteInserts, parseEdits } from './edits.ts';
import { now, type ClientSpec, type FromWorker, type ToWorker, type WorkerReport } from './protocol.ts';

interface Client {
  spec: ClientSpec;
  doc: Y.Doc;
  provider: WebsocketProvider;
  notes: string;
  seq: number;
  sentMeasured: number[];
  sentMeasuredAt: number[];
  sentWarmup: number;
  /** sender gid → distinct measured seqs received */
  received: Map<number, Set<number>>;
}

const clients: Client[] = [];
const latencies: number[] = [];
const crossLatencies: number[] = [];
let replicaOf: number[] = [];
const bySecond: number[][] = [];
let measureFrom = Infinity;
const sendLagMs: number[] = [];
const timers = new Set<NodeJS.Timeout>();
let duplicates = 0;
let unparsable = 0;
let ready = false;
let disconnects = 0;
let connectionErrors = 0;
let windowCpu: { start?: NodeJS.CpuUsage; end?: NodeJS.CpuUsage } = {};
const LOOP_TICK_MS = 5;
// Samples every LOOP_TICK_MS; a sample is the time between ticks, so the tick is subtracted below.
const loopDelay = monitorEventLoopDelay({ resolution: LOOP_TICK_MS });

// y-websocket adds a process 'exit' listener per provider.
process.setMaxListeners(0);

const send = (msg: FromWorker) => process.send!(msg);

/** A ws class that sends the session cookie on the upgrade request (y-websocket's WebSocketPolyfill). */
function cookieWebSocket(cookie: string | null) {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: cookie ? { cookie } : {}, perMessageDeflate: false });
    }
  };
}

function connect(spec: ClientSpec): Client {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(spec.wsUrl, spec.room, doc, {
    WebSocketPolyfill: cookieWebSocket(spec.cookie) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  // As real clients do (ours sets the user; every app announces someone): a state set before the
  // socket opens goes out with it. Without one, the provider's initial state (clock 0) is ignored by
  // everyone, and all clients would appear at once at their first renewal, 15 s in.
  provider.awareness.setLocalStateField('user', { name: `client ${spec.gid}` });
  const client: Client = { spec, doc, provider, notes: '', seq: 0, sentMeasured: [], sentMeasuredAt: [], sentWarmup: 0, received: new Map() };
  provider.on('connection-close', () => {
    if (ready) disconnects++;
  });
  provider.on('connection-error', () => {
    if (ready) connectionErrors++;
  });
  provider.once('sync', () => createOwnCard(doc, spec.gid, spec.userId));
  observeRemoteInserts(doc, (text) => {
    const arrivedAt = now();
    for (const e of parseEdits(text)) {
      if (!e) {
        unparsable++;
        continue;
      }
      if (e.phase !== 'm' || e.sender === spec.gid) continue;
      let seqs = client.received.get(e.sender);
      if (!seqs) client.received.set(e.sender, (seqs = new Set()));
      if (seqs.has(e.seq)) {
        duplicates++;
        continue;
      }
      seqs.add(e.seq);
      const latency = arrivedAt - e.sentAt;
      (replicaOf[e.sender] === spec.replica ? latencies : crossLatencies).push(latency);
      const second = Math.max(0, Math.floor((e.sentAt - measureFrom) / 1000));
      (bySecond[second] ??= []).push(latency);
    }
  });
  return client;
}

async function setup(msg: Extract<ToWorker, { type: 'setup' }>) {
  const started = now();
  replicaOf = msg.replicaOf;
  for (const spec of msg.clients) clients.push(connect(spec));
  const deadline = started + msg.setupTimeoutMs;
  while (!clients.every((c) => c.provider.synced && cardCount(c.doc) >= msg.clientsPerBoard)) {
    if (now() > deadline) {
      const synced = clients.filter((c) => c.provider.synced).length;
      const complete = clients.filter((c) => cardCount(c.doc) >= msg.clientsPerBoard).length;
      throw new Error(`setup timed out: ${synced}/${clients.length} synced, ${complete}/${clients.length} see all ${msg.clientsPerBoard} cards`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  ready = true;
  send({ type: 'ready', clients: clients.length, setupMs: now() - started });
}

function at(time: number, fn: () => void) {
  const t = setTimeout(() => {
    timers.delete(t);
    fn();
  }, Math.max(0, time - now()));
  timers.add(t);
}

function start(msg: Extract<ToWorker, { type: 'start' }>) {
  const interval = 1000 / msg.rate;
  measureFrom = msg.t0 + msg.warmupMs;
  const stopAt = measureFrom + msg.durationMs;
  at(measureFrom, () => {
    windowCpu.start = process.cpuUsage();
    loopDelay.enable();
  });
  at(stopAt, () => {
    windowCpu.end = process.cpuUsage(windowCpu.start);
    loopDelay.disable();
  });
  for (const c of clients) {
    // Random phase so the clients' edits are spread over each interval instead of bursting.
    const first = msg.t0 + Math.random() * interval;
    const editAt = (scheduled: number) => {
      if (scheduled >= stopAt) return;
      at(scheduled, () => {
        const phase = scheduled >= measureFrom ? 'm' : 'w';
        const seq = ++c.seq;
        const sentAt = now();
        c.notes = applyEdit(c.doc, c.spec.gid, c.notes, { phase, sender: c.spec.gid, seq, sentAt });
        if (phase === 'm') {
          c.sentMeasured.push(seq);
          c.sentMeasuredAt.push(sentAt);
          sendLagMs.push(sentAt - scheduled);
        } else c.sentWarmup++;
        editAt(scheduled + interval);
      });
    };
    editAt(first);
  }
}

function report(): WorkerReport {
  const cpu = windowCpu.end ?? process.cpuUsage(windowCpu.start);
  return {
    sent: clients.map((c) => ({ gid: c.spec.gid, board: c.spec.board, measured: c.sentMeasured, measuredAt: c.sentMeasuredAt, warmup: c.sentWarmup })),
    received: clients.map((c) => ({
      gid: c.spec.gid,
      board: c.spec.board,
      from: Object.fromEntries([...c.received].map(([sender, seqs]) => [sender, [...seqs]])),
    })),
    latencies,
    crossLatencies,
    bySecond: Array.from(bySecond, (b) => b ?? []),
    duplicates,
    unparsable,
    sendLagMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    eventLoopDelayP99Ms: loopDelay.count > 0 ? Math.max(0, loopDelay.percentile(99) / 1e6 - LOOP_TICK_MS) : NaN,
    eventLoopDelayMaxMs: loopDelay.count > 0 ? Math.max(0, loopDelay.max / 1e6 - LOOP_TICK_MS) : NaN,
    disconnects,
    connectionErrors,
  };
}

function shutdown(code: number) {
  ready = false;
  for (const t of timers) clearTimeout(t);
  for (const c of clients) {
    c.provider.destroy();
    c.doc.destroy();
  }
  // Let the close frames go out, then leave.
  setTimeout(() => process.exit(code), 100);
}

process.on('message', (msg: ToWorker) => {
  try {
    if (msg.type === 'setup') setup(msg).catch((err) => send({ type: 'error', message: String(err?.message ?? err) }));
    else if (msg.type === 'start') start(msg);
    else if (msg.type === 'report') send({ type: 'report', report: report() });
    else if (msg.type === 'stop') shutdown(0);
  } catch (err) {
    send({ type: 'error', message: String((err as Error)?.message ?? err) });
  }
});
// The orchestrator is gone (crash, kill): do not linger.
process.on('disconnect', () => shutdown(1));
