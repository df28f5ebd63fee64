/**
 * One board's live document (cards, comments, meta): the generic synced document
 * (createSyncedDoc.ts) in room `<boardId>`, kept on this device as `board:<boardId>`.
 */
import { createSyncedDoc, type SyncedDoc } from './createSyncedDoc.ts';

export { defaultSyncUrl, type SyncStatus } from './createSyncedDoc.ts';

export type BoardDoc = SyncedDoc;

export interface BoardDocOptions {
  /** Shown to others through awareness (presence), never stored. */
  user?: { id: string; name: string };
  /** Websocket base URL; defaults to this origin's `/sync`. */
  syncUrl?: string;
  /** Keep a device copy in IndexedDB (default true when IndexedDB exists). */
  persist?: boolean;
  /** Called when the server says this user's role changed (close 4001; the provider reconnects). */
  onRoleChanged?: () => void;
}

/** The IndexedDB database holding a board document's device copy. */
export const boardStoreName = (boardId: string) => `board:${boardId}`;

/** Creates the board's doc, device store and sync connection; all are destroyed with the owner. */
export function createBoardDoc(boardId: string, opts: BoardDocOptions = {}): BoardDoc {
  return createSyncedDoc({ ...opts, room: boardId, storeName: boardStoreName(boardId) });
}
