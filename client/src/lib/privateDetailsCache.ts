/**
 * A driver's copy of the private details of cards they hold, for the doorstep with no signal: the
 * door code and phone number are what they need most where the network is worst. Kept in
 * localStorage under the app's device prefix, so signing out deletes it with everything else
 * (clearBoardStores.ts); forgotten as soon as the device learns that the driver no longer holds the
 * card, whoever ended the hold (their own delivery, release or cancel, queued offline or not; a
 * coordinator's release, cancel, reassignment or deletion; see forgetUnlessHeld), when the server
 * says they may not read them, when they lose access to the board, and after MAX_AGE_MS in any case.
 */
import { holds, type Booking } from '@delivery-board/schema/bookings';
import type { PrivateDetails } from './api.ts';
import { DEVICE_KEY_PREFIX } from './clearBoardStores.ts';

/** A week: long enough for any delivery, short enough that a forgotten entry does not linger. */
export const MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

export interface CachedPrivateDetails {
  details: PrivateDetails;
  /** When this device last read them from the server (ms). */
  savedAt: number;
}

const keyOf = (userId: string, boardId: string, cardId: string) => `${DEVICE_KEY_PREFIX}private:${userId}:${boardId}:${cardId}`;
const defaultStorage = (): Storage | null => globalThis.localStorage ?? null;

export function rememberPrivateDetails(userId: string, boardId: string, cardId: string, details: PrivateDetails, now = Date.now(), storage = defaultStorage()): void {
  try {
    storage?.setItem(keyOf(userId, boardId, cardId), JSON.stringify({ details, savedAt: now } satisfies CachedPrivateDetails));
  } catch {
    // storage full or disabled: the details are simply not available offline
  }
}

export function forgetPrivateDetails(userId: string, boardId: string, cardId: string, storage = defaultStorage()): void {
  try {
    storage?.removeItem(keyOf(userId, boardId, cardId));
  } catch {
    // storage disabled: nothing was kept
  }
}

/** The cards of `boardId` whose details this device keeps for `userId`. */
export function keptCardIds(userId: string, boardId: string, storage = defaultStorage()): string[] {
  const prefix = keyOf(userId, boardId, '');
  const ids: string[] = [];
  try {
    for (let i = 0; i < (storage?.length ?? 0); i++) {
      const key = storage!.key(i);
      if (key?.startsWith(prefix)) ids.push(key.slice(prefix.length));
    }
  } catch {
    // storage disabled: nothing kept
  }
  return ids;
}

/** Forgets the copy of `cardId` unless `booking` (its latest known, null: none) has `userId` holding it. */
export function forgetUnlessHeld(userId: string, boardId: string, cardId: string, booking: Booking | null, storage = defaultStorage()): void {
  if (!booking || !holds(booking, userId)) forgetPrivateDetails(userId, boardId, cardId, storage);
}

/** Forgets every copy of `boardId` (the user lost access to it, or it was deleted). */
export function forgetBoardPrivateDetails(userId: string, boardId: string, storage = defaultStorage()): void {
  for (const cardId of keptCardIds(userId, boardId, storage)) forgetPrivateDetails(userId, boardId, cardId, storage);
}

/** The copy this device holds, or null (none, unreadable, or older than MAX_AGE_MS: then deleted). */
export function recallPrivateDetails(userId: string, boardId: string, cardId: string, now = Date.now(), storage = defaultStorage()): CachedPrivateDetails | null {
  try {
    const raw = storage?.getItem(keyOf(userId, boardId, cardId));
    if (!raw) return null;
    const cached = JSON.parse(raw) as Partial<CachedPrivateDetails>;
    const d = cached.details;
    const valid =
      typeof cached.savedAt === 'number' &&
      now - cached.savedAt <= MAX_AGE_MS &&
      !!d &&
      typeof d.recipientName === 'string' &&
      typeof d.phone === 'string' &&
      typeof d.accessNotes === 'string';
    if (!valid) {
      forgetPrivateDetails(userId, boardId, cardId, storage);
      return null;
    }
    return cached as CachedPrivateDetails;
  } catch {
    return null;
  }
}
