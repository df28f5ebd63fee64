import { describe, expect, it, vi } from 'vitest';

// Node resolves solid-js to its server build, where signals do not propagate: use the browser build.
// @ts-expect-error the file has no type declarations of its own (same API as 'solid-js')
vi.mock('solid-js', () => import('solid-js/dist/solid.js'));

import { createRoot, createSignal } from 'solid-js';
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { boardRoots, createCard, setCardField } from '@delivery-board/schema/boardDoc';
import { openBooking, type Booking } from '@delivery-board/schema/bookings';
import type { BookingChange } from './createBookingsDoc.ts';
import { createNotifier } from './createNotifier.ts';
import type { Notice } from './notifications.ts';

describe('createNotifier', () => {
  it('ignores what the bookings device copy replays while loading, and tells what arrives after', () => {
    const doc = new Y.Doc();
    const cardId = createCard(doc, { title: 'Weekly box' }, 'amira');
    const listeners = new Set<(changes: BookingChange[]) => void>();
    const emit = (changes: BookingChange[]) => listeners.forEach((l) => l(changes));
    const shown: Notice[] = [];
    const [loaded, setLoaded] = createSignal(false);
    // A device that last looked long ago: every booking decided since would be news.
    const storage = { getItem: () => '1', setItem: () => {} } as unknown as Storage;

    createRoot((dispose) => {
      createNotifier({
        boardId: 'b1',
        doc,
        meId: 'amira',
        bookingFor: (id) => openBooking(id),
        subscribeBookings: (l) => (listeners.add(l), () => listeners.delete(l)),
        bookingsLoaded: loaded,
        actedByMe: () => false,
        show: (n) => shown.push(n),
        storage,
      });
      const claimed: Booking = { ...openBooking(cardId), status: 'claimed', driverId: 'sam', driverName: 'Sam Okafor', at: Date.now(), version: 2 };
      // The device copy loading: this device saw the claim last time.
      emit([{ cardId, before: null, after: claimed }]);
      expect(shown).toEqual([]);

      setLoaded(true);
      emit([{ cardId, before: claimed, after: { ...claimed, status: 'picked_up', version: 3 } }]);
      expect(shown.map((n) => n.body)).toEqual(['Sam Okafor picked up “Weekly box”.']);
      dispose();
    });
  });

  it("names a held card that was deleted in the notice of the server's cancel that follows", () => {
    const doc = new Y.Doc();
    const cardId = createCard(doc, { title: 'Nappies and formula' }, 'amira');
    const listeners = new Set<(changes: BookingChange[]) => void>();
    const shown: Notice[] = [];
    const claimed: Booking = { ...openBooking(cardId), status: 'claimed', driverId: 'sam', driverName: 'Sam Okafor', byId: 'sam', at: Date.now(), version: 2 };
    let booking = claimed;
    createRoot((dispose) => {
      createNotifier({
        boardId: 'b1',
        doc,
        meId: 'sam',
        bookingFor: () => booking,
        subscribeBookings: (l) => (listeners.add(l), () => listeners.delete(l)),
        bookingsLoaded: () => true,
        actedByMe: () => false,
        show: (n) => shown.push(n),
        storage: null,
      });
      // A coordinator deletes the card; then the server's cancel arrives.
      boardRoots(doc).cards.delete(cardId);
      booking = { ...claimed, status: 'cancelled', driverId: null, driverName: null, byId: 'amira', at: Date.now(), version: 3 };
      listeners.forEach((l) => l([{ cardId, before: claimed, after: booking }]));
      expect(shown).toEqual([
        { key: `${cardId}:deleted`, cardId, title: 'A delivery you hold was deleted', body: '“Nappies and formula” was removed from the board.' },
      ]);
      dispose();
    });
  });

  it("tells a driver about others' edits of a card they hold, not about their own from another device", () => {
    vi.useFakeTimers();
    try {
      // This device (Sam's laptop), Sam's phone and Amira's laptop, each with its own copy of the board.
      const laptop = new Y.Doc();
      const phone = new Y.Doc();
      const amira = new Y.Doc();
      const cardId = createCard(amira, { title: 'Weekly box' }, 'amira');
      const fromNetwork = { ws: null }; // a transaction origin like WebsocketProvider's
      const sync = (from: Y.Doc, to: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), fromNetwork);
      sync(amira, laptop);
      sync(amira, phone);
      // Presence as the server relays it: each state names its user.
      const presence = new Awareness(laptop);
      for (const [doc, user] of [
        [phone, 'sam'],
        [amira, 'amira'],
      ] as const) {
        const theirs = new Awareness(doc);
        theirs.setLocalState({ user: { id: user } });
        applyAwarenessUpdate(presence, encodeAwarenessUpdate(theirs, [doc.clientID]), fromNetwork);
      }
      const shown: Notice[] = [];
      const held: Booking = { ...openBooking(cardId), status: 'claimed', driverId: 'sam', driverName: 'Sam Okafor', byId: 'sam', at: 1, version: 2 };
      createRoot((dispose) => {
        createNotifier({
          boardId: 'b1',
          doc: laptop,
          meId: 'sam',
          bookingFor: () => held,
          subscribeBookings: () => () => {},
          bookingsLoaded: () => true,
          actedByMe: () => false,
          show: (n) => shown.push(n),
          storage: null,
          awareness: presence,
        });
        setCardField(phone, cardId, 'notes', 'Left at the side door');
        sync(phone, laptop);
        vi.advanceTimersByTime(10_000);
        expect(shown).toEqual([]);

        sync(laptop, amira);
        setCardField(amira, cardId, 'notes', 'Ring twice');
        sync(amira, laptop);
        vi.advanceTimersByTime(10_000);
        expect(shown.map((n) => n.body)).toEqual(['“Weekly box”: notes changed.']);
        dispose();
      });
    } finally {
      vi.useRealTimers();
    }
  });
});
