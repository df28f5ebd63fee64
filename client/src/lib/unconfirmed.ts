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
 * A run of transactions on one card (typing a note, letter by letter) is folded into one mark
 * (appendMark), so the count is of changes as people see them, not of keystrokes.
 */

/** One local change (a transaction, or a run of them on one card) awaiting confirmation. */
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
   * Delete-only marks, and inserting marks that took in deletions (`deletes`): the number of
   * notices received when the (last) deletion went out on the socket; any later notice confirms
   * it. null while it has not been sent (offline, or loaded from storage).
   */
  sentAfterNotice?: number | null;
  /** An inserting mark that also stands for deletions (appendMark folded them in). */
  deletes?: boolean;
}

export type StateVector = Map<number, number>;

/** Whether the server has stored the transaction `mark` stands for. */
export function isConfirmed(mark: EditMark, durable: StateVector | null, noticesReceived: number): boolean {
  const deletionsStored = !(mark.clock < 0 || mark.deletes) || (mark.sentAfterNotice != null && noticesReceived > mark.sentAfterNotice);
  const insertsStored = mark.clock < 0 || (durable !== null && (durable.get(mark.client) ?? 0) >= mark.clock);
  return deletionsStored && insertsStored;
}

/**
 * Adds a finished transaction's mark. People count changes, not keystrokes: typing a note offline
 * is one change, not one per letter. So when `sameTarget` (it touched the same one card as the
 * transaction before) and the last mark is this client's and still waiting, the new one is folded
 * into it: inserts that continue its clock range extend it, deletions make it wait for a notice
 * after they were sent as well. (Every mark in the list is waiting: each notice prunes the list.)
 */
export function appendMark(marks: EditMark[], mark: EditMark, sameTarget: boolean): EditMark[] {
  const last = marks.at(-1);
  if (sameTarget && last && last.client === mark.client) {
    const folded = fold(last, mark);
    if (folded) return [...marks.slice(0, -1), folded];
  }
  return [...marks, mark];
}

function fold(last: EditMark, next: EditMark): EditMark | null {
  if (next.clock < 0) {
    // A deletion: confirmed by a notice after it was sent (null: not yet sent), inserts as before.
    return last.clock < 0 ? { ...last, sentAfterNotice: next.sentAfterNotice ?? null } : { ...last, deletes: true, sentAfterNotice: next.sentAfterNotice ?? null };
  }
  if (last.clock < 0) return { ...next, deletes: true, sentAfterNotice: last.sentAfterNotice ?? null };
  return last.clock === next.from ? { ...last, clock: next.clock } : null;
}

/** How many of `marks` the server has not confirmed yet. */
export function countUnconfirmed(marks: readonly EditMark[], durable: StateVector | null, noticesReceived: number): number {
  let n = 0;
  for (const m of marks) if (!isConfirmed(m, durable, noticesReceived)) n++;
  return n;
}

/** The marks still waiting, each narrowed to what is (a new array only when something changed). */
export function pruneConfirmed(marks: EditMark[], durable: StateVector | null, noticesReceived: number): EditMark[] {
  let changed = false;
  const left: EditMark[] = [];
  for (const m of marks) {
    if (isConfirmed(m, durable, noticesReceived)) {
      changed = true;
      continue;
    }
    // A folded mark whose first part is stored: it covers only what is still waiting (marksCover).
    const stored = m.clock < 0 ? 0 : Math.min(durable?.get(m.client) ?? 0, m.clock);
    if (stored > (m.from ?? 0)) {
      left.push({ ...m, from: stored });
      changed = true;
    } else left.push(m);
  }
  return changed ? left : marks;
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

/** Deletions not sent yet are sent now (the socket synced): any later notice confirms them. */
export function markSent(marks: EditMark[], noticesReceived: number): EditMark[] {
  const unsent = (m: EditMark) => (m.clock < 0 || m.deletes) && m.sentAfterNotice == null;
  if (!marks.some(unsent)) return marks;
  return marks.map((m) => (unsent(m) ? { ...m, sentAfterNotice: noticesReceived } : m));
}

/**
 * Whether one of the (unconfirmed) `marks` made the item with id `client`/`clock`: the item, a
 * comment say, is on this device but not yet on the server.
 */
export function marksCover(marks: readonly EditMark[], client: number, clock: number): boolean {
  return marks.some((m) => m.client === client && m.clock > clock && (m.from ?? 0) <= clock);
}

/**
 * Marks as stored on the device: `[client, clock, from]` for inserts (`[client, clock, from, 1]`
 * when they took in deletions), `[client, -1]` for deletions (older versions stored
 * `[client, clock]`). Sending state is per session, so it is dropped.
 */
export function encodeMarks(marks: readonly EditMark[]): string {
  return JSON.stringify(marks.map((m) => (m.clock < 0 ? [m.client, m.clock] : m.deletes ? [m.client, m.clock, m.from ?? 0, 1] : [m.client, m.clock, m.from ?? 0])));
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
      else {
        const from = Number.isInteger(pair[2]) && pair[2] >= 0 && pair[2] < pair[1] ? pair[2] : 0;
        out.push(pair[3] === 1 ? { client: pair[0], clock: pair[1], from, deletes: true, sentAfterNotice: null } : { client: pair[0], clock: pair[1], from });
      }
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
