/**
 * Postgres dialect of the database schema (drizzle-orm pg-core): the same tables, columns and export
 * names as schema/sqlite.ts, both checked against schema/tableShapes.ts. Times are unix milliseconds
 * in `bigint` columns read as JS numbers (exact up to 2^53, i.e. for the next 285,000 years); blobs
 * are `bytea` read as Buffer, like SQLite's `blob({ mode: 'buffer' })`. Generated ids are identity
 * columns. Migrations: schema/migrations/pg (`npm run db:generate:pg`).
 */
import { pgTable, text, integer, bigint, primaryKey, index, customType } from 'drizzle-orm/pg-core';
import type { MatchesShapes } from './tableShapes.ts';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });
/** Unix milliseconds. */
const ms = (name: string) => bigint(name, { mode: 'number' });
const ROLE = { enum: ['coordinator', 'driver', 'requester', 'viewer'] } as const;

export const users = pgTable('users', {
  id: text('id').primaryKey(),
  /** Lower-cased; unique. */
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  passwordHash: text('password_hash').notNull(),
  createdAt: ms('created_at').notNull(),
});

/** Lucia-style sessions: `id` is the SHA-256 (hex) of the token held in the cookie, never the token. */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: ms('expires_at').notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const boards = pgTable('boards', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: ms('created_at').notNull(),
});

export const memberships = pgTable(
  'memberships',
  {
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', ROLE).notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.boardId, t.userId] }), index('memberships_user_idx').on(t.userId)],
);

/** Invite links. Only the SHA-256 of the token is stored, like sessions. */
export const invites = pgTable(
  'invites',
  {
    id: text('id').primaryKey(),
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    role: text('role', ROLE).notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: ms('created_at').notNull(),
    expiresAt: ms('expires_at').notNull(),
    /** null = unlimited */
    maxUses: integer('max_uses'),
    uses: integer('uses').notNull().default(0),
    revokedAt: ms('revoked_at'),
  },
  (t) => [index('invites_board_idx').on(t.boardId)],
);

/**
 * Append-only log of Yjs updates per document; `seq` orders them. An identity can commit out of
 * order across transactions, so the store serializes appends per document (see the Postgres
 * document store): within one document, seq order is commit order.
 */
export const docUpdates = pgTable(
  'doc_updates',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    docName: text('doc_name').notNull(),
    update: bytea('update').notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [index('doc_updates_doc_seq_idx').on(t.docName, t.seq)],
);

/** Latest compacted state per document: covers every update with seq <= upToSeq. */
export const docSnapshots = pgTable('doc_snapshots', {
  docName: text('doc_name').primaryKey(),
  snapshot: bytea('snapshot').notNull(),
  upToSeq: bigint('up_to_seq', { mode: 'number' }).notNull(),
  updatedAt: ms('updated_at').notNull(),
});

/**
 * Current booking of each card (the server's decision). Cards without a row are `open`, version 0.
 * The Postgres store may hold a version-0 row (inserted only to have a row to lock); it reads the
 * same as no row.
 */
export const bookings = pgTable(
  'bookings',
  {
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id, { onDelete: 'cascade' }),
    cardId: text('card_id').notNull(),
    status: text('status', { enum: ['open', 'claimed', 'picked_up', 'delivered', 'cancelled'] }).notNull(),
    driverId: text('driver_id'),
    driverName: text('driver_name'),
    /** Who made the last transition (Booking.byId). */
    byId: text('by_id'),
    version: integer('version').notNull(),
    at: ms('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.boardId, t.cardId] })],
);

/**
 * Outcome of every transition request by intent id, so a replayed request (an offline queue
 * flushing twice, a retry after a timeout) gets the original answer instead of acting again.
 */
export const bookingIntents = pgTable(
  'booking_intents',
  {
    userId: text('user_id').notNull(),
    intentId: text('intent_id').notNull(),
    boardId: text('board_id').notNull(),
    cardId: text('card_id').notNull(),
    action: text('action').notNull(),
    status: integer('status').notNull(),
    response: text('response').notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.intentId] })],
);

/** Append-only audit trail. Not tied to cards by foreign key: rows outlive the cards they name. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    boardId: text('board_id').notNull(),
    cardId: text('card_id'),
    actorId: text('actor_id'),
    actorName: text('actor_name'),
    action: text('action').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    note: text('note'),
    data: text('data'),
    at: ms('at').notNull(),
  },
  (t) => [index('audit_board_idx').on(t.boardId, t.id), index('audit_card_idx').on(t.boardId, t.cardId, t.id)],
);

/** Details that never enter a Yjs document: served only to those allowed to see them. */
export const cardPrivate = pgTable(
  'card_private',
  {
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id, { onDelete: 'cascade' }),
    cardId: text('card_id').notNull(),
    recipientName: text('recipient_name').notNull().default(''),
    phone: text('phone').notNull().default(''),
    accessNotes: text('access_notes').notNull().default(''),
    updatedBy: text('updated_by').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.boardId, t.cardId] })],
);

/** Public tracking links for one card; only the token's SHA-256 is stored. */
export const trackingTokens = pgTable(
  'tracking_tokens',
  {
    id: text('id').primaryKey(),
    tokenHash: text('token_hash').notNull().unique(),
    boardId: text('board_id')
      .notNull()
      .references(() => boards.id, { onDelete: 'cascade' }),
    cardId: text('card_id').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: ms('created_at').notNull(),
    revokedAt: ms('revoked_at'),
  },
  (t) => [index('tracking_card_idx').on(t.boardId, t.cardId)],
);

// Drift check: fails to compile, naming the table, when a table here no longer matches tableShapes.ts.
true satisfies MatchesShapes<{
  users: typeof users;
  sessions: typeof sessions;
  boards: typeof boards;
  memberships: typeof memberships;
  invites: typeof invites;
  docUpdates: typeof docUpdates;
  docSnapshots: typeof docSnapshots;
  bookings: typeof bookings;
  bookingIntents: typeof bookingIntents;
  auditLog: typeof auditLog;
  cardPrivate: typeof cardPrivate;
  trackingTokens: typeof trackingTokens;
}>;
