import { describe, expect, it } from 'vitest';
import { clearDeviceKeys } from './clearBoardStores.ts';
import { openBooking } from '@delivery-board/schema/bookings';
import {
  forgetBoardPrivateDetails,
  forgetPrivateDetails,
  forgetUnlessHeld,
  keptCardIds,
  MAX_AGE_MS,
  recallPrivateDetails,
  rememberPrivateDetails,
} from './privateDetailsCache.ts';
import { memoryStorage } from '../testing/memoryStorage.ts';

const details = { recipientName: 'Mrs Ng', phone: '+44 20 7946 0000', accessNotes: 'Door code 1942', updatedBy: 'u1', updatedAt: 1 };

describe('private details kept on the device', () => {
  it('are recalled per user, board and card, until forgotten', () => {
    const s = memoryStorage();
    rememberPrivateDetails('sam', 'b1', 'c1', details, 1000, s);
    expect(recallPrivateDetails('sam', 'b1', 'c1', 2000, s)).toEqual({ details, savedAt: 1000 });
    expect(recallPrivateDetails('sam', 'b1', 'c2', 2000, s)).toBeNull();
    expect(recallPrivateDetails('lena', 'b1', 'c1', 2000, s)).toBeNull(); // another person on this phone
    forgetPrivateDetails('sam', 'b1', 'c1', s);
    expect(recallPrivateDetails('sam', 'b1', 'c1', 2000, s)).toBeNull();
  });

  it('go once a booking shows the hold ended, and all of a board at once', () => {
    const s = memoryStorage();
    for (const card of ['c1', 'c2', 'c3']) rememberPrivateDetails('sam', 'b1', card, details, 1, s);
    rememberPrivateDetails('sam', 'b2', 'c9', details, 1, s);
    rememberPrivateDetails('lena', 'b1', 'c1', details, 1, s);
    expect(keptCardIds('sam', 'b1', s).sort()).toEqual(['c1', 'c2', 'c3']);
    const held = { ...openBooking('c1'), status: 'picked_up' as const, driverId: 'sam', driverName: 'Sam', version: 2 };
    forgetUnlessHeld('sam', 'b1', 'c1', held, s);
    forgetUnlessHeld('sam', 'b1', 'c2', { ...held, cardId: 'c2', driverId: 'lena' }, s); // reassigned
    forgetUnlessHeld('sam', 'b1', 'c3', null, s); // its booking gone with the card
    expect(keptCardIds('sam', 'b1', s)).toEqual(['c1']);
    forgetUnlessHeld('sam', 'b1', 'c1', { ...held, status: 'delivered' }, s);
    expect(keptCardIds('sam', 'b1', s)).toEqual([]);
    rememberPrivateDetails('sam', 'b1', 'c1', details, 1, s);
    forgetBoardPrivateDetails('sam', 'b1', s);
    expect(keptCardIds('sam', 'b1', s)).toEqual([]);
    expect(keptCardIds('sam', 'b2', s)).toEqual(['c9']); // other boards and people keep theirs
    expect(keptCardIds('lena', 'b1', s)).toEqual(['c1']);
  });

  it('expire after a week, and a damaged entry is dropped', () => {
    const s = memoryStorage();
    rememberPrivateDetails('sam', 'b1', 'c1', details, 0, s);
    expect(recallPrivateDetails('sam', 'b1', 'c1', MAX_AGE_MS, s)).not.toBeNull();
    expect(recallPrivateDetails('sam', 'b1', 'c1', MAX_AGE_MS + 1, s)).toBeNull();
    expect(s.length).toBe(0);
    s.setItem('delivery-board:private:sam:b1:c2', '{"details":{"phone":5},"savedAt":1}');
    expect(recallPrivateDetails('sam', 'b1', 'c2', 2, s)).toBeNull();
    s.setItem('delivery-board:private:sam:b1:c3', 'not json');
    expect(recallPrivateDetails('sam', 'b1', 'c3', 2, s)).toBeNull();
  });

  it('are deleted with the other device keys on sign-out', () => {
    const s = memoryStorage();
    rememberPrivateDetails('sam', 'b1', 'c1', details, 0, s);
    clearDeviceKeys(s);
    expect(s.length).toBe(0);
  });
});
