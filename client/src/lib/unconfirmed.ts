/**
 * Pure rules for "local changes not yet confirmed by the server", from the server's durable-state
 * notices (docs/api.md "Durable-state notices": `[100, 1, stateVector]` = what it has stored).
 *
 * Every local Yjs transaction leaves a mark. A transaction that inserted something advanced this
 * client's clock, so it is confirmed once the stored state vector's entry for that client reaches
 * the clock the transaction ended at. A transaction that only deleted (backspace in the notes,
 * deleting a card) does not advance the clock and is invisible in a state vector, so it counts as
 * confirmed by the first notice that arrives after it was sent (`sentAfterNotice`): the server sends
 * a notice after every write it stores, and our socket is ordered. That can be early by one notice
 * that was already on its way; see the report for the server change that would make it exact.
 */

/** One local transaction awaiting confirmation. */
export interface EditMark {
  /** The Yjs client id that made it (a previous session's id for adopted marks). */
  client: number;
  /** This client's clock after the transaction; -1 for a delete-only transaction. */
  clock: number;
  /**
   * Inserting marks: this client's clock before the transaction, so it made the items with clocks
   * `from` to `clock - 1` (a comment's "Not sent yet" looks them up). 0 in marks stored before the
   * field existed: they then cover every earlier clock of their client, which errs on "not sent".
   */
  from?: number;
  /**
   * Delete-only marks: the number of notices received when the edit went out on the socket; any
   * later notice confirms it. null while it has not been sent (offline, or loaded from storage).
   */
  sentAfterNotice?: number | null;
}

export type StateVector = Map<number, number>;

/** Whether the server has stored the transaction `mark` stands for. */
export function isConfirmed(mark: EditMark, durable: StateVector | null, noticesReceived: number): boolean {
  if (mark.clock < 0) return mark.sentAfterNotice != null && noticesReceived > mark.sentAfterNotice;
  return durable !== null && (durable.get(mark.client) ?? 0) >= mark.clock;
}

/** How many of `marks` the server has not confirmed yet. */
export function countUnconfirmed(marks: readonly EditMark[], durable: StateVector | null, noticesReceived: number): number {
  let n = 0;
  for (const m of marks) if (!isConfirmed(m, durable, noticesReceived)) n++;
  return n;
}

/** The marks still waiting (a new array only when something was confirmed). */
export function pruneConfirmed(marks: EditMark[], durable: StateVector | null, noticesReceived: number): EditMark[] {
  const left = marks.filter((m) => !isConfirmed(m, durable, noticesReceived));
  return left.length === marks.length ? marks : left;
}

/**
 * The mark for a finished local transaction, or null when it changed nothing. `before`/`after`
 * are this client's clocks around the transaction; `deleted` says whether it deleted anything.
 * `sent` is the notice count when the update went out now (connected and synced), else null.
 */
export function markFor(client: number, before: number, after: number, deleted: boolean, sent: number | null): EditMark | null {
  if (after > before) return { client, clock: after, from: before };
  if (deleted) return { client, clock: -1, sentAfterNotice: sent };
  return null;
}

/** Delete-only marks not sent yet are sent now (the socket synced): any later notice confirms them. */
export function markSent(marks: EditMark[], noticesReceived: number): EditMark[] {
  if (!marks.some((m) => m.clock < 0 && m.sentAfterNotice == null)) return marks;
  return marks.map((m) => (m.clock < 0 && m.sentAfterNotice == null ? { ...m, sentAfterNotice: noticesReceived } : m));
}

/**
 * Whether one of the (unconfirmed) `marks` made the item with id `client`/`clock`: the item, a
 * comment say, is on this device but not yet on the server.
 */
export function marksCover(marks: readonly EditMark[], client: number, clock: number): boolean {
  return marks.some((m) => m.client === client && m.clock > clock && (m.from ?? 0) <= clock);
}

/**
 * Marks as stored on the device: `[client, clock, from]` for inserts, `[client, -1]` for deletions
 * (older versions stored `[client, clock]`). Sending state is per session, so it is dropped.
 */
export function encodeMarks(marks: readonly EditMark[]): string {
  return JSON.stringify(marks.map((m) => (m.clock < 0 ? [m.client, m.clock] : [m.client, m.clock, m.from ?? 0])));
}

/** Inverse of encodeMarks; anything malformed is ignored rather than trusted. */
export function decodeMarks(text: string | null): EditMark[] {
  if (!text) return [];
  try {
    const raw: unknown = JSON.parse(text);
    if (!Array.isArray(raw)) return [];
    const out: EditMark[] = [];
    for (const pair of raw) {
      if (!Array.isArray(pair) || !Number.isInteger(pair[0]) || !Number.isInteger(pair[1])) continue;
      if (pair[1] < 0) out.push({ client: pair[0], clock: -1, sentAfterNotice: null });
      else out.push({ client: pair[0], clock: pair[1], from: Number.isInteger(pair[2]) && pair[2] >= 0 && pair[2] < pair[1] ? pair[2] : 0 });
    }
    return out;
  } catch {
    return [];
  }
}

/** What the sync pill says (components/SyncStatus.tsx). */
export type SyncState = 'synced' | 'pending' | 'reconnecting' | 'offline' | 'closed';

/**
 * The board's sync state: `offline` without a network (or after failed attempts), `reconnecting`
 * while a connection is being made, `pending` when connected but the server has not confirmed
 * everything yet (first exchange running, or unconfirmed local changes), else `synced`.
 */
export function syncState(input: { status: 'connecting' | 'connected' | 'offline' | 'closed'; synced: boolean; unconfirmed: number }): SyncState {
  if (input.status === 'closed') return 'closed';
  if (input.status === 'offline') return 'offline';
  if (input.status === 'connecting') return 'reconnecting';
  return !input.synced || input.unconfirmed > 0 ? 'pending' : 'synced';
}
