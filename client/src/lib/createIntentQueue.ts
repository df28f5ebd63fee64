/**
 * The offline intent queue, wired: sends booking transitions, keeps the ones the server has not
 * decided in the device store (intentStore.ts), and replays them — on `online`, when a board's
 * provider (re)syncs, and on app start — in creation order and only once that board's document has
 * synced, so a card created offline reaches the server before its claim. Outcomes go to `notify`
 * (toasts). The rules themselves are pure functions in intentQueue.ts and outcomeMessage.ts.
 *
 * One queue per app (App.tsx provides it); board views attach their documents to it. When intents
 * wait for a board nobody has open, the queue opens that board's document in the background (via
 * `deps.openBoard`) just long enough to sync and replay.
 */
import { createContext, createEffect, createMemo, createRoot, createSignal, on, onCleanup, useContext, type Accessor } from 'solid-js';
import type { Booking } from '@delivery-board/schema/bookings';
import { ApiError, type Api } from './api.ts';
import {
  boardsWithIntents,
  isDecided,
  judgeReply,
  makeIntentId,
  pendingFor,
  replayIntents,
  replayOrder,
  retryDelay,
  type QueuedIntent,
  type Reply,
  type TransitionIntent,
  type Verdict,
} from './intentQueue.ts';
import type { IntentStore } from './intentStore.ts';
import { outcomeMessage, type OutcomeMessage } from './outcomeMessage.ts';
import { forgetUnlessHeld } from './privateDetailsCache.ts';

/** What the queue needs from a board that is open (in a view or in the background). */
export interface BoardHandle {
  /** The board document has synced with the server (see createSyncedDoc.ts `synced`). */
  synced: Accessor<boolean>;
  /** The card's title, or null when the card is not on this device's copy of the board. */
  cardTitle(cardId: string): string | null;
  /** A booking the server sent back (shown at once, before the bookings document catches up). */
  onBooking?(booking: Booking): void;
}

export interface IntentQueueDeps {
  api: Api;
  user: Accessor<{ id: string; name: string } | null>;
  store: IntentStore;
  notify(message: OutcomeMessage): void;
  /** Opens a board's document for a background replay; the queue disposes it when done. */
  openBoard?: (boardId: string) => { handle: BoardHandle; dispose(): void };
  isOnline?: () => boolean;
  now?: () => number;
}

export type SubmitResult =
  | { kind: 'done'; booking: Booking }
  /** 409: the card is not in a state that allows it; `booking` says who has it since when. */
  | { kind: 'conflict'; booking: Booking }
  /** 400/403/404...: the server's message. */
  | { kind: 'refused'; message: string }
  | { kind: 'queued'; intent: QueuedIntent };

export interface IntentQueue {
  /** This user's waiting intents, in creation order. */
  pending: Accessor<QueuedIntent[]>;
  pendingFor(boardId: string, cardId: string): QueuedIntent | undefined;
  /** Sends a transition now, or queues it when the server cannot decide it now. */
  submit(req: Omit<TransitionIntent, 'intentId'> & { cardTitle: string }): Promise<SubmitResult>;
  /** Forgets a waiting intent without sending it. */
  discard(intentId: string): Promise<void>;
  /**
   * Whether this user has a transition of the card under way: sent and its answer not yet shown
   * (the bookings document may bring the change before the HTTP answer does), or waiting in the
   * queue. Booking changes then are their own doing, not news (lib/notifications.ts). Once the
   * answer is shown this is false again, so what others do next (a coordinator's release, a
   * cancel) is news, however soon it comes. Someone else's change inside that window is not
   * announced either (a booking does not say who made it); it usually makes the request fail, and
   * the answer (a 409, or the queued intent's outcome message) tells the user what happened.
   */
  actedRecently(boardId: string, cardId: string): boolean;
  /** Registers an open board (detached with the caller's owner); replays when it syncs. */
  attachBoard(boardId: string, handle: BoardHandle): void;
  replay(boardId: string): Promise<void>;
}

/** How long a background board may take to sync before it is closed until the next trigger. */
const BACKGROUND_TIMEOUT_MS = 60_000;

export function createIntentQueue(deps: IntentQueueDeps): IntentQueue {
  const [all, setAll] = createSignal<QueuedIntent[]>([]);
  const [loaded, setLoaded] = createSignal(false);
  const boards = new Map<string, BoardHandle>();
  const background = new Map<string, () => void>();
  const attempts = new Map<string, number>();
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();
  const retryTimers = new Map<string, ReturnType<typeof setTimeout>>();
  let seq = 0;
  let toldSignedOut = false;
  let disposed = false;

  const isOnline = deps.isOnline ?? (() => (typeof navigator === 'undefined' ? true : navigator.onLine));
  const now = deps.now ?? Date.now;
  const userId = () => deps.user()?.id ?? null;

  const pending = createMemo(() => {
    const id = userId();
    return id ? replayOrder(all(), id) : [];
  });

  // Requests on their way (submit: from sending until the answer is shown), per `<boardId>/<cardId>`.
  // Queued intents count as under way through `pending` instead (see actedRecently).
  const underWay = new Map<string, number>();
  const keyOf = (i: { boardId: string; cardId: string }) => `${i.boardId}/${i.cardId}`;
  const begin = (key: string) => underWay.set(key, (underWay.get(key) ?? 0) + 1);
  const end = (key: string) => {
    const n = (underWay.get(key) ?? 1) - 1;
    if (n > 0) underWay.set(key, n);
    else underWay.delete(key);
  };

  async function send(intent: QueuedIntent): Promise<Reply> {
    try {
      const { booking } = await deps.api.transition(intent.boardId, intent.cardId, {
        action: intent.action,
        intentId: intent.intentId,
        ...(intent.note ? { note: intent.note } : {}),
        ...(intent.driverId ? { driverId: intent.driverId } : {}),
      });
      return { kind: 'ok', booking };
    } catch (err) {
      if (err instanceof ApiError && !err.isNetwork) return { kind: 'http', status: err.status, code: err.code, message: err.message, booking: err.booking };
      return { kind: 'network' };
    }
  }

  const titleOf = (intent: QueuedIntent) => boards.get(intent.boardId)?.cardTitle(intent.cardId) ?? intent.cardTitle;
  const cardExists = (intent: QueuedIntent) => {
    const board = boards.get(intent.boardId);
    // Without the board at hand, assume the card may still be on its way.
    return board ? board.cardTitle(intent.cardId) !== null : true;
  };

  async function remove(intentId: string) {
    attempts.delete(intentId);
    setAll((l) => l.filter((i) => i.intentId !== intentId));
    await deps.store.delete(intentId);
  }

  /**
   * The server's answer carries the card's booking: the open board shows it at once, and a hold
   * that has ended (delivered at a doorstep with no signal, replayed later; or lost) takes the
   * device's copy of the private details with it, board open or not.
   */
  function learned(intent: QueuedIntent, booking: Booking) {
    boards.get(intent.boardId)?.onBooking?.(booking);
    forgetUnlessHeld(intent.userId, intent.boardId, intent.cardId, booking);
  }

  async function settle(intent: QueuedIntent, verdict: Verdict) {
    // The answer is shown while the intent is still queued: its change counts as this user's own
    // doing (actedRecently) and is not announced to them as someone else's.
    if (verdict.kind === 'won' || verdict.kind === 'lost') learned(intent, verdict.booking);
    await remove(intent.intentId);
    const message = outcomeMessage(intent.action, verdict, { title: titleOf(intent), meId: intent.userId, now: now(), wasOffline: true });
    if (message) deps.notify(message);
  }

  function scheduleRetry(boardId: string, delay: number) {
    if (disposed || retryTimers.has(boardId)) return;
    retryTimers.set(
      boardId,
      setTimeout(() => {
        retryTimers.delete(boardId);
        void replay(boardId);
      }, delay),
    );
  }

  function closeBackground(boardId: string) {
    const dispose = background.get(boardId);
    if (!dispose) return;
    background.delete(boardId);
    dispose();
  }

  function openInBackground(boardId: string) {
    if (!deps.openBoard || background.has(boardId) || disposed) return;
    const opened = deps.openBoard(boardId);
    const disposeRoot = createRoot((dispose) => {
      attachBoard(boardId, opened.handle);
      return dispose;
    });
    const timer = setTimeout(() => closeBackground(boardId), BACKGROUND_TIMEOUT_MS);
    background.set(boardId, () => {
      clearTimeout(timer);
      disposeRoot();
      opened.dispose();
    });
  }

  async function replay(boardId: string): Promise<void> {
    const user = userId();
    if (disposed || !loaded() || !user || !isOnline()) return;
    if (replayOrder(all(), user, boardId).length === 0) return;
    const handle = boards.get(boardId);
    if (!handle) return openInBackground(boardId);
    // Not synced yet: attachBoard's effect calls again once it is.
    if (!handle.synced()) return;
    const current = running.get(boardId);
    if (current) {
      again.add(boardId);
      return current;
    }
    const run = (async () => {
      do {
        again.delete(boardId);
        const ordered = replayOrder(all(), user, boardId);
        if (ordered.length === 0) break;
        const result = await replayIntents(ordered, {
          send,
          cardExists,
          attempts: (i) => attempts.get(i.intentId) ?? 0,
          settled: settle,
        });
        if (result.stoppedAt) {
          const { intent, verdict } = result.stoppedAt;
          const n = (attempts.get(intent.intentId) ?? 0) + 1;
          attempts.set(intent.intentId, n);
          if (verdict.kind === 'signedOut') {
            if (!toldSignedOut) deps.notify(outcomeMessage(intent.action, verdict, { title: titleOf(intent), meId: user })!);
            toldSignedOut = true;
          } else if (isOnline()) {
            scheduleRetry(boardId, retryDelay(n));
          }
          break;
        }
      } while (again.has(boardId));
    })().finally(() => {
      running.delete(boardId);
      closeBackground(boardId);
    });
    running.set(boardId, run);
    return run;
  }

  function replayEverywhere() {
    const user = userId();
    if (!user) return;
    for (const boardId of boardsWithIntents(all(), user)) void replay(boardId);
  }

  function attachBoard(boardId: string, handle: BoardHandle) {
    // A view opening the board replaces a background copy.
    if (background.has(boardId) && boards.get(boardId) !== handle) closeBackground(boardId);
    boards.set(boardId, handle);
    createEffect(() => {
      if (handle.synced()) void replay(boardId);
    });
    onCleanup(() => {
      if (boards.get(boardId) === handle) boards.delete(boardId);
    });
  }

  async function submit(req: Omit<TransitionIntent, 'intentId'> & { cardTitle: string }): Promise<SubmitResult> {
    const user = deps.user();
    if (!user) return { kind: 'refused', message: 'Sign in again to do this.' };
    const intent: QueuedIntent = { ...req, intentId: makeIntentId(), userId: user.id, createdAt: now(), seq: ++seq };
    begin(keyOf(intent));
    try {
      return await submitNow(intent);
    } finally {
      end(keyOf(intent));
    }
  }

  async function submitNow(intent: QueuedIntent): Promise<SubmitResult> {
    const reply: Reply = isOnline() ? await send(intent) : { kind: 'network' };
    const verdict = judgeReply(reply, { cardExistsLocally: cardExists(intent), attempts: 1 });
    if (!isDecided(verdict)) {
      if (verdict.kind === 'signedOut') return { kind: 'refused', message: 'Your session has ended. Sign in again to do this.' };
      attempts.set(intent.intentId, 1);
      setAll((l) => [...l, intent]);
      await deps.store.put(intent);
      if (isOnline()) scheduleRetry(intent.boardId, retryDelay(1));
      return { kind: 'queued', intent };
    }
    if (verdict.kind === 'won' || verdict.kind === 'lost') learned(intent, verdict.booking);
    if (verdict.kind === 'won') return { kind: 'done', booking: verdict.booking };
    if (verdict.kind === 'lost') return { kind: 'conflict', booking: verdict.booking };
    return { kind: 'refused', message: verdict.kind === 'refused' ? verdict.message : 'Not accepted.' };
  }

  // Load the device queue at start and whenever the signed-in user changes, then replay.
  createEffect(
    on(userId, async (id) => {
      setLoaded(false);
      toldSignedOut = false;
      const stored = id ? await deps.store.all() : [];
      if (disposed || userId() !== id) return;
      setAll(stored);
      seq = Math.max(seq, ...stored.map((i) => i.seq));
      setLoaded(true);
      replayEverywhere();
    }),
  );

  const onOnline = () => replayEverywhere();
  window.addEventListener('online', onOnline);
  onCleanup(() => {
    disposed = true;
    window.removeEventListener('online', onOnline);
    retryTimers.forEach(clearTimeout);
    for (const boardId of [...background.keys()]) closeBackground(boardId);
  });

  return {
    pending,
    pendingFor: (boardId, cardId) => pendingFor(pending(), userId(), boardId, cardId),
    submit,
    discard: remove,
    actedRecently: (boardId, cardId) => underWay.has(keyOf({ boardId, cardId })) || !!pendingFor(pending(), userId(), boardId, cardId),
    attachBoard,
    replay,
  };
}

export const IntentQueueContext = createContext<IntentQueue>();

/** The intent queue provided by an enclosing `<IntentQueueContext.Provider>`. */
export function useIntentQueue(): IntentQueue {
  const queue = useContext(IntentQueueContext);
  if (!queue) throw new Error('useIntentQueue() needs an <IntentQueueContext.Provider> above it');
  return queue;
}
