/**
 * One board's bookings document: written by the server alone after each committed transition,
 * synced here read-only from `/sync/<boardId>/bookings` and kept on this device as
 * `bookings:<boardId>`, so statuses show offline too. Exposes the bookings as a Solid store; a
 * card with no entry is open.
 *
 * Answers to this client's own transition requests carry the resulting booking; `note()` shows
 * them at once instead of waiting for the document update (the higher version always wins, so the
 * two paths cannot disagree for long).
 */
import { batch, onCleanup } from 'solid-js';
import { createStore, produce } from 'solid-js/store';
import type * as Y from 'yjs';
import { openBooking, type Booking } from '@delivery-board/schema/bookings';
import { newerBooking, readBooking } from './bookingFormat.ts';
import { createSyncedDoc, type SyncedDoc } from './createSyncedDoc.ts';

export interface BookingsDoc extends Omit<SyncedDoc, 'provider'> {
  /** The booking of one card (open, version 0, when it has none). Tracks that card only. */
  get(cardId: string): Booking;
  /** Records a booking the server sent in an HTTP answer, if it is newer than what we have. */
  note(booking: Booking): void;
  /** Calls `listener` with the card ids whose booking changed (for incremental views and notices). */
  subscribe(listener: (changes: BookingChange[]) => void): () => void;
}

/** One card's booking before and after a change (`before` null: the card had no entry). */
export interface BookingChange {
  cardId: string;
  before: Booking | null;
  after: Booking | null;
}

/** The IndexedDB database holding a bookings document's device copy. */
export const bookingsStoreName = (boardId: string) => `bookings:${boardId}`;

export function bookingsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>('bookings');
}

/** Creates the bookings doc and its store; destroyed with the owner. */
export function createBookingsDoc(boardId: string, opts: { syncUrl?: string; persist?: boolean } = {}): BookingsDoc {
  const synced = createSyncedDoc({ ...opts, room: `${boardId}/bookings`, storeName: bookingsStoreName(boardId) });
  const map = bookingsMap(synced.doc);
  const [byId, setById] = createStore<Record<string, Booking>>({});
  const listeners = new Set<(changes: BookingChange[]) => void>();
  const emit = (changes: BookingChange[]) => {
    if (changes.length) for (const listener of listeners) listener(changes);
  };

  /** Stores `next` if newer; returns the change, or null when nothing changed. */
  const put = (cardId: string, next: Booking): BookingChange | null => {
    const cur = byId[cardId];
    if (newerBooking(cur, next) === cur) return null;
    const before = cur ? { ...cur } : null;
    setById(cardId, next);
    return { cardId, before, after: next };
  };
  const readAll = () => batch(() => map.forEach((raw, cardId) => put(cardId, readBooking(cardId, raw))));
  readAll();

  const onChange = (event: Y.YMapEvent<unknown>) => {
    const changes: BookingChange[] = [];
    // One batch: many bookings at once (a first sync) must not re-run views per booking.
    batch(() => {
      for (const [cardId, change] of event.changes.keys) {
        if (change.action === 'delete') {
          const before = byId[cardId] ? { ...byId[cardId] } : null;
          setById(
            produce((all) => {
              delete all[cardId];
            }),
          );
          changes.push({ cardId, before, after: null });
        } else {
          const c = put(cardId, readBooking(cardId, map.get(cardId)));
          if (c) changes.push(c);
        }
      }
    });
    emit(changes);
  };
  map.observe(onChange);
  onCleanup(() => map.unobserve(onChange));

  const { provider: _provider, ...rest } = synced;
  return {
    ...rest,
    get: (cardId) => byId[cardId] ?? openBooking(cardId),
    note: (booking) => {
      const c = put(booking.cardId, booking);
      if (c) emit([c]);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
