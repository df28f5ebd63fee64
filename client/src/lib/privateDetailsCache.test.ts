import { describe, expect, it } from 'vitest';
import { clearDeviceKeys } from './clearBoardStores.ts';
import { forgetPrivateDetails, MAX_AGE_MS, recallPrivateDetails, rememberPrivateDetails } from './privateDetailsCache.ts';
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
