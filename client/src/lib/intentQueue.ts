/**
 * The offline intent queue's rules, as pure functions: making intent ids, which queued intents to
 * replay and in what order, how to judge the server's answer to a replay, and the replay loop
 * itself (with the request injected). The IndexedDB store is intentStore.ts; the reactive wiring
 * (when to replay) is createIntentQueue.ts. Unit-tested in intentQueue.test.ts.
 *
 * Why replay is safe: the server answers a repeated `intentId` from the same user with the original
 * outcome, so an intent whose answer was lost on the way back can be sent again without doing
 * anything twice.
 */
import type { Booking, BookingAction } from '@delivery-board/schema/bookings';

/** What a transition request carries, plus where it belongs. */
export interface TransitionIntent {
  boardId: string;
  cardId: string;
  action: BookingAction;
  intentId: string;
  note?: string;
  /** For `assign`: the chosen driver (and their name, for messages). */
  driverId?: string;
  driverName?: string;
}

/** An intent waiting in the device store for the network. */
export interface QueuedIntent extends TransitionIntent {
  /** Whose intent it is: only that user's session may send it (the server dedupes per user). */
  userId: string;
  /** The card's title when queued, for messages if the board is not open at replay time. */
  cardTitle: string;
  createdAt: number;
  /** Tie-break for intents queued in the same millisecond (a per-session counter). */
  seq: number;
}

/** The server's rule for intent ids (schema/validators.ts `transitionBody`). */
export const INTENT_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** A fresh intent id: a random UUID without dashes (32 hex digits). */
export function makeIntentId(uuid: () => string = () => globalThis.crypto.randomUUID()): string {
  return uuid().replace(/-/g, '');
}

/** Creation order: oldest first; `seq` breaks ties within one millisecond. */
export function byCreation(a: QueuedIntent, b: QueuedIntent): number {
  return a.createdAt - b.createdAt || a.seq - b.seq || (a.intentId < b.intentId ? -1 : a.intentId > b.intentId ? 1 : 0);
}

/**
 * The intents to replay for one user (and, when given, one board), in creation order. A card
 * created offline and then claimed offline gets the claim only after the board document has synced
 * (the caller's job), and intents for one card keep their order, so the server sees them as the
 * user made them.
 */
export function replayOrder(queue: readonly QueuedIntent[], userId: string, boardId?: string): QueuedIntent[] {
  return queue.filter((i) => i.userId === userId && (boardId === undefined || i.boardId === boardId)).sort(byCreation);
}

/** The board ids that have something waiting for `userId`, in the order their oldest intent was made. */
export function boardsWithIntents(queue: readonly QueuedIntent[], userId: string): string[] {
  const seen = new Set<string>();
  for (const i of replayOrder(queue, userId)) seen.add(i.boardId);
  return [...seen];
}

/** The intent waiting for one card, if any (the UI allows one at a time per card). */
export function pendingFor(queue: readonly QueuedIntent[], userId: string | null, boardId: string, cardId: string): QueuedIntent | undefined {
  if (!userId) return undefined;
  return replayOrder(queue, userId, boardId).find((i) => i.cardId === cardId);
}

/** The answer to one transition request, as the queue sees it. */
export type Reply =
  | { kind: 'ok'; booking: Booking }
  | { kind: 'http'; status: number; code: string; message: string; booking?: Booking | null }
  | { kind: 'network' };

/** What to do with a replayed intent after the server answered. */
export type Verdict =
  /** The transition happened (now, or on an earlier send whose answer was lost). Drop it. */
  | { kind: 'won'; booking: Booking }
  /** Someone else got there first: the card is no longer in a state that allows it. Drop it, tell the user. */
  | { kind: 'lost'; booking: Booking }
  /** The server will never accept it (role, validation, card gone). Drop it, tell the user why. */
  | { kind: 'refused'; message: string }
  /** Not decided yet (no network, server busy, card not on the server yet). Keep it, try later. */
  | { kind: 'retry'; reason: string }
  /** The session has ended: keep it, ask the user to sign in again. */
  | { kind: 'signedOut' };

/** How many times a 404 for a card that exists on this device is retried (the card may still be syncing). */
export const MAX_NOT_FOUND_ATTEMPTS = 5;

/**
 * Judges a replay's answer. `attempts` counts sends of this intent including this one;
 * `cardExistsLocally` tells a card still on its way to the server (404 now, fine later) from a
 * deleted one.
 */
export function judgeReply(reply: Reply, ctx: { cardExistsLocally: boolean; attempts: number }): Verdict {
  if (reply.kind === 'ok') return { kind: 'won', booking: reply.booking };
  if (reply.kind === 'network') return { kind: 'retry', reason: 'network' };
  const { status } = reply;
  // Not a lost race: the card cannot be taken until someone gives it a title (the server's words say so).
  if (status === 409 && reply.code === 'card_untitled') return { kind: 'refused', message: reply.message };
  if (status === 409 && reply.booking) return { kind: 'lost', booking: reply.booking };
  if (status === 401) return { kind: 'signedOut' };
  if (status === 404 && ctx.cardExistsLocally && ctx.attempts < MAX_NOT_FOUND_ATTEMPTS) return { kind: 'retry', reason: 'card not on the server yet' };
  if (status === 404) return { kind: 'refused', message: 'This card is no longer on the board.' };
  if (status === 408 || status === 429 || status >= 500) return { kind: 'retry', reason: `server answered ${status}` };
  return { kind: 'refused', message: reply.message };
}

/**
 * Whether the server has decided (won, lost, refused) — otherwise the intent belongs in the queue.
 * The same rule covers a first send and a replay: no answer, a busy server, or a card that has not
 * reached the server yet all mean "try again later".
 */
export function isDecided(verdict: Verdict): boolean {
  return verdict.kind === 'won' || verdict.kind === 'lost' || verdict.kind === 'refused';
}

/** Delay before the next automatic try after a `retry` verdict: 2 s, 5 s, 15 s, 30 s, then every 60 s. */
export function retryDelay(attempts: number): number {
  const steps = [2_000, 5_000, 15_000, 30_000];
  return steps[Math.min(Math.max(attempts, 1), steps.length + 1) - 1] ?? 60_000;
}

export interface ReplayHooks {
  send(intent: QueuedIntent): Promise<Reply>;
  cardExists(intent: QueuedIntent): boolean;
  /** Send count so far for an intent (before this send). */
  attempts(intent: QueuedIntent): number;
  /** Called once per intent the server decided (won, lost, refused): remove it, tell the user. */
  settled(intent: QueuedIntent, verdict: Verdict): Promise<void> | void;
}

export interface ReplayResult {
  /** The intent that stopped the run and why (retry / signedOut), or null when all were settled. */
  stoppedAt: { intent: QueuedIntent; verdict: Verdict } | null;
  settled: number;
}

/**
 * Sends `ordered` one at a time, in order. Stops at the first intent that cannot be decided now
 * (retry, signed out), so nothing made later overtakes it; everything after it stays queued.
 */
export async function replayIntents(ordered: readonly QueuedIntent[], hooks: ReplayHooks): Promise<ReplayResult> {
  let settled = 0;
  for (const intent of ordered) {
    const reply = await hooks.send(intent);
    const verdict = judgeReply(reply, { cardExistsLocally: hooks.cardExists(intent), attempts: hooks.attempts(intent) + 1 });
    if (verdict.kind === 'retry' || verdict.kind === 'signedOut') return { stoppedAt: { intent, verdict }, settled };
    await hooks.settled(intent, verdict);
    settled++;
  }
  return { stoppedAt: null, settled };
}
