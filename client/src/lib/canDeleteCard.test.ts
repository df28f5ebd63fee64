import { describe, expect, it } from 'vitest';
import { openBooking, type Booking, type BookingStatus } from '@delivery-board/schema/bookings';
import { canDeleteCard } from './canDeleteCard.ts';

const card = { createdBy: 'u-req' };
const booking = (status: BookingStatus, driverId: string | null = status === 'open' ? null : 'u-drv'): Booking => ({ ...openBooking('c1'), status, driverId });

describe('canDeleteCard', () => {
  it('lets a coordinator delete any card, whatever its booking', () => {
    for (const status of ['open', 'claimed', 'picked_up', 'delivered', 'cancelled'] as const) {
      expect(canDeleteCard('coordinator', 'u-coord', card, booking(status))).toBe(true);
    }
    expect(canDeleteCard('coordinator', 'u-coord', card, undefined)).toBe(true);
  });

  it('never lets a driver or a viewer delete, not even a card they created or hold', () => {
    expect(canDeleteCard('driver', 'u-drv', { createdBy: 'u-drv' }, booking('open'))).toBe(false);
    expect(canDeleteCard('driver', 'u-drv', card, booking('claimed', 'u-drv'))).toBe(false);
    expect(canDeleteCard('driver', 'u-other', card, booking('claimed', 'u-drv'))).toBe(false);
    expect(canDeleteCard('viewer', 'u-req', card, booking('open'))).toBe(false);
  });

  it('lets a requester delete their own card only while nobody holds it', () => {
    expect(canDeleteCard('requester', 'u-req', card, booking('open'))).toBe(true);
    expect(canDeleteCard('requester', 'u-req', card, booking('cancelled', null))).toBe(true);
    expect(canDeleteCard('requester', 'u-req', card, booking('claimed'))).toBe(false);
    expect(canDeleteCard('requester', 'u-req', card, booking('picked_up'))).toBe(false);
    expect(canDeleteCard('requester', 'u-req', card, booking('delivered'))).toBe(false);
    // Someone else's request, an unknown user, an unknown booking or role: no.
    expect(canDeleteCard('requester', 'u-other', card, booking('open'))).toBe(false);
    expect(canDeleteCard('requester', null, card, booking('open'))).toBe(false);
    expect(canDeleteCard('requester', 'u-req', card, undefined)).toBe(false);
    expect(canDeleteCard(undefined, 'u-req', card, booking('open'))).toBe(false);
  });
});
