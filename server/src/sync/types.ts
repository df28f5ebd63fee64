/** Types the sync core shares with its transport adapter and hooks. */

/** The least a transport must offer (ws's WebSocket satisfies it; tests use in-memory pairs). */
export interface SyncSocket {
  send(data: Uint8Array): void;
  close(code: number, reason?: string): void;
}

export type DocKind = 'board' | 'bookings';

/** Storage name of a board's documents: the board id, and `<boardId>/bookings`. */
export const docNameOf = (boardId: string, kind: DocKind) => (kind === 'board' ? boardId : `${boardId}/bookings`);

export interface ConnectionInfo {
  /** Document name (see docNameOf). */
  docName: string;
  kind: DocKind;
  boardId: string;
  userId: string;
  userName: string;
  /** Whether this connection's document updates are accepted (viewers, and everyone on bookings: false). */
  canWrite: boolean;
}

/**
 * Where a transaction on a room's document came from. `load` is replayed from the database and
 * `connection` came from a client; neither is persisted again by mistake because only
 * `connection` updates are queued for persistence.
 */
export type TransactionOrigin = { type: 'load' } | { type: 'connection'; conn: unknown } | { type: 'server' };
