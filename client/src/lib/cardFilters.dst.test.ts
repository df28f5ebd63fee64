/**
 * The time-window filter on clock-change days, in a time zone that has them. Its own file: it sets
 * the process's time zone, which no other test file must see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchesWindow } from './cardFilters.ts';

const card = (start: string, end: string) => ({ windowStart: start, windowEnd: end });

describe('matchesWindow on clock-change days (Europe/London)', () => {
  const savedTz = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = 'Europe/London';
  });
  afterAll(() => {
    process.env.TZ = savedTz;
    if (savedTz === undefined) delete process.env.TZ;
  });

  it('the zone is in effect', () => {
    // 25 October 2026: the clocks go back from 02:00 BST to 01:00 GMT, so the day has 25 hours.
    expect(new Date(2026, 9, 26).getTime() - new Date(2026, 9, 25).getTime()).toBe(25 * 3_600_000);
  });

  it('"today" runs to midnight on a 25-hour day, and "tomorrow" starts there', () => {
    const noon = new Date(2026, 9, 25, 12, 0);
    const lateEvening = card('2026-10-25T23:30', '2026-10-25T23:45');
    expect(matchesWindow(lateEvening, 'today', noon)).toBe(true);
    expect(matchesWindow(lateEvening, 'tomorrow', noon)).toBe(false);
    expect(matchesWindow(card('2026-10-26T00:15', '2026-10-26T00:30'), 'tomorrow', noon)).toBe(true);
  });

  it('"today" ends at midnight on a 23-hour day, not an hour into tomorrow', () => {
    // 29 March 2026: the clocks go forward from 01:00 GMT to 02:00 BST.
    const noon = new Date(2026, 2, 29, 12, 0);
    const justAfterMidnight = card('2026-03-30T00:15', '2026-03-30T00:30');
    expect(matchesWindow(justAfterMidnight, 'today', noon)).toBe(false);
    expect(matchesWindow(justAfterMidnight, 'tomorrow', noon)).toBe(true);
  });

  it('"next 7 days" ends at the same clock time a week later', () => {
    const noon = new Date(2026, 9, 22, 12, 0); // a week that contains the 25-hour day
    expect(matchesWindow(card('2026-10-29T11:30', '2026-10-29T11:45'), 'week', noon)).toBe(true);
    expect(matchesWindow(card('2026-10-29T12:15', '2026-10-29T12:30'), 'week', noon)).toBe(false);
  });
});
