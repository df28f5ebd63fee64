/** Messages between run.ts and the load workers (worker.ts), and the shape of one claim's result. */

export interface ClaimJob {
  /** Position in the round's send order (pacing uses it). */
  seq: number;
  driverIndex: number;
  driverId: string;
  cookie: string;
  cardId: string;
  intentId: string;
}

export interface ClaimResult {
  seq: number;
  driverIndex: number;
  cardId: string;
  intentId: string;
  status: number;
  /** error.code of a non-200 answer, or the client-side error message (status 0). */
  code: string | null;
  /** booking.driverId / booking.status from the body (the winner, on 200 and on 409). */
  bookingDriverId: string | null;
  bookingStatus: string | null;
  /** Absolute times (ms since the epoch, sub-ms precision): request started / response complete. */
  start: number;
  end: number;
}

export type ToWorker =
  | { type: 'init'; baseUrl: string; boardId: string; maxSockets: number; concurrency: number; timeoutMs: number }
  | { type: 'round'; round: number; jobs: ClaimJob[] }
  /** Start at `startAt` (absolute ms); with `rate` > 0, job `seq` is sent at startAt + seq / rate s. */
  | { type: 'go'; round: number; startAt: number; rate: number }
  | { type: 'stop' };

export type FromWorker =
  | { type: 'ready'; round: number }
  | { type: 'done'; round: number; results: ClaimResult[]; cpuMs: number };

/** Wall clock with sub-millisecond precision, comparable across processes on one machine. */
export const now = () => performance.timeOrigin + performance.now();
