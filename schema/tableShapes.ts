/**
 * The row shape of every table, shared by both dialects (schema/sqlite.ts and schema/pg.ts). Each
 * dialect ends with `true satisfies MatchesShapes<{...its tables}>`: a column added, dropped,
 * renamed, retyped, made nullable or given a default in one dialect only fails the type check
 * there, naming the table. The stores are written against these row types, so both dialects must
 * hand them the same values.
 */
import type { Role } from './types.ts';
import type { BookingStatus } from './bookings.ts';

/** Row types as drizzle reads them (`$inferSelect`). Times are unix milliseconds. */
export interface TableShapes {
  users: { id: string; email: string; name: string; passwordHash: string; createdAt: number };
  sessions: { id: string; userId: string; expiresAt: number; createdAt: number };
  boards: { id: string; name: string; createdBy: string; createdAt: number };
  memberships: { boardId: string; userId: string; role: Role; createdAt: number };
  invites: {
    id: string;
    boardId: string;
    tokenHash: string;
    role: Role;
    createdBy: string;
    createdAt: number;
    expiresAt: number;
    maxUses: number | null;
    uses: number;
    revokedAt: number | null;
  };
  docUpdates: { seq: number; docName: string; update: Buffer; createdAt: number };
  docSnapshots: { docName: string; snapshot: Buffer; upToSeq: number; updatedAt: number };
  bookings: { boardId: string; cardId: string; status: BookingStatus; driverId: string | null; driverName: string | null; byId: string | null; version: number; at: number };
  bookingIntents: { userId: string; intentId: string; boardId: string; cardId: string; action: string; status: number; response: string; createdAt: number };
  auditLog: {
    id: number;
    boardId: string;
    cardId: string | null;
    actorId: string | null;
    actorName: string | null;
    action: string;
    fromStatus: string | null;
    toStatus: string | null;
    note: string | null;
    data: string | null;
    at: number;
  };
  cardPrivate: { boardId: string; cardId: string; recipientName: string; phone: string; accessNotes: string; updatedBy: string; updatedAt: number };
  trackingTokens: { id: string; tokenHash: string; boardId: string; cardId: string; createdBy: string; createdAt: number; revokedAt: number | null };
}

/** Non-null columns the database fills when an insert leaves them out (defaults, generated ids). */
export interface TableDefaults {
  users: never;
  sessions: never;
  boards: never;
  memberships: never;
  invites: 'uses';
  docUpdates: 'seq';
  docSnapshots: never;
  bookings: never;
  bookingIntents: never;
  auditLog: 'id';
  cardPrivate: 'recipientName' | 'phone' | 'accessNotes';
  trackingTokens: never;
}

export type TableName = keyof TableShapes;

type NullableKeys<R> = { [K in keyof R]-?: null extends R[K] ? K : never }[keyof R];
/** What drizzle's `$inferInsert` should be: nullable and defaulted columns optional, the rest required. */
type InsertShape<R, D extends PropertyKey> = { [K in Exclude<keyof R, NullableKeys<R> | D>]: R[K] } & { [K in (NullableKeys<R> | D) & keyof R]?: R[K] };
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

type Drifted<T extends Record<TableName, { $inferSelect: unknown; $inferInsert: unknown }>> = {
  [K in TableName]: Same<T[K]['$inferSelect'], TableShapes[K]> extends true
    ? Same<T[K]['$inferInsert'], InsertShape<TableShapes[K], TableDefaults[K]>> extends true
      ? never
      : K
    : K;
}[TableName];

/** `true` when every table matches its shape; otherwise `"drifted: <table>"` strings, so `true satisfies` fails naming them. */
export type MatchesShapes<T extends Record<TableName, { $inferSelect: unknown; $inferInsert: unknown }>> = [Drifted<T>] extends [never]
  ? true
  : `drifted: ${Drifted<T>}`;
