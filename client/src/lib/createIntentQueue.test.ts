import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// Node resolves solid-js to its server build, where signals do not propagate: use the browser build.
// @ts-expect-error the file has no type declarations of its own (same API as 'solid-js')
vi.mock('solid-js', () => import('solid-js/dist/solid.js'));

import { createRoot } from 'solid-js';
import * as Y from 'yjs';
import { createCard } from '@delivery-board/schema/boardDoc';
import { openBooking, type Booking } from '@delivery-board/schema/bookings';
import type { Api } from './api.ts';
import type { BookingChange } from './createBookingsDoc.ts';
import { createIntentQueue, type IntentQueue } from './createIntentQueue.ts';
import { createNotifier } from './createNotifier.ts';
import type { QueuedIntent } from './intentQueue.ts';
import { makeMemoryIntentStore } from './intentStore.ts';
import type { Notice } from './notifications.ts';
import { recallPrivateDetails, rememberPrivateDetails } from './privateDetailsCache.ts';
import { memoryStorage } from '../testing/memoryStorage.ts';

/** A transition endpoint whose answers the test gives, one request at a time. */
function fakeApi() {
  const waiting: ((booking: Booking) => void)[] = [];
  const api = {
    transition: () => new Promise<{ booking: Booking }>((resolve) => waiting.push((booking) => resolve({ booking }))),
  } as unknown as Api;
  return { api, answer: (booking: Booking) => waiting.shift()!(booking), waiting: () => waiting.length };
}

/** The bookings document as the notifier sees it: the newer version wins, changes go to listeners. */
function fakeBookings() {
  const byId = new Map<string, Booking>();
  const listeners = new Set<(changes: BookingChange[]) => void>();
  const put = (b: Booking) => {
    const before = byId.get(b.cardId) ?? null;
    if (before && before.version >= b.version) return;
    byId.set(b.cardId, b);
    listeners.forEach((l) => l([{ cardId: b.cardId, before, after: b }]));
  };
  return {
    get: (id: string) => byId.get(id) ?? openBooking(id),
    put,
    subscribe: (l: (changes: BookingChange[]) => void) => (listeners.add(l), () => listeners.delete(l)),
  };
}

const sam = { id: 'sam', name: 'Sam Okafor' };
const claimedBySam = (cardId: string, version = 1): Booking => ({ cardId, status: 'claimed', driverId: 'sam', driverName: 'Sam Okafor', byId: 'sam', at: Date.now(), version });

beforeEach(() => {
  // The queue listens for `online` on window; node has none.
  vi.stubGlobal('window', new EventTarget());
});
afterEach(() => vi.unstubAllGlobals());

describe('private details kept on the device', () => {
  it('go when a queued delivery is replayed and accepted; a won claim keeps them', async () => {
    vi.stubGlobal('localStorage', memoryStorage());
    const details = { recipientName: 'Mrs Ng', phone: '+44 20 7946 0000', accessNotes: 'Door code 1942', updatedBy: 'u1', updatedAt: 1 };
    rememberPrivateDetails('sam', 'b1', 'c1', details);
    rememberPrivateDetails('sam', 'b1', 'c2', details);
    const { api, answer, waiting } = fakeApi();
    const store = makeMemoryIntentStore();
    // Delivered at the doorstep with no signal: queued, sent once the network is back.
    await store.put({ boardId: 'b1', cardId: 'c1', action: 'deliver', intentId: 'intent-0001', userId: 'sam', cardTitle: 'Box', createdAt: 1, seq: 1 });
    let queue!: IntentQueue;
    const dispose = createRoot((dispose) => {
      queue = createIntentQueue({ api, user: () => sam, store, notify: () => {}, isOnline: () => true });
      queue.attachBoard('b1', { synced: () => true, cardTitle: () => 'Box' });
      return dispose;
    });
    await vi.waitFor(() => expect(waiting()).toBe(1));
    expect(recallPrivateDetails('sam', 'b1', 'c1')).not.toBeNull();
    answer({ ...claimedBySam('c1', 3), status: 'delivered' });
    await vi.waitFor(() => expect(queue.pending()).toEqual([]));
    expect(recallPrivateDetails('sam', 'b1', 'c1')).toBeNull();
    // Still holding c2 (claimed again, say): its copy stays.
    const done = queue.submit({ boardId: 'b1', cardId: 'c2', action: 'claim', cardTitle: 'Box' });
    await vi.waitFor(() => expect(waiting()).toBe(1));
    answer(claimedBySam('c2'));
    expect((await done).kind).toBe('done');
    expect(recallPrivateDetails('sam', 'b1', 'c2')).not.toBeNull();
    dispose();
  });
});

describe('actedRecently', () => {
  it('covers a request from sending until its answer is shown, and not a moment longer', async () => {
    const { api, answer } = fakeApi();
    const shownWhileActing: boolean[] = [];
    let queue!: IntentQueue;
    const dispose = createRoot((dispose) => {
      queue = createIntentQueue({ api, user: () => sam, store: makeMemoryIntentStore(), notify: () => {}, isOnline: () => true });
      queue.attachBoard('b1', { synced: () => true, cardTitle: () => 'Box', onBooking: () => shownWhileActing.push(queue.actedRecently('b1', 'c1')) });
      return dispose;
    });
    expect(queue.actedRecently('b1', 'c1')).toBe(false);
    const done = queue.submit({ boardId: 'b1', cardId: 'c1', action: 'claim', cardTitle: 'Box' });
    // On its way: the bookings document may bring the claim before the answer does.
    expect(queue.actedRecently('b1', 'c1')).toBe(true);
    expect(queue.actedRecently('b1', 'other')).toBe(false);
    answer(claimedBySam('c1'));
    expect((await done).kind).toBe('done');
    expect(shownWhileActing).toEqual([true]);
    // Answered: from now on changes to the card are others' doing (this was true for 2 minutes).
    expect(queue.actedRecently('b1', 'c1')).toBe(false);
    dispose();
  });

  it('covers a replayed intent until its answer is shown', async () => {
    const { api, answer, waiting } = fakeApi();
    const store = makeMemoryIntentStore();
    const queued: QueuedIntent = { boardId: 'b1', cardId: 'c1', action: 'claim', intentId: 'intent-0001', userId: 'sam', cardTitle: 'Box', createdAt: 1, seq: 1 };
    await store.put(queued);
    const shownWhileActing: boolean[] = [];
    let queue!: IntentQueue;
    const dispose = createRoot((dispose) => {
      queue = createIntentQueue({ api, user: () => sam, store, notify: () => {}, isOnline: () => true });
      queue.attachBoard('b1', { synced: () => true, cardTitle: () => 'Box', onBooking: () => shownWhileActing.push(queue.actedRecently('b1', 'c1')) });
      return dispose;
    });
    await vi.waitFor(() => expect(waiting()).toBe(1));
    expect(queue.actedRecently('b1', 'c1')).toBe(true);
    answer(claimedBySam('c1'));
    await vi.waitFor(() => expect(queue.pending()).toEqual([]));
    expect(shownWhileActing).toEqual([true]);
    expect(queue.actedRecently('b1', 'c1')).toBe(false);
    dispose();
  });

  it('with the notifier (wired as BoardView does): a coordinator’s release seconds after my claim is news, my claim is not', async () => {
    const { api, answer } = fakeApi();
    const bookings = fakeBookings();
    const doc = new Y.Doc();
    const cardId = createCard(doc, { title: 'Weekly box' }, 'amira');
    const shown: Notice[] = [];
    let queue!: IntentQueue;
    const dispose = createRoot((dispose) => {
      queue = createIntentQueue({ api, user: () => sam, store: makeMemoryIntentStore(), notify: () => {}, isOnline: () => true });
      queue.attachBoard('b1', { synced: () => true, cardTitle: () => 'Weekly box', onBooking: bookings.put });
      createNotifier({
        boardId: 'b1',
        doc,
        meId: 'sam',
        bookingFor: bookings.get,
        subscribeBookings: bookings.subscribe,
        bookingsLoaded: () => true,
        actedByMe: (id) => queue.actedRecently('b1', id),
        show: (n) => shown.push(n),
        storage: { getItem: () => '1', setItem: () => {} } as unknown as Storage,
      });
      return dispose;
    });

    // Sam claims: the bookings document brings the claim before the HTTP answer. Not news to him.
    const done = queue.submit({ boardId: 'b1', cardId, action: 'claim', cardTitle: 'Weekly box' });
    bookings.put(claimedBySam(cardId, 1));
    answer(claimedBySam(cardId, 1));
    await done;
    expect(shown).toEqual([]);

    // A coordinator releases it a few seconds later: Sam is told.
    bookings.put({ ...claimedBySam(cardId, 2), status: 'open', driverId: null, driverName: null, byId: 'amira' });
    expect(shown.map((n) => `${n.title}: ${n.body}`)).toEqual(['A delivery was taken off you: You no longer hold “Weekly box”.']);
    dispose();
  });
});
