/** zod validators for every REST body, shared by server (enforcement) and client (early feedback). */
import { z } from 'zod';
import { ROLES } from './types.ts';

export const email = z
  .string()
  .trim()
  .max(254)
  .email()
  .transform((s) => s.toLowerCase());
export const password = z.string().min(8, 'Password must be at least 8 characters').max(256);
/**
 * A one-line name shown to other people (a person's, a board's): no control characters, no
 * bidirectional overrides (they can make a name read as another), no broken UTF-16, and at least
 * one visible character.
 */
const shownName = (max: number, required: string) =>
  z
    .string()
    .trim()
    .min(1, required)
    .max(max)
    .refine((s) => !/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u.test(s), 'Remove control characters from the name')
    .refine((s) => !/\p{Cs}/u.test(s), 'The name is not valid text')
    .refine((s) => /[^\p{White_Space}\p{Cf}]/u.test(s), required);

export const displayName = shownName(80, 'Name is required');
export const role = z.enum(ROLES);

export const registerBody = z.object({ email, password, name: displayName }).strict();
export const loginBody = z.object({ email, password: z.string().min(1).max(256) }).strict();

export const createBoardBody = z.object({ name: shownName(120, 'Board name is required') }).strict();

export const updateMemberBody = z.object({ role }).strict();

export const createInviteBody = z
  .object({
    role,
    expiresInHours: z.number().int().min(1).max(24 * 90).optional(),
    maxUses: z.number().int().min(1).max(10_000).optional(),
  })
  .strict();

/** Path ids: our ids are short url-safe strings. */
export const idParam = z.string().regex(/^[a-z0-9_-]{1,64}$/i, 'Malformed id');
export const tokenParam = z.string().regex(/^[a-z0-9]{16,128}$/i, 'Malformed token');

export const transitionBody = z
  .object({
    action: z.enum(['claim', 'assign', 'release', 'pickup', 'deliver', 'cancel', 'reopen']),
    /** Client-made, unique per request; replays return the original outcome. */
    intentId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'intentId must be 8-64 letters, digits, - or _'),
    note: z.string().trim().max(1000).optional(),
    driverId: z.string().regex(/^[a-z0-9_-]{1,64}$/i).optional(),
  })
  .strict()
  .refine((b) => b.action !== 'assign' || b.driverId !== undefined, { message: 'assign needs a driverId', path: ['driverId'] });

export const privateDetailsBody = z
  .object({
    // Each optional: a field left out keeps its stored value ("" clears it).
    recipientName: z.string().trim().max(120).optional(),
    phone: z.string().trim().max(40).optional(),
    accessNotes: z.string().trim().max(2000).optional(),
  })
  .strict();

export const auditQuery = z.object({
  cardId: z.string().regex(/^[a-z0-9_-]{1,64}$/i).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  format: z.enum(['json', 'csv']).default('json'),
});
