/**
 * Counts this device's board edits the server has not confirmed yet, and remembers when it last
 * confirmed anything, using the server's durable-state notices (docs/api.md): after each
 * (re)connect we send `[100, 0]` on the sync socket; the server answers `[100, 1, stateVector]`
 * with what it has stored, at once and after every write. The rules are pure (unconfirmed.ts).
 *
 * Marks survive a reload: each session stores its own under `<prefix><storeName>:<clientID>` in
 * localStorage, and a new session adopts every stored list for the document, so a board opened
 * cold and offline still says how many changes wait on this device. Adopted lists are removed once
 * all their marks are confirmed. (Per-session keys, so two tabs never overwrite each other.)
 */
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { WebsocketProvider } from 'y-websocket';
import { boardRoots } from '@delivery-board/schema/boardDoc';
import { appendMark, countUnconfirmed, decodeMarks, encodeMarks, markFor, marksCover, markSent, pruneConfirmed, type EditMark, type StateVector } from './unconfirmed.ts';

export const MESSAGE_DURABLE = 100;
const DURABLE_SUBSCRIBE = 0;
const DURABLE_STATE = 1;

/** localStorage key prefixes owned by this module (cleared on sign-out, see clearBoardStores.ts). */
export const UNCONFIRMED_PREFIX = 'delivery-board:unconfirmed:';
export const LAST_SYNC_PREFIX = 'delivery-board:lastSync:';

export interface DurableState {
  /** Local changes (transactions) the server has not confirmed as stored. */
  unconfirmed: Accessor<number>;
  /** When the server last confirmed this document's state to this device (ms), or null. */
  lastSyncedAt: Accessor<number | null>;
  /**
   * Whether the item with this Yjs id (a comment, say) was made on this device and the server has
   * not confirmed it yet. Reactive: read in a tracking scope, it updates as confirmations arrive.
   */
  isUnsent: (id: Y.ID) => boolean;
}

export interface DurableStateOptions {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** The provider finished its sync exchange (createSyncedDoc `synced`). */
  synced: Accessor<boolean>;
  /** The document's device store name, e.g. `board:<id>`: keys are derived from it. */
  storeName: string;
  storage?: Storage | null;
}

/** The open sessions' "write my marks now" (each batches its writes, see persistSoon). */
const liveSessions = new Set<() => void>();

/**
 * How many board edits this device holds that the server has not confirmed, over every board, as
 * stored by the sessions that made them (removed once confirmed). Open sessions write theirs
 * first, so an edit made a moment ago counts too. Sign-out asks before discarding them.
 */
export function storedUnconfirmed(storage: Storage | null = globalThis.localStorage ?? null): number {
  for (const writeNow of liveSessions) writeNow();
  return safe(() => {
    let n = 0;
    for (let i = 0; i < (storage?.length ?? 0); i++) {
      const key = storage!.key(i);
      if (key?.startsWith(UNCONFIRMED_PREFIX)) n += decodeMarks(storage!.getItem(key)).length;
    }
    return n;
  }, 0);
}

function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback; // storage disabled or full: counting still works for this session
  }
}

/** The one card (its `cards` or `comments` entry) a transaction changed, or null (none, several, other roots). */
export function cardOf(doc: Y.Doc, tr: Y.Transaction): string | null {
  const roots = boardRoots(doc);
  const cards: Y.AbstractType<any> = roots.cards;
  const comments: Y.AbstractType<any> = roots.comments;
  let found: string | null = null;
  const note = (id: string | null) => {
    if (id === null || (found !== null && found !== id)) return false;
    found = id;
    return true;
  };
  for (const [type, keys] of tr.changed) {
    if (type === cards || type === comments) {
      for (const key of keys) if (!note(key)) return null;
      continue;
    }
    let t: Y.AbstractType<any> | null = type;
    while (t?._item && t._item.parent !== cards && t._item.parent !== comments) t = t._item.parent as Y.AbstractType<any>;
    if (!t?._item || !note(t._item.parentSub)) return null;
  }
  return found;
}

/** The `[100, 0]` subscribe frame. */
export function durableSubscribeFrame(): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_DURABLE);
  encoding.writeVarUint(e, DURABLE_SUBSCRIBE);
  return encoding.toUint8Array(e);
}

/** Subscribes to notices on every (re)connect and tracks local transactions; undone with the owner. */
export function createDurableState(opts: DurableStateOptions): DurableState {
  const { doc, provider } = opts;
  const storage = opts.storage === undefined ? (globalThis.localStorage ?? null) : opts.storage;
  const prefix = `${UNCONFIRMED_PREFIX}${opts.storeName}:`;
  const ownKey = prefix + doc.clientID;
  const lastKey = LAST_SYNC_PREFIX + opts.storeName;

  // Lists left by earlier sessions (or other tabs), adopted until the server confirms them.
  const adopted = new Map<string, EditMark[]>();
  safe(() => {
    for (let i = 0; i < (storage?.length ?? 0); i++) {
      const key = storage!.key(i);
      if (key && key.startsWith(prefix) && key !== ownKey) adopted.set(key, decodeMarks(storage!.getItem(key)));
    }
  }, undefined);

  let own: EditMark[] = [];
  let durable: StateVector | null = null;
  let notices = 0;
  const stored = safe(() => Number(storage?.getItem(lastKey) ?? ''), 0);
  const [lastSyncedAt, setLastSyncedAt] = createSignal<number | null>(stored > 0 ? stored : null);
  const [unconfirmed, setUnconfirmed] = createSignal(0);
  // Bumped whenever the marks change, for isUnsent's readers (the count alone may stay the same).
  const [marksChanged, setMarksChanged] = createSignal(0);

  /** This session's marks and the adopted ones. */
  const allMarks = () => [own, ...adopted.values()];
  const recount = () => {
    setUnconfirmed(allMarks().reduce((n, marks) => n + countUnconfirmed(marks, durable, notices), 0));
    setMarksChanged((v) => v + 1);
  };
  recount();

  // Every notice prunes both lists and new marks are unconfirmed, so what they hold is still waiting.
  const isUnsent = (id: Y.ID) => {
    marksChanged();
    return allMarks().some((marks) => marksCover(marks, id.client, id.clock));
  };

  // Writing on every keystroke would be wasteful: batch, and flush when the page goes away.
  let persistTimer: ReturnType<typeof setTimeout> | null = null;
  const persistNow = () => {
    if (persistTimer) clearTimeout(persistTimer);
    persistTimer = null;
    safe(() => (own.length ? storage?.setItem(ownKey, encodeMarks(own)) : storage?.removeItem(ownKey)), undefined);
  };
  const persistSoon = () => {
    persistTimer ??= setTimeout(persistNow, 250);
  };

  let lastCard: string | null = null;
  const onTransaction = (tr: Y.Transaction) => {
    if (!tr.local) return; // remote, y-indexeddb and relayed updates are not our edits
    const id = doc.clientID;
    const sentNow = provider.wsconnected && provider.synced ? notices : null;
    const mark = markFor(id, tr.beforeState.get(id) ?? 0, tr.afterState.get(id) ?? 0, tr.deleteSet.clients.size > 0, sentNow);
    if (!mark) return;
    const card = cardOf(doc, tr);
    own = appendMark(own, mark, card !== null && card === lastCard);
    lastCard = card;
    recount();
    persistSoon();
  };
  doc.on('afterTransaction', onTransaction);

  provider.messageHandlers[MESSAGE_DURABLE] = (_encoder, decoder) => {
    // Nothing is written to the encoder: an empty reply is not sent.
    if (decoding.readVarUint(decoder) !== DURABLE_STATE) return;
    durable = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
    notices++;
    const before = own;
    own = pruneConfirmed(own, durable, notices);
    for (const [key, marks] of adopted) {
      const left = pruneConfirmed(marks, durable, notices);
      if (left.length === 0) {
        adopted.delete(key);
        safe(() => storage?.removeItem(key), undefined);
      } else adopted.set(key, left);
    }
    if (own !== before) persistNow();
    const now = Date.now();
    setLastSyncedAt(now);
    safe(() => storage?.setItem(lastKey, String(now)), undefined);
    recount();
  };

  const subscribe = () => {
    const ws = provider.ws;
    if (ws && ws.readyState === ws.OPEN) ws.send(durableSubscribeFrame());
  };
  const onStatus = ({ status }: { status: string }) => {
    if (status === 'connected') subscribe();
  };
  provider.on('status', onStatus);
  if (provider.wsconnected) subscribe();

  // Once synced, everything this device had (offline delete-only edits too) has gone out.
  const onSync = (isSynced: boolean) => {
    if (!isSynced) return;
    own = markSent(own, notices);
    for (const [key, marks] of adopted) adopted.set(key, markSent(marks, notices));
  };
  provider.on('sync', onSync);

  const onHide = () => persistTimer && persistNow();
  liveSessions.add(onHide);
  globalThis.addEventListener?.('pagehide', onHide);
  globalThis.document?.addEventListener('visibilitychange', onHide);

  onCleanup(() => {
    if (persistTimer) persistNow();
    liveSessions.delete(onHide);
    doc.off('afterTransaction', onTransaction);
    provider.off('status', onStatus);
    provider.off('sync', onSync);
    globalThis.removeEventListener?.('pagehide', onHide);
    globalThis.document?.removeEventListener('visibilitychange', onHide);
  });

  return { unconfirmed, lastSyncedAt, isUnsent };
}
