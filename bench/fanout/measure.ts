/**
 * Turns the workers' raw reports into one target's figures: exact expected/received deliveries
 * (every measured edit of every other client of the same board), latency percentiles, rates.
 */
import type { ClientSpec, WorkerReport } from './protocol.ts';
import { summarize, type Summary } from './stats.ts';

export interface Missing {
  receiver: number;
  sender: number;
  seq: number;
  /** Send time relative to the start of the measured window (s). */
  sentAtS: number;
}

export interface Deliveries {
  sentMeasured: number;
  sentWarmup: number;
  expected: number;
  received: number;
  loss: number;
  duplicates: number;
  unparsable: number;
  missingExamples: Missing[];
  /** Missing deliveries per receiving client gid (only those with any). */
  missingByReceiver: Record<number, number>;
  latency: Summary;
  /** Deliveries between clients of one server process / of different replicas (relayed). */
  latencySameReplica: Summary;
  latencyCrossReplica: Summary;
  /** p99 and max latency of the edits sent in each second of the measured window (spots periodic stalls). */
  bySecond: { p99: number; max: number; count: number }[];
  sendLag: Summary;
  disconnects: number;
  connectionErrors: number;
}

export function tallyDeliveries(specs: ClientSpec[], reports: WorkerReport[], measureFrom: number): Deliveries {
  const sent = new Map<number, { measured: Set<number>; at: Map<number, number>; board: number }>();
  let sentMeasured = 0;
  let sentWarmup = 0;
  for (const r of reports) {
    for (const s of r.sent) {
      sent.set(s.gid, { board: s.board, measured: new Set(s.measured), at: new Map(s.measured.map((seq, i) => [seq, s.measuredAt[i]!])) });
      sentMeasured += s.measured.length;
      sentWarmup += s.warmup;
    }
  }
  const byBoard = new Map<number, number[]>();
  for (const c of specs) byBoard.set(c.board, [...(byBoard.get(c.board) ?? []), c.gid]);

  let expected = 0;
  let received = 0;
  const missingExamples: Missing[] = [];
  const missingByReceiver: Record<number, number> = {};
  for (const r of reports) {
    for (const rc of r.received) {
      for (const senderGid of byBoard.get(rc.board) ?? []) {
        if (senderGid === rc.gid) continue;
        const sender = sent.get(senderGid);
        if (!sender) throw new Error(`no send report for client ${senderGid}`);
        const got = new Set(rc.from[senderGid] ?? []);
        expected += sender.measured.size;
        for (const seq of sender.measured) {
          if (got.has(seq)) received++;
          else {
            missingByReceiver[rc.gid] = (missingByReceiver[rc.gid] ?? 0) + 1;
            if (missingExamples.length < 20) {
              missingExamples.push({ receiver: rc.gid, sender: senderGid, seq, sentAtS: (sender.at.get(seq)! - measureFrom) / 1000 });
            }
          }
        }
      }
    }
  }
  return {
    sentMeasured,
    sentWarmup,
    expected,
    received,
    loss: expected - received,
    duplicates: reports.reduce((n, r) => n + r.duplicates, 0),
    unparsable: reports.reduce((n, r) => n + r.unparsable, 0),
    missingExamples,
    missingByReceiver,
    latency: summarize(reports.flatMap((r) => r.latencies.concat(r.crossLatencies))),
    latencySameReplica: summarize(reports.flatMap((r) => r.latencies)),
    latencyCrossReplica: summarize(reports.flatMap((r) => r.crossLatencies)),
    bySecond: Array.from({ length: Math.max(0, ...reports.map((r) => r.bySecond.length)) }, (_, s) => {
      const sum = summarize(reports.flatMap((r) => r.bySecond[s] ?? []));
      return { p99: sum.p99, max: sum.max, count: sum.count };
    }),
    sendLag: summarize(reports.flatMap((r) => r.sendLagMs)),
    disconnects: reports.reduce((n, r) => n + r.disconnects, 0),
    connectionErrors: reports.reduce((n, r) => n + r.connectionErrors, 0),
  };
}
