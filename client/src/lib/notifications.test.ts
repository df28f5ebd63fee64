import { describe, expect, it } from 'vitest';
import { emptyCard } from '@delivery-board/schema/boardDoc';
import { openBooking, type Booking } from '@delivery-board/schema/bookings';
import { bookingNotices, cardChangeNotice, changedFields, type NoticeContext } from './notifications.ts';

const b = (cardId: string, patch: Partial<Booking>): Booking => ({ ...openBooking(cardId), at: 1000, version: 1, ...patch });
const ctx = (over: Partial<NoticeContext> = {}): NoticeContext => ({
  meId: 'me',
  cardFor: (id) => ({ title: id === 'mine' ? 'Weekly box' : 'Other box', createdBy: id === 'mine' ? 'me' : 'someone' }),
  actedByMe: () => false,
  since: 0,
  ...over,
});

describe('bookingNotices', () => {
  it('tells the author when their card is claimed, picked up or delivered by someone else', () => {
    const claimed = b('mine', { status: 'claimed', driverId: 'sam', driverName: 'Sam Okafor', version: 2 });
    expect(bookingNotices([{ cardId: 'mine', before: null, after: claimed }], ctx())).toEqual([
      { key: 'mine:2', cardId: 'mine', title: 'Your request was claimed', body: 'Sam Okafor claimed “Weekly box”.' },
    ]);
    const delivered = { ...claimed, status: 'delivered' as const, version: 4 };
    expect(bookingNotices([{ cardId: 'mine', before: claimed, after: delivered }], ctx())[0].body).toBe('Sam Okafor delivered “Weekly box”.');
    // Not for other people's cards, and not when I claimed my own card.
    expect(bookingNotices([{ cardId: 'other', before: null, after: { ...claimed, cardId: 'other' } }], ctx())).toEqual([]);
    expect(bookingNotices([{ cardId: 'mine', before: null, after: { ...claimed, driverId: 'me' } }], ctx({ actedByMe: () => true }))).toEqual([]);
  });

  it('tells a driver they were assigned a card, or that a card they hold was cancelled or released', () => {
    const assigned = b('other', { status: 'claimed', driverId: 'me', driverName: 'Me', version: 2 });
    expect(bookingNotices([{ cardId: 'other', before: b('other', {}), after: assigned }], ctx())[0].title).toBe('You were assigned a delivery');
    // My own claim is not news to me.
    expect(bookingNotices([{ cardId: 'other', before: null, after: assigned }], ctx({ actedByMe: () => true }))).toEqual([]);
    const cancelled = { ...assigned, status: 'cancelled' as const, version: 3 };
    expect(bookingNotices([{ cardId: 'other', before: assigned, after: cancelled }], ctx())[0]).toMatchObject({
      title: 'A delivery you hold was cancelled',
      body: '“Other box” was cancelled.',
    });
    // The card was deleted (the server cancels it after): named by its last version, said plainly.
    const gone = ctx({ cardFor: () => undefined, removedCard: () => ({ title: 'Nappies and formula' }) });
    expect(bookingNotices([{ cardId: 'other', before: assigned, after: cancelled }], gone)).toEqual([
      { key: 'other:deleted', cardId: 'other', title: 'A delivery you hold was deleted', body: '“Nappies and formula” was removed from the board.' },
    ]);
    const released = { ...assigned, status: 'open' as const, driverId: null, driverName: null, version: 3 };
    expect(bookingNotices([{ cardId: 'other', before: assigned, after: released }], ctx())[0].body).toBe('You no longer hold “Other box”.');
  });

  it('says nothing of changes I made on another device (the booking names who made it)', () => {
    // On this device nothing is under way (actedByMe false): the phone did it.
    const claimedOnPhone = b('other', { status: 'claimed', driverId: 'me', driverName: 'Me', byId: 'me', version: 2 });
    expect(bookingNotices([{ cardId: 'other', before: b('other', {}), after: claimedOnPhone }], ctx())).toEqual([]);
    const releasedOnPhone = { ...claimedOnPhone, status: 'open' as const, driverId: null, driverName: null, version: 3 };
    expect(bookingNotices([{ cardId: 'other', before: claimedOnPhone, after: releasedOnPhone }], ctx())).toEqual([]);
    const cancelledOnPhone = b('mine', { status: 'cancelled', byId: 'me', version: 3 });
    expect(bookingNotices([{ cardId: 'mine', before: claimedOnPhone, after: cancelledOnPhone }], ctx())).toEqual([]);
    // The same changes by a coordinator are news.
    const assignedByCora = { ...claimedOnPhone, byId: 'cora' };
    expect(bookingNotices([{ cardId: 'other', before: b('other', {}), after: assignedByCora }], ctx())[0].title).toBe('You were assigned a delivery');
    expect(bookingNotices([{ cardId: 'other', before: assignedByCora, after: { ...releasedOnPhone, byId: 'cora' } }], ctx())[0].title).toBe('A delivery was taken off you');
  });

  it('ignores old decisions, unchanged states and signed-out users', () => {
    const claimed = b('mine', { status: 'claimed', driverId: 'sam', driverName: 'Sam', at: 500 });
    expect(bookingNotices([{ cardId: 'mine', before: null, after: claimed }], ctx({ since: 1000 }))).toEqual([]);
    expect(bookingNotices([{ cardId: 'mine', before: claimed, after: { ...claimed, version: 9 } }], ctx())).toEqual([]);
    expect(bookingNotices([{ cardId: 'mine', before: null, after: claimed }], ctx({ meId: null }))).toEqual([]);
  });
});

describe('card changes', () => {
  const before = { ...emptyCard('c', 'a', 1), title: 'Box', pickup: { label: 'Hall', lat: null, lng: null } };
  const held = b('c', { status: 'claimed', driverId: 'me' });
  it('names the changed fields of a card I hold', () => {
    const after = { ...before, pickup: { label: 'Church', lat: null, lng: null }, windowStart: '2025-06-01T10:00', windowEnd: '2025-06-01T12:00' };
    expect(changedFields(before, after)).toEqual(['pickup', 'time window']);
    expect(cardChangeNotice(before, after, held, 'me')).toEqual({ key: 'c:changed', cardId: 'c', title: 'A delivery you hold was changed', body: '“Box”: pickup, time window changed.' });
    expect(cardChangeNotice(before, null, held, 'me')?.title).toBe('A delivery you hold was deleted');
  });
  it('says nothing for cards I do not hold or edits that changed nothing', () => {
    expect(cardChangeNotice(before, { ...before, title: 'New' }, openBooking('c'), 'me')).toBeNull();
    expect(cardChangeNotice(before, { ...before }, held, 'me')).toBeNull();
  });
});
