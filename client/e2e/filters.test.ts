/**
 * The board's card filters in real Chromium against a real server: "near me" (the device position
 * through the browser's geolocation, granted or blocked), the time-window filter and the tag
 * filter, each chosen through its labelled control as a user would, alone, combined, and on a
 * phone where they fold behind "Filters". Every step checks exactly which cards are listed (the
 * ones that should be and, by exact equality, none of the others) and that clearing the filter
 * brings every card back. Screenshots of filtered lists go to /tmp/filters-*.png.
 *
 * Eight cards, placed relative to the device at HOME (kilometres due north, so distances are
 * exact) and with time windows relative to the day the run started, TODAY (the browser runs in the
 * same time zone as Node, with its clock faked to noon of that day):
 *
 * | card      | where it counts from (pickup, else drop-off) | window                 | tags            |
 * |-----------|-----------------------------------------------|------------------------|-----------------|
 * | bakery    | pickup 0.5 km                                 | today 00:00–23:59      | fridge          |
 * | pharmacy  | drop-off 1.5 km (no pickup)                   | tomorrow 10:00–12:00   | medical         |
 * | fridge    | pickup 4 km                                   | none                   | FRIDGE, heavy   |
 * | furniture | pickup 8 km (its drop-off is 0.3 km away)     | in 4 days 10:00–12:00  | heavy, van      |
 * | books     | pickup 36 km                                  | 2 days ago 10:00–12:00 | —               |
 * | uniform   | nowhere (labels without coordinates)          | from in 20 days        | van             |
 * | meals     | pickup 1 km                                   | yesterday 12:00–13:00  | hot             |
 * | coats     | drop-off 2.5 km (pickup has no coordinates)   | until in 3 days 18:00  | —               |
 */
import { describe, expect, it } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { northsideBoard, type ApiUser } from './api.ts';
import { gotoSyncedBoard, launchBrowser, screenshot, signedInPage, startAppServer } from './browser.ts';
import { localDateTime, seedCards } from './seedBoard.ts';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 740 };
/** The browser keeps Node's time zone, so "today" means the same day to the seeding and the page. */
const TIMEZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Where the driver's device is. */
const HOME = { latitude: 53.8, longitude: -1.55 };
/** Kilometres per degree of latitude on the app's sphere (cardFilters.ts distanceKm: R = 6371.0088 km). */
const KM_PER_DEGREE = (6371.0088 * Math.PI) / 180;
/** A place `km` kilometres due north of HOME (negative: south). */
const placed = (label: string, km: number) => ({ label, lat: HOME.latitude + km / KM_PER_DEGREE, lng: HOME.longitude });
/** A place with a name but no coordinates. */
const unplaced = (label: string) => ({ label, lat: null, lng: null });

/**
 * "Today" for the whole file: the day the run started. Pages open with their clock faked to noon of
 * it, so a run that starts at 23:59 or crosses midnight judges the windows on the day they were
 * seeded for.
 */
const TODAY = new Date();
TODAY.setHours(0, 0, 0, 0);
const NOON = new Date(TODAY);
NOON.setHours(12);

/** A local date-time string `days` from TODAY at `hour`:`minute`. */
function at(days: number, hour: number, minute = 0): string {
  const d = new Date(TODAY);
  d.setDate(d.getDate() + days);
  d.setHours(hour, minute);
  return localDateTime(d);
}

const T = {
  bakery: 'Bread from the corner bakery',
  pharmacy: 'Prescription to Orchard Row',
  fridge: 'Community fridge restock',
  furniture: 'Sofa to Mill Lane',
  books: 'Library books from York',
  uniform: 'School uniform parcel',
  meals: 'Hot meals for Elm Court',
  coats: 'Winter coats collection',
} as const;
const ALL = Object.values(T);

/** A board with the eight cards above; Sam is a driver on it. */
async function seedBoard(base: string): Promise<{ sam: ApiUser; boardId: string }> {
  const { amira, sam, boardId } = await northsideBoard(base);
  await seedCards(base, amira.cookie, boardId, amira.id, [
    { title: T.bakery, pickup: placed('Corner bakery, 3 Kirk St', 0.5), dropoff: unplaced('12 Vine Terrace'), windowStart: at(0, 0), windowEnd: at(0, 23, 59), tags: ['fridge'] },
    { title: T.pharmacy, dropoff: placed('7 Orchard Row', -1.5), windowStart: at(1, 10), windowEnd: at(1, 12), tags: ['medical'] },
    { title: T.fridge, pickup: placed('Cash & carry', 4), dropoff: unplaced('Community fridge, Park Rd'), tags: ['FRIDGE', 'heavy'] },
    { title: T.furniture, pickup: placed('Church hall', -8), dropoff: placed('22 Mill Lane', 0.3), windowStart: at(4, 10), windowEnd: at(4, 12), tags: ['heavy', 'van'] },
    { title: T.books, pickup: placed('York Central Library', 36), windowStart: at(-2, 10), windowEnd: at(-2, 12) },
    { title: T.uniform, pickup: unplaced('School office'), dropoff: unplaced('Flat 3, Elm Court'), windowStart: at(20, 9), tags: ['van'] },
    { title: T.meals, pickup: placed('Community kitchen', -1), dropoff: placed('Elm Court, flats 1–6', 6), windowStart: at(-1, 12), windowEnd: at(-1, 13), tags: ['hot'] },
    { title: T.coats, pickup: unplaced('Coat drive, Town Hall'), dropoff: placed('Shelter, 5 Bridge St', 2.5), windowEnd: at(3, 18) },
  ]);
  return { sam, boardId };
}

/** Opens the board as `user` in a fresh context (no internet) and waits for all eight cards. */
async function openBoard(browser: Browser, base: string, user: ApiUser, boardId: string, options: BrowserContextOptions = {}, beforeOpen?: (page: Page) => Promise<void>) {
  const { page } = await signedInPage(browser, base, user, { viewport: DESKTOP, timezoneId: TIMEZONE, ...options });
  await beforeOpen?.(page);
  const errors: string[] = [];
  page.on('pageerror', (err) => (console.error('[page error]', err.message), errors.push(err.message)));
  await gotoSyncedBoard(page, base, boardId);
  await expectShown(page, ALL);
  return { page, errors };
}

/** A fresh server with the eight cards, and the board open in Chromium as Sam (at NOON, unless `beforeOpen` sets the clock). */
async function openSeededBoard(options: BrowserContextOptions = {}, beforeOpen = (page: Page) => page.clock.install({ time: NOON })) {
  const server = await startAppServer();
  const browser = await launchBrowser();
  const { sam, boardId } = await seedBoard(server.url);
  return openBoard(browser, server.url, sam, boardId, options, beforeOpen);
}

/** The titles listed, in list order. */
const listed = (page: Page) => page.getByTestId('card-item-title').allTextContents();
const sorted = (titles: readonly string[]) => [...titles].sort();

/**
 * Exactly `titles` are listed (in any order), and the count line says so. The list is windowed
 * (VirtualCardList.tsx): only rows near the viewport are in the page, so the caller makes sure the
 * list is in view; every row also says how long the whole list is (aria-setsize).
 */
async function expectShown(page: Page, titles: readonly string[]) {
  await expect.poll(async () => sorted(await listed(page)), { timeout: 10_000 }).toEqual(sorted(titles));
  const sizes = await page.locator('[data-testid="card-list"] li').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-setsize')));
  expect(new Set(sizes)).toEqual(new Set(titles.length ? [String(titles.length)] : []));
  const count = titles.length === ALL.length ? `${ALL.length} cards` : `${ALL.length} cards · ${titles.length} shown`;
  await expect.poll(() => page.getByTestId('card-count').textContent()).toBe(count);
  if (titles.length === 0) expect(await page.getByTestId('cards-empty').locator('p').textContent()).toBe('No cards match your search and filters.');
  else expect(await page.getByTestId('cards-empty').count()).toBe(0);
}

/** The distance a listed card shows ("500 m away"), or null when it shows none. */
async function distanceOn(page: Page, title: string): Promise<string | null> {
  const row = page.getByTestId('card-item').filter({ hasText: title });
  const distance = row.getByTestId('card-item-distance');
  return (await distance.count()) ? distance.textContent() : null;
}

const distanceSelect = (page: Page) => page.getByLabel('Distance', { exact: true });
const windowSelect = (page: Page) => page.getByLabel('When', { exact: true });
const tagSelect = (page: Page) => page.getByLabel('Tag', { exact: true });

describe('card filters', () => {
  it('near me lists only cards within the radius of the device (pickup, else drop-off), nearest first on request', async () => {
    const { page, errors } = await openSeededBoard({ geolocation: HOME, permissions: ['geolocation'] });

    // Nothing asked for the position yet: no distances on the cards.
    expect(await distanceOn(page, T.bakery)).toBeNull();
    expect(await distanceSelect(page).locator('option').allTextContents()).toEqual([
      'Any distance',
      'Within 2 km of me',
      'Within 5 km of me',
      'Within 10 km of me',
      'Within 25 km of me',
    ]);

    // 2 km: the bakery's pickup, the kitchen, and the pharmacy (a drop-off only). Not the sofa,
    // whose drop-off is 300 m away but whose pickup (where the driver goes first) is 8 km away.
    await distanceSelect(page).selectOption({ label: 'Within 2 km of me' });
    await expectShown(page, [T.bakery, T.meals, T.pharmacy]);
    expect(await distanceOn(page, T.bakery)).toBe('500 m away');
    expect(await distanceOn(page, T.meals)).toBe('1.0 km away');
    expect(await distanceOn(page, T.pharmacy)).toBe('1.5 km away');
    expect(await page.getByTestId('geo-note').count()).toBe(0);
    await page.screenshot({ path: '/tmp/filters-near-2km-1280.png' });
    // On a phone the one-line row keeps the distance (what this filter is about), the time window
    // giving way: every distance is on screen inside its row.
    const viewport = page.viewportSize()!;
    await page.setViewportSize({ width: 390, height: 844 });
    for (const title of [T.bakery, T.meals, T.pharmacy]) {
      const row = page.getByTestId('card-item').filter({ hasText: title });
      await expect.poll(async () => {
        const [r, d] = await Promise.all([row.boundingBox(), row.getByTestId('card-item-distance').boundingBox()]);
        return !!r && !!d && d.width > 20 && d.x >= r.x && d.x + d.width <= r.x + r.width;
      }).toBe(true);
    }
    // A tag that does not fit drops out whole: every tag on the visible line is entirely in its box.
    const cutTags = await page.locator('[data-testid="card-item"] .tag').evaluateAll((tags) =>
      tags
        .filter((el) => {
          const t = el.getBoundingClientRect();
          const box = el.parentElement!.getBoundingClientRect();
          return t.top < box.bottom && t.right > box.right + 0.5;
        })
        .map((el) => el.textContent),
    );
    expect(cutTags).toEqual([]);
    await screenshot(page, 'filters-near-390');
    await page.setViewportSize(viewport);

    // 5 km adds the cash & carry (4 km) and the shelter (a drop-off 2.5 km away; the pickup has no coordinates).
    await distanceSelect(page).selectOption({ label: 'Within 5 km of me' });
    await expectShown(page, [T.bakery, T.meals, T.pharmacy, T.coats, T.fridge]);
    expect(await distanceOn(page, T.coats)).toBe('2.5 km away');
    expect(await distanceOn(page, T.fridge)).toBe('4.0 km away');

    // 10 km adds the sofa (8 km); 25 km adds nothing: York is 36 km away and the uniform has no place.
    await distanceSelect(page).selectOption({ label: 'Within 10 km of me' });
    await expectShown(page, [T.bakery, T.meals, T.pharmacy, T.coats, T.fridge, T.furniture]);
    await distanceSelect(page).selectOption({ label: 'Within 25 km of me' });
    await expectShown(page, [T.bakery, T.meals, T.pharmacy, T.coats, T.fridge, T.furniture]);
    expect(await distanceOn(page, T.furniture)).toBe('8.0 km away');

    // Nearest first, within 25 km: in order of distance.
    await page.getByLabel('Sort', { exact: true }).selectOption({ label: 'Nearest first' });
    await expect.poll(() => listed(page)).toEqual([T.bakery, T.meals, T.pharmacy, T.coats, T.fridge, T.furniture]);

    // Any distance: every card is back, the far one next to last and the unplaced one last.
    await distanceSelect(page).selectOption({ label: 'Any distance' });
    await expectShown(page, ALL);
    await expect.poll(() => listed(page)).toEqual([T.bakery, T.meals, T.pharmacy, T.coats, T.fridge, T.furniture, T.books, T.uniform]);
    expect(await distanceOn(page, T.books)).toBe('36 km away');
    expect(await distanceOn(page, T.uniform)).toBeNull();
    expect(errors).toEqual([]);
  });

  it('near me with location blocked says so and hides nothing', async () => {
    // No geolocation permission granted: headless Chromium answers the request with "denied".
    const { page, errors } = await openSeededBoard({ geolocation: HOME });

    await distanceSelect(page).selectOption({ label: 'Within 2 km of me' });
    await expect
      .poll(() => page.getByTestId('geo-note').textContent(), { timeout: 10_000 })
      .toBe('Location is blocked for this site, so cards cannot be sorted or filtered by distance.');
    await expectShown(page, ALL);
    expect(await distanceOn(page, T.bakery)).toBeNull();

    await distanceSelect(page).selectOption({ label: 'Any distance' });
    await expect.poll(() => page.getByTestId('geo-note').count()).toBe(0);
    await expectShown(page, ALL);
    expect(errors).toEqual([]);
  });

  it('the time-window filter lists the cards whose window meets the chosen period', async () => {
    const { page, errors } = await openSeededBoard();

    expect(await windowSelect(page).locator('option').allTextContents()).toEqual([
      'Any time',
      'Past its window',
      'Today',
      'Tomorrow',
      'Next 7 days',
      'No time window',
    ]);

    // Today: the bakery (all day today) and the coats (open until in 3 days, so also today).
    await windowSelect(page).selectOption({ label: 'Today' });
    await expectShown(page, [T.bakery, T.coats]);
    await page.screenshot({ path: '/tmp/filters-window-today-1280.png' });

    await windowSelect(page).selectOption({ label: 'Tomorrow' });
    await expectShown(page, [T.pharmacy, T.coats]);

    // Next 7 days: not the uniform (from in 20 days), nor the ones whose window has passed.
    await windowSelect(page).selectOption({ label: 'Next 7 days' });
    await expectShown(page, [T.bakery, T.pharmacy, T.furniture, T.coats]);

    await windowSelect(page).selectOption({ label: 'Past its window' });
    await expectShown(page, [T.books, T.meals]);
    // Both still open, so both are marked late; nothing else on the board is.
    const late = page.getByTestId('card-item').filter({ has: page.getByTestId('card-item-late') });
    await expect.poll(async () => sorted(await late.getByTestId('card-item-title').allTextContents())).toEqual(sorted([T.books, T.meals]));
    expect(await page.getByTestId('card-item-late').allTextContents()).toEqual(['Late', 'Late']);
    // The card itself says so too; an open card still due does not.
    await page.getByTestId('card-item').filter({ hasText: T.meals }).click();
    await expect.poll(() => page.getByTestId('booking-late').textContent()).toBe('Late: its time window has passed');
    await page.screenshot({ path: '/tmp/filters-window-past-1280.png' });

    await windowSelect(page).selectOption({ label: 'No time window' });
    await expectShown(page, [T.fridge]);
    await page.getByTestId('card-item').filter({ hasText: T.fridge }).click();
    await expect.poll(() => page.getByTestId('booking-panel').count()).toBe(1);
    expect(await page.getByTestId('booking-late').count()).toBe(0);

    await windowSelect(page).selectOption({ label: 'Any time' });
    await expectShown(page, ALL);
    expect(await page.getByTestId('card-item-late').count()).toBe(2);
    expect(errors).toEqual([]);
  });

  it('a time window is judged by the clock when it is chosen, not when the board was opened', async () => {
    // The board is opened at 23:30 and left open past midnight (the page's clock is faked; no
    // timer fires when it jumps, as when a laptop lid was closed).
    const opened = new Date(TODAY);
    opened.setHours(23, 30);
    const { page, errors } = await openSeededBoard({}, (p) => p.clock.install({ time: opened }));
    await page.clock.setSystemTime(new Date(opened.getTime() + 60 * 60_000));

    // "Today" is now the pharmacy's day (tomorrow's 10:00–12:00), no longer the bakery's.
    await windowSelect(page).selectOption({ label: 'Today' });
    await expectShown(page, [T.pharmacy, T.coats]);
    await windowSelect(page).selectOption({ label: 'Past its window' });
    await expectShown(page, [T.bakery, T.books, T.meals]);
    // The Late markers go by the same clock: every card the filter calls past is marked.
    const late = page.getByTestId('card-item').filter({ has: page.getByTestId('card-item-late') });
    await expect.poll(async () => sorted(await late.getByTestId('card-item-title').allTextContents())).toEqual(sorted([T.bakery, T.books, T.meals]));
    expect(errors).toEqual([]);
  });

  it('the tag filter: one option per tag whatever its case, combined with the others, and behind "Filters" on a phone', async () => {
    const { page, errors } = await openSeededBoard();

    // "fridge" and "FRIDGE" are one tag: one option (labelled as first seen), matching both cards.
    const options = await tagSelect(page).locator('option').allTextContents();
    expect(options.map((o) => o.toLowerCase())).toEqual(['any tag', 'fridge', 'heavy', 'hot', 'medical', 'van']);
    const fridge = options.find((o) => o.toLowerCase() === 'fridge')!;
    await tagSelect(page).selectOption({ label: fridge });
    await expectShown(page, [T.bakery, T.fridge]);
    await page.screenshot({ path: '/tmp/filters-tag-fridge-1280.png' });

    await tagSelect(page).selectOption({ label: 'heavy' });
    await expectShown(page, [T.fridge, T.furniture]);
    await tagSelect(page).selectOption({ label: 'van' });
    await expectShown(page, [T.furniture, T.uniform]);

    // With a time window: both must hold.
    await windowSelect(page).selectOption({ label: 'Next 7 days' });
    await expectShown(page, [T.furniture]);
    // Nothing is both hot and tomorrow: the list says so.
    await tagSelect(page).selectOption({ label: 'hot' });
    await windowSelect(page).selectOption({ label: 'Tomorrow' });
    await expectShown(page, []);
    await page.screenshot({ path: '/tmp/filters-none-match-1280.png' });

    // Clearing one leaves the other on; clearing both brings every card back.
    await windowSelect(page).selectOption({ label: 'Any time' });
    await expectShown(page, [T.meals]);
    await tagSelect(page).selectOption({ label: 'Any tag' });
    await expectShown(page, ALL);
    // Or all at once, from the empty list: the search and every filter go, the sort stays.
    await page.getByTestId('card-search').fill('fridge');
    await windowSelect(page).selectOption({ label: 'Tomorrow' });
    await tagSelect(page).selectOption({ label: 'hot' });
    await expectShown(page, []);
    await page.getByTestId('clear-filters').click();
    await expectShown(page, ALL);
    expect(await page.getByTestId('card-search').inputValue()).toBe('');
    expect(await windowSelect(page).inputValue()).toBe('any');

    // On a phone the filters fold behind "Filters", which counts the ones that are on.
    await page.setViewportSize(PHONE);
    const toggle = page.getByRole('button', { name: 'Filters' });
    await toggle.waitFor();
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await tagSelect(page).isVisible()).toBe(false);
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await tagSelect(page).isVisible()).toBe(true);
    await tagSelect(page).selectOption({ label: 'medical' });
    await expectShown(page, [T.pharmacy]);
    await expect.poll(() => toggle.textContent()).toBe('Filters1');
    await page.screenshot({ path: '/tmp/filters-tag-medical-375.png' });

    await tagSelect(page).selectOption({ label: 'Any tag' });
    // The open filters push the list's last rows out of the window: bring the list into view.
    await page.getByTestId('card-list').evaluate((list) => list.scrollIntoView({ block: 'start' }));
    await expectShown(page, ALL);
    await expect.poll(() => toggle.textContent()).toBe('Filters');
    // Folding the filters away keeps the list as it is.
    await toggle.click();
    expect(await tagSelect(page).isVisible()).toBe(false);
    await expectShown(page, ALL);
    expect(errors).toEqual([]);
  });
});
