/** Types the sync core shares with its transport adapter and hooks. */

/** The least a transport must offer (ws's WebSocket satisfies it; tests use in-memory pairs). */
export interface SyncSocket {
  send(data: Uint8Array): void;
  close(code: number, reason?: string): void;
}

export interface ConnectionInfo {
  /** Document name: the board id for the board document. */
  docName: string;
  boardId: string;
  userId: string;
  userName: string;
  /** Whether this connection's document updates are accepted (viewers: false). */
  canWrite: boolean;
}

/**
 * Where a transaction on a room's document came from. `load` is replayed from the database and
 * `connection` came from a client; neither is persisted again by mistake because only
 * `connection` updates are queued for persistence.
 */
export type TransactionOrigin = { type: 'load' } | { type: 'connection'; conn: unknown } | { type: 'server' };
