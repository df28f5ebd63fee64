/**
 * One board's live document (cards, comments, meta): the generic synced document
 * (createSyncedDoc.ts) in room `<boardId>`, kept on this device as `board:<boardId>`. A board shown
 * in a view also counts its unconfirmed local changes (createDurableState.ts) for the sync pill.
 */
import { createSignal } from 'solid-js';
import { createDurableState, type DurableState } from './createDurableState.ts';
import { createSyncedDoc, type SyncedDoc } from './createSyncedDoc.ts';

export { defaultSyncUrl, type SyncStatus } from './createSyncedDoc.ts';

export type BoardDoc = SyncedDoc & DurableState;

export interface BoardDocOptions {
  /** Shown to others through awareness (presence), never stored. */
  user?: { id: string; name: string };
  /** Websocket base URL; defaults to this origin's `/sync`. */
  syncUrl?: string;
  /** Keep a device copy in IndexedDB (default true when IndexedDB exists). */
  persist?: boolean;
  /** Called when the server says this user's role changed (close 4001; the provider reconnects). */
  onRoleChanged?: () => void;
  /**
   * Count local changes the server has not confirmed (default false). Only the board view does:
   * a background copy (makeBackgroundBoard.ts) makes no edits and must not rewrite the counts.
   */
  trackUnconfirmed?: boolean;
}

/** The IndexedDB database holding a board document's device copy. */
export const boardStoreName = (boardId: string) => `board:${boardId}`;

/** Creates the board's doc, device store and sync connection; all are destroyed with the owner. */
export function createBoardDoc(boardId: string, opts: BoardDocOptions = {}): BoardDoc {
  const storeName = boardStoreName(boardId);
  const synced = createSyncedDoc({ ...opts, room: boardId, storeName });
  const durable: DurableState = opts.trackUnconfirmed
    ? createDurableState({ doc: synced.doc, provider: synced.provider, synced: synced.synced, storeName })
    : { unconfirmed: () => 0, lastSyncedAt: createSignal<number | null>(null)[0], isUnsent: () => false };
  return { ...synced, ...durable };
}
