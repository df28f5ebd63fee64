import { describe, expect, it } from 'vitest';
import { openBooking, type Booking } from '@delivery-board/schema/bookings';
import { lostText, outcomeMessage, pendingText, wonText } from './outcomeMessage.ts';

const at = new Date(2025, 5, 3, 14, 2).getTime();
const now = new Date(2025, 5, 3, 15, 30).getTime();
const b = (over: Partial<Booking>): Booking => ({ ...openBooking('c1'), version: 1, at, ...over });
const ctx = { title: 'Weekly grocery box', meId: 'lena', now, locale: 'en-GB', wasOffline: true };
const bySam = { driverId: 'sam', driverName: 'Sam' };

describe('outcome messages', () => {
  it('tells the winner plainly', () => {
    expect(wonText('claim', b({ status: 'claimed', driverId: 'lena', driverName: 'Lena' }), 'Weekly grocery box')).toBe('You claimed Weekly grocery box');
    expect(wonText('assign', b({ status: 'claimed', ...bySam }), 'Rice')).toBe('You assigned Rice to Sam');
    expect(wonText('deliver', b({ status: 'delivered' }), '  ')).toBe('You delivered an untitled card');
  });

  it('tells the loser who won, when, and that it happened while they were offline', () => {
    expect(lostText('claim', b({ status: 'claimed', ...bySam }), ctx)).toBe('Sam claimed Weekly grocery box at 14:02 while you were offline');
    expect(lostText('claim', b({ status: 'claimed', ...bySam }), { ...ctx, wasOffline: false })).toBe('Sam claimed Weekly grocery box at 14:02');
    expect(lostText('claim', b({ status: 'picked_up', ...bySam }), ctx)).toBe('Sam picked up Weekly grocery box at 14:02 while you were offline');
  });

  it('says what was not recorded when the card moved on', () => {
    expect(lostText('pickup', b({ status: 'cancelled' }), ctx)).toBe(
      'Weekly grocery box was cancelled at 14:02 while you were offline, so your pickup was not recorded',
    );
    expect(lostText('deliver', b({ status: 'open', version: 3 }), ctx)).toBe(
      'Weekly grocery box was released at 14:02 while you were offline, so your delivery was not recorded',
    );
    expect(lostText('release', b({ status: 'claimed', ...bySam }), ctx)).toBe(
      'Sam claimed Weekly grocery box at 14:02 while you were offline, so your release was not recorded',
    );
  });

  it('does not blame someone else when the card is already the user’s', () => {
    expect(lostText('claim', b({ status: 'claimed', driverId: 'lena', driverName: 'Lena' }), ctx)).toBe(
      'Weekly grocery box was already claimed by you at 14:02',
    );
  });

  it('maps verdicts to tones; retries have no message', () => {
    expect(outcomeMessage('claim', { kind: 'won', booking: b({ status: 'claimed' }) }, ctx)?.tone).toBe('won');
    expect(outcomeMessage('claim', { kind: 'lost', booking: b({ status: 'claimed', ...bySam }) }, ctx)?.tone).toBe('lost');
    expect(outcomeMessage('claim', { kind: 'refused', message: 'Only drivers can claim' }, ctx)).toEqual({
      tone: 'error',
      text: 'Your claim of Weekly grocery box was not accepted: Only drivers can claim',
    });
    expect(outcomeMessage('claim', { kind: 'retry', reason: 'network' }, ctx)).toBeNull();
  });

  it('words the pending line', () => {
    expect(pendingText('claim')).toBe("Claim pending — will be sent when you're back online");
    expect(pendingText('deliver', true)).toBe('Delivery pending — will be sent as soon as the server answers');
  });
});
