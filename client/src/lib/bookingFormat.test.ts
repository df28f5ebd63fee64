import { describe, expect, it } from 'vitest';
import { openBooking, type Actor, type Booking } from '@delivery-board/schema/bookings';
import {
  availableActions,
  conflictMessage,
  formatWhen,
  matchesStatusFilter,
  myDeliveries,
  newerBooking,
  readBooking,
  statusText,
  timelineText,
} from './bookingFormat.ts';

const at = new Date(2025, 5, 3, 14, 2).getTime();
const now = new Date(2025, 5, 3, 18, 0).getTime();
const booking = (over: Partial<Booking>): Booking => ({ ...openBooking('c1'), ...over });
const sam = { driverId: 'sam', driverName: 'Sam Okafor' };
const driver: Actor = { userId: 'lena', name: 'Lena', role: 'driver' };
const coordinator: Actor = { userId: 'amira', name: 'Amira', role: 'coordinator' };
const requester: Actor = { userId: 'rita', name: 'Rita', role: 'requester' };
const viewer: Actor = { userId: 'vic', name: 'Vic', role: 'viewer' };

describe('readBooking', () => {
  it('reads a well-formed entry and treats junk as open', () => {
    const b = { cardId: 'c1', status: 'claimed', driverId: 'sam', driverName: 'Sam', byId: 'sam', at: 5, version: 2 };
    expect(readBooking('c1', b)).toEqual(b);
    // Written before bookings named who made them.
    expect(readBooking('c1', { ...b, byId: undefined })).toEqual({ ...b, byId: null });
    expect(readBooking('c1', { status: 'flying', version: 'x' })).toEqual(openBooking('c1'));
    expect(readBooking('c1', null)).toEqual(openBooking('c1'));
  });
  it('keeps the higher version of two views', () => {
    const a = booking({ status: 'claimed', version: 1 });
    const b = booking({ status: 'picked_up', version: 2 });
    expect(newerBooking(a, b)).toBe(b);
    expect(newerBooking(b, a)).toBe(b);
    expect(newerBooking(undefined, a)).toBe(a);
  });
});

describe('statusText', () => {
  it('names the driver, or "you"', () => {
    expect(statusText(openBooking('c1'), 'lena')).toBe('Open');
    expect(statusText(booking({ status: 'claimed', ...sam }), 'lena')).toBe('Claimed by Sam Okafor');
    expect(statusText(booking({ status: 'picked_up', ...sam }), 'sam')).toBe('Picked up by you');
    expect(statusText(booking({ status: 'delivered', ...sam }), null)).toBe('Delivered by Sam Okafor');
    expect(statusText(booking({ status: 'cancelled' }), 'sam')).toBe('Cancelled');
  });
});

describe('status filter', () => {
  const ctx = { userId: 'sam', role: 'driver' as const, createdBy: 'amira' };
  it('matches a status, everything, or "mine" per role', () => {
    const claimed = booking({ status: 'claimed', ...sam });
    expect(matchesStatusFilter(claimed, 'all', ctx)).toBe(true);
    expect(matchesStatusFilter(claimed, 'claimed', ctx)).toBe(true);
    expect(matchesStatusFilter(claimed, 'open', ctx)).toBe(false);
    expect(matchesStatusFilter(claimed, 'mine', ctx)).toBe(true);
    expect(matchesStatusFilter(claimed, 'mine', { ...ctx, userId: 'lena' })).toBe(false);
    expect(matchesStatusFilter(booking({ status: 'delivered', ...sam }), 'mine', ctx)).toBe(true);
    // A requester's "mine" is what they posted.
    expect(matchesStatusFilter(openBooking('c1'), 'mine', { userId: 'amira', role: 'requester', createdBy: 'amira' })).toBe(true);
  });
  it('splits my deliveries into held (picked up first) and delivered (newest first)', () => {
    const items = [
      { id: 'a', booking: booking({ status: 'claimed', ...sam, at: 1 }) },
      { id: 'b', booking: booking({ status: 'picked_up', ...sam, at: 5 }) },
      { id: 'c', booking: booking({ status: 'delivered', ...sam, at: 2 }) },
      { id: 'd', booking: booking({ status: 'delivered', ...sam, at: 9 }) },
      { id: 'e', booking: booking({ status: 'claimed', driverId: 'lena', driverName: 'Lena', at: 1 }) },
      { id: 'f', booking: openBooking('f') },
    ];
    const { active, delivered } = myDeliveries(items, 'sam');
    expect(active.map((i) => i.id)).toEqual(['b', 'a']);
    expect(delivered.map((i) => i.id)).toEqual(['d', 'c']);
  });
});

describe('availableActions (decide)', () => {
  it('offers claim to drivers and coordinators on an open card; assign to coordinators', () => {
    expect(availableActions(openBooking('c1'), driver, 'amira')).toEqual(['claim']);
    expect(availableActions(openBooking('c1'), coordinator, 'amira')).toEqual(['claim', 'assign', 'cancel']);
    expect(availableActions(openBooking('c1'), viewer, 'amira')).toEqual([]);
  });
  it('offers neither claim nor assign on a card with no title yet (the server would refuse them)', () => {
    expect(availableActions(openBooking('c1'), driver, 'amira', false)).toEqual([]);
    expect(availableActions(openBooking('c1'), coordinator, 'amira', false)).toEqual(['cancel']);
  });
  it('offers the holder pickup/release, then deliver/release; others nothing', () => {
    const claimed = booking({ status: 'claimed', driverId: 'lena', driverName: 'Lena' });
    expect(availableActions(claimed, driver, 'amira')).toEqual(['release', 'pickup']);
    expect(availableActions({ ...claimed, status: 'picked_up' }, driver, 'amira')).toEqual(['release', 'deliver']);
    expect(availableActions(booking({ status: 'claimed', ...sam }), driver, 'amira')).toEqual([]);
    expect(availableActions(claimed, coordinator, 'amira')).toEqual(['release', 'cancel']);
  });
  it('lets the requester who posted the card cancel it, and coordinators reopen', () => {
    expect(availableActions(openBooking('c1'), requester, 'rita')).toEqual(['cancel']);
    expect(availableActions(openBooking('c1'), requester, 'amira')).toEqual([]);
    expect(availableActions(booking({ status: 'cancelled' }), coordinator, 'amira')).toEqual(['reopen']);
    expect(availableActions(booking({ status: 'delivered', ...sam }), coordinator, 'amira')).toEqual([]);
  });
});

describe('messages', () => {
  it('formats times as today’s clock time or a short date', () => {
    expect(formatWhen(at, now, 'en-GB')).toBe('14:02');
    expect(formatWhen(at, new Date(2025, 5, 5).getTime(), 'en-GB')).toBe('3 Jun, 14:02');
  });
  it('says plainly who holds a card on a 409', () => {
    expect(conflictMessage(booking({ status: 'claimed', ...sam, at }), 'lena', now, 'en-GB')).toBe('Already claimed by Sam Okafor at 14:02');
    expect(conflictMessage(booking({ status: 'cancelled', at }), 'lena', now, 'en-GB')).toBe('This delivery was cancelled at 14:02');
    expect(conflictMessage(booking({ status: 'claimed', driverId: 'lena', driverName: 'Lena', at }), 'lena', now, 'en-GB')).toBe('Already claimed by you at 14:02');
  });
  it('turns timeline rows into sentences', () => {
    expect(timelineText({ action: 'booking.claim', actorName: 'Sam Okafor' })).toBe('Sam Okafor claimed it');
    expect(timelineText({ action: 'card.created', actorName: null })).toBe('Someone posted the card');
    expect(timelineText({ action: 'weird.thing', actorName: 'Amira' })).toBe('Amira weird thing');
  });
  it('says whom a card was assigned to, or "a driver" when the row has no name', () => {
    expect(timelineText({ action: 'booking.assign', actorName: 'Amira Haddad', driverName: 'Sam Okafor' })).toBe('Amira Haddad assigned it to Sam Okafor');
    expect(timelineText({ action: 'booking.assign', actorName: 'Amira Haddad', driverName: null })).toBe('Amira Haddad assigned it to a driver');
    expect(timelineText({ action: 'booking.assign', actorName: 'Amira Haddad', driverName: '  ' })).toBe('Amira Haddad assigned it to a driver');
    expect(timelineText({ action: 'booking.assign', actorName: 'Amira Haddad' })).toBe('Amira Haddad assigned it to a driver');
  });
});
