/** Types the sync core shares with its transport adapter and hooks. */
import { WRITER_ROLES, type Role } from '@delivery-board/schema/types';

/** The least a transport must offer (ws's WebSocket satisfies it; tests use in-memory pairs). */
export interface SyncSocket {
  send(data: Uint8Array): void;
  close(code: number, reason?: string): void;
}

export type DocKind = 'board' | 'bookings';

/** Storage name of a board's documents: the board id, and `<boardId>/bookings`. */
export const docNameOf = (boardId: string, kind: DocKind) => (kind === 'board' ? boardId : `${boardId}/bookings`);

/** The board and kind a storage name is of (the inverse of docNameOf). */
export function parseDocName(name: string): { boardId: string; kind: DocKind } {
  const slash = name.indexOf('/');
  return slash < 0 ? { boardId: name, kind: 'board' } : { boardId: name.slice(0, slash), kind: 'bookings' };
}

export interface ConnectionInfo {
  /** Document name (see docNameOf). */
  docName: string;
  kind: DocKind;
  boardId: string;
  userId: string;
  userName: string;
  /**
   * The member's role on the board, kept current (SyncServer.applyAccess: the socket is closed too
   * when the change alters the rights below).
   */
  role: Role;
  /**
   * The session the socket was opened with (its id in the store, the token's SHA-256): when it
   * ends (sign-out, a new sign-in on that browser, expiry) the socket is closed with 4401.
   */
  sessionId: string;
  /** When that session expires, as last read (sessions slide: a request may have extended it since). */
  sessionExpiresAt: number;
  /** Whether this connection's document updates are accepted (viewers, and everyone on bookings: false). */
  canWrite: boolean;
  /**
   * Whether it receives drivers' shared positions in awareness states (coordinators only): the
   * server removes the `position` field from what everyone else is sent.
   */
  seesPositions: boolean;
  /**
   * Which cards its updates may delete (sync/cardRemovals.ts): any (coordinators), those it created
   * (requesters, taking back their own request), none (drivers: one could otherwise delete the
   * card another driver holds, which cancels that booking).
   */
  removesCards: 'any' | 'own' | 'none';
}

/** What a member with `role` may do on a connection to a `kind` document (at upgrade, and when the role changes). */
export function connectionRights(kind: DocKind, role: Role): Pick<ConnectionInfo, 'canWrite' | 'seesPositions' | 'removesCards'> {
  // The bookings document is written by the server alone.
  const canWrite = kind === 'board' && WRITER_ROLES.includes(role);
  const removesCards = !canWrite ? 'none' : role === 'coordinator' ? 'any' : role === 'requester' ? 'own' : 'none';
  return { canWrite, seesPositions: role === 'coordinator', removesCards };
}

/**
 * Where a transaction on a room's document came from. Only `connection` and `server` updates are
 * made here: they are persisted, then broadcast and published to other replicas. `load` is replayed
 * from the database, and `relay` came from another replica (or was read back from the database by a
 * catch-up), so it is already stored: it is broadcast to local connections, never persisted or
 * published again (one exception, see Room.applyStored).
 */
export type TransactionOrigin = { type: 'load' } | { type: 'connection'; conn: unknown } | { type: 'server' } | { type: 'relay' };

/** The one `relay` origin object; awareness changes from other replicas carry it too. */
export const RELAY_ORIGIN: TransactionOrigin = Object.freeze({ type: 'relay' });
