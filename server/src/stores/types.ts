/**
 * Store interfaces: the server's only way to reach the database. Each has a SQLite and a Postgres
 * implementation (and, for the document store, an in-memory one); the contract suites in
 * test/contracts/ pin their behaviour, one numbered rule per test.
 */
import type { Role, Member, InviteInfo, BoardSummary } from '@delivery-board/schema/types';
import type { Actor, Booking, BookingAction } from '@delivery-board/schema/bookings';

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  createdAt: number;
}

export interface UserStore {
  /** Returns false when the email is taken. */
  create(user: UserRecord): Promise<boolean>;
  getByEmail(email: string): Promise<UserRecord | null>;
  getById(id: string): Promise<UserRecord | null>;
}

export interface SessionRecord {
  id: string;
  userId: string;
  expiresAt: number;
  createdAt: number;
}

export interface SessionStore {
  create(session: SessionRecord): Promise<void>;
  /** The session and its user, in one read (every authenticated request asks); null if either is gone. */
  getWithUser(id: string): Promise<{ session: SessionRecord; user: UserRecord } | null>;
  setExpiry(id: string, expiresAt: number): Promise<void>;
  delete(id: string): Promise<void>;
}

export interface BoardRecord {
  id: string;
  name: string;
  createdBy: string;
  createdAt: number;
}

export interface InviteRecord extends InviteInfo {
  boardId: string;
  tokenHash: string;
  createdBy: string;
  revokedAt: number | null;
}

export type MemberChange = { ok: true; member: Member } | { ok: false; reason: 'not_found' | 'last_coordinator' };
export type MemberRemoval = { ok: true } | { ok: false; reason: 'not_found' | 'last_coordinator' };
export type InviteAcceptance =
  /** `changed`: false for a member following a link again (their role as high already). */
  | { ok: true; changed: boolean; boardId: string; role: Role }
  | { ok: false; reason: 'not_found' | 'expired' | 'used_up' | 'revoked' };

/**
 * Membership, invite and board changes write their audit row in the change's own transaction, and
 * only when the change happens (never for a refusal or a no-op): a failed audit insert rolls the
 * change back. Where the row depends on the result (the member's name, the role an invite gave),
 * the caller passes a function that builds it from the result.
 */
export interface BoardStore {
  /** Creates the board and makes `board.createdBy` its coordinator, with `audit`, atomically. */
  create(board: BoardRecord, audit: AuditEntry): Promise<void>;
  get(id: string): Promise<BoardRecord | null>;
  listForUser(userId: string): Promise<BoardSummary[]>;
  getRole(boardId: string, userId: string): Promise<Role | null>;
  listMembers(boardId: string): Promise<Member[]>;
  /** Refuses to demote the board's last coordinator. Writes `audit(member)` with the change. */
  setRole(boardId: string, userId: string, role: Role, audit: (member: Member) => AuditEntry): Promise<MemberChange>;
  /** Refuses to remove the board's last coordinator. Writes `audit` with the removal. */
  removeMember(boardId: string, userId: string, audit: AuditEntry): Promise<MemberRemoval>;
  createInvite(invite: Omit<InviteRecord, 'uses' | 'revokedAt'>, audit: AuditEntry): Promise<void>;
  /** Live invites only (not expired, revoked or used up). */
  listInvites(boardId: string, now: number): Promise<InviteInfo[]>;
  getInviteByTokenHash(tokenHash: string): Promise<InviteRecord | null>;
  /** Writes `audit` only when it revokes (true). */
  revokeInvite(boardId: string, inviteId: string, now: number, audit: AuditEntry): Promise<boolean>;
  /**
   * Uses one invite slot and adds (or upgrades) the membership, in one transaction, with the audit
   * row `audit(accepted)`. A member following it again (their role as high already) gets `ok: true`
   * with their role, and nothing changes: no slot used, no audit row.
   */
  acceptInvite(tokenHash: string, userId: string, now: number, audit: (accepted: { boardId: string; role: Role }) => AuditEntry): Promise<InviteAcceptance>;
}

export interface StoredDocument {
  /** Compacted state covering every update with seq <= snapshotSeq, or null. */
  snapshot: Uint8Array | null;
  /** Updates after the snapshot, in order. */
  updates: Uint8Array[];
  /** Highest seq contained (0 for an empty document). */
  lastSeq: number;
}

/**
 * Document persistence: an append-only update log per document plus compacted snapshots.
 * Rules are numbered in test/contracts/documentStore.contract.ts.
 */
export interface DocumentStore {
  load(docName: string): Promise<StoredDocument>;
  /**
   * What a replica that holds every update up to `afterSeq` is missing (another replica's writes the
   * relay did not bring): the stored updates with seq > afterSeq, in order, and the snapshot too
   * when a compaction has covered seqs after `afterSeq` (its updates are gone from the log).
   * `lastSeq` is the highest seq contained, at least `afterSeq`. Relies on the ordering rule that
   * within one document seq order is commit order, so seeing N means seeing everything below it.
   *
   * `except`: seqs above `afterSeq` the caller already holds (its own appends, updates the relay
   * brought); they are left out, so a replica that missed nothing reads nothing. `lastSeq` counts
   * only what is returned (and the snapshot): the caller adds what it held.
   */
  loadSince(docName: string, afterSeq: number, except?: readonly number[]): Promise<StoredDocument>;
  /** Appends updates in order, atomically; returns their seqs, in order. */
  append(docName: string, updates: Uint8Array[]): Promise<number[]>;
  /** Stores `snapshot` as covering all updates up to `upToSeq` and drops those updates, atomically. */
  compact(docName: string, snapshot: Uint8Array, upToSeq: number): Promise<void>;
}

export interface TransitionRequest {
  boardId: string;
  cardId: string;
  action: BookingAction;
  intentId: string;
  actor: Actor;
  note: string | null;
  /** From the board document: the card's author (requesters may cancel their own cards). */
  cardCreatedBy: string | null;
  /** From the board document: whether the card has a title (claim and assign need one; unknown counts as titled). */
  cardTitled?: boolean;
  assignee?: { id: string; name: string };
  now: number;
}

/** What the API answers: stored per intent and returned as is when the intent is replayed. */
export interface TransitionOutcome {
  httpStatus: 200 | 400 | 403 | 409;
  body: { booking: Booking } | { error: { code: string; message: string }; booking?: Booking };
  /** The booking as changed by this request; absent when nothing changed (refused, or a replay). */
  changed?: Booking;
  replayed: boolean;
}

export interface AuditEntry {
  boardId: string;
  cardId: string | null;
  actorId: string | null;
  actorName: string | null;
  action: string;
  fromStatus?: string | null;
  toStatus?: string | null;
  note?: string | null;
  data?: Record<string, unknown> | null;
  at: number;
}

export interface AuditRow extends Required<Omit<AuditEntry, 'data'>> {
  id: number;
  data: Record<string, unknown> | null;
}

export interface BookingStore {
  get(boardId: string, cardId: string): Promise<Booking>;
  list(boardId: string): Promise<Booking[]>;
  /** How many of the board's deliveries each member holds (claimed or picked up), by user id; absent: none. */
  heldCounts(boardId: string): Promise<Record<string, number>>;
  /**
   * Decides and applies one transition in one transaction: intent lookup, conditional update on
   * (status, version), audit row, stored outcome. Exactly one of concurrent conflicting requests wins.
   */
  transition(req: TransitionRequest): Promise<TransitionOutcome>;
  /**
   * The stored outcome of an intent, as a replay (null if never seen); a 400 `intent_reused` when
   * the intent was used for another board, card or action.
   */
  findIntent(userId: string, intentId: string, request: { boardId: string; cardId: string; action: BookingAction }): Promise<TransitionOutcome | null>;
  /**
   * Who created a card, as the server observed it (the `card.created` audit row): the card's own
   * `createdBy` field is board-document content (made the sender's when a card arrives, but a
   * coordinator may rewrite it later, sync/cardCreators.ts), so REST rights do not go by it.
   */
  cardAuthor(boardId: string, cardId: string): Promise<string | null>;
  audit(entries: AuditEntry[]): Promise<void>;
  /** Newest first; `before` is an id cursor (exclusive). */
  listAudit(boardId: string, query: { cardId?: string; before?: number; limit: number }): Promise<AuditRow[]>;
}

export interface PrivateDetails {
  recipientName: string;
  phone: string;
  accessNotes: string;
  updatedBy: string | null;
  updatedAt: number | null;
}

export interface TrackingLink {
  id: string;
  boardId: string;
  cardId: string;
  createdBy: string;
  createdAt: number;
  revokedAt: number | null;
}

/**
 * Per-card data that lives outside the Yjs documents: private details and tracking links. Changes
 * write their audit row in their own transaction, only when something changed (as BoardStore).
 */
export interface CardStore {
  getPrivate(boardId: string, cardId: string): Promise<PrivateDetails>;
  putPrivate(
    boardId: string,
    cardId: string,
    /** The fields to set; those left out (or undefined) keep their stored value. */
    details: Partial<Omit<PrivateDetails, 'updatedAt' | 'updatedBy'>>,
    by: string,
    now: number,
    audit: AuditEntry,
  ): Promise<PrivateDetails>;
  createTracking(link: Omit<TrackingLink, 'revokedAt'> & { tokenHash: string }, audit: AuditEntry): Promise<void>;
  listTracking(boardId: string, cardId: string): Promise<TrackingLink[]>;
  /** Writes `audit` only when it revokes (true). */
  revokeTracking(boardId: string, cardId: string, id: string, now: number, audit: AuditEntry): Promise<boolean>;
  /** A live (not revoked) link by token hash. */
  getTracking(tokenHash: string): Promise<TrackingLink | null>;
}
