/**
 * Messages between the orchestrator (run.ts) and the load workers (worker.ts), over the fork IPC
 * channel (structured clone). Also the shared clock: every process stamps with `now()`, wall-clock
 * milliseconds with sub-ms precision, comparable across processes on one machine.
 */
import { performance } from 'node:perf_hooks';

export const now = (): number => performance.timeOrigin + performance.now();

export interface ClientSpec {
  /** Global client id, unique over the whole run (embedded in every edit it makes). */
  gid: number;
  /** Board index 0..B-1. */
  board: number;
  /** y-websocket room name (board id for ours, board name for the reference). */
  room: string;
  /** Session cookie header value, or null when the target has no auth. */
  cookie: string | null;
  /** The member the cookie signs in (the creator of the client's card), or null without auth. */
  userId: string | null;
  /** Server process it connects to (0-based replica index; 0 for single-process targets). */
  replica: number;
  /** y-websocket base URL of that process (the room is appended). */
  wsUrl: string;
}

export type ToWorker =
  /** `replicaOf[gid]`: the replica of every client of the run, to tell same- from cross-replica deliveries. */
  | { type: 'setup'; clients: ClientSpec[]; replicaOf: number[]; clientsPerBoard: number; setupTimeoutMs: number }
  /** Edits start at t0 (warm-up), are measured from t0+warmupMs, stop at t0+warmupMs+durationMs. */
  | { type: 'start'; t0: number; warmupMs: number; durationMs: number; rate: number }
  | { type: 'report' }
  | { type: 'stop' };

export type FromWorker =
  | { type: 'ready'; clients: number; setupMs: number }
  | { type: 'report'; report: WorkerReport }
  | { type: 'error'; message: string };

export interface WorkerReport {
  /** Per client: the seqs of its measured edits (warm-up edits excluded), in send order. */
  sent: { gid: number; board: number; measured: number[]; measuredAt: number[]; warmup: number }[];
  /** Per receiving client: per sender gid, the distinct measured seqs that arrived. */
  received: { gid: number; board: number; from: Record<number, number[]> }[];
  /**
   * Send-to-arrival latency (ms) of every distinct measured delivery seen by this worker whose
   * sender is connected to the same server process as the receiver...
   */
  latencies: number[];
  /** ...and of those whose sender is on another replica (through the relay). */
  crossLatencies: number[];
  /** The same deliveries' latencies again, binned by the second of the measured window they were sent in. */
  bySecond: number[][];
  /** A measured edit seen twice by one receiver (should never happen). */
  duplicates: number;
  /** Inserted notes text that is not an edit line (should never happen). */
  unparsable: number;
  /** Actual minus scheduled send time (ms) of each measured edit: is the generator keeping up? */
  sendLagMs: number[];
  /** CPU time (user+system, ms) this worker used during the measured window. */
  cpuMs: number;
  /** Event-loop delay during the measured window (ms beyond the sampling tick). */
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  /** Websocket closes / errors seen after the clients were ready (should be 0). */
  disconnects: number;
  connectionErrors: number;
}
