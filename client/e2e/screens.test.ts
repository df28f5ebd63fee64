/**
 * Screenshots for people to look at (test-artifacts/screen-*.png): a realistic board (statuses,
 * time windows, tags, someone else editing a card) as a list, a card, and the map, at desktop and
 * phone sizes, with no internet (the map uses its offline style); and a phone's open filters.
 */
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { addMembers, northsideBoard, registerUser, transition } from './api.ts';
import { gotoSyncedBoard, launchBrowser, screenshot, signedInPage, startAppServer } from './browser.ts';
import { localDateTime, seedCards } from './seedBoard.ts';

/**
 * A local date-time string on the hour, `hours` from now: relative, so that the same cards are late
 * (the hot meals, picked up and past their window) or not whenever the test runs.
 */
function fromNow(hours: number): string {
  const d = new Date(Date.now() + hours * 3_600_000);
  d.setMinutes(0);
  return localDateTime(d);
}

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 740 };

async function both(page: Page, name: string, prepare: () => Promise<void>) {
  for (const [size, viewport] of [
    ['1280', DESKTOP],
    ['375', PHONE],
  ] as const) {
    await page.setViewportSize(viewport);
    await prepare();
    await page.waitForTimeout(700);
    // Nothing sticks out sideways (a long address once widened the page: a blank sideways pan on phones).
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} at ${size}`).toBeLessThanOrEqual(viewport.width);
    await screenshot(page, `screen-${name}-${size}`);
  }
  await page.setViewportSize(DESKTOP);
}

describe('screens', () => {
  it('board, card and map at desktop and phone sizes', async () => {
    const server = await startAppServer();
    const base = server.url;
    const browser = await launchBrowser();
    const { amira, sam, boardId } = await northsideBoard(base);
    const lena = await registerUser(base, 'Lena Fischer', 'lena@example.org');
    await addMembers(base, amira, boardId, 'coordinator', [lena]);
    const p = (label: string, lat: number, lng: number) => ({ label, lat, lng });
    const ids = await seedCards(base, amira.cookie, boardId, amira.id, [
      { title: 'Weekly grocery box', pickup: p("St Mary's Hall, 12 High St", 53.801, -1.549), dropoff: p('9 Station Road', 53.792, -1.532), windowStart: fromNow(2), windowEnd: fromNow(4), items: ['2 bags of groceries', 'Milk'], tags: ['fridge'], priority: 'high' },
      { title: 'Fresh veg box', pickup: p('Allotments, Park Rd', 53.812, -1.571), dropoff: p('15 Rose Street', 53.806, -1.52), windowStart: fromNow(20), windowEnd: fromNow(22), items: ['Veg box'] },
      { title: 'Nappies and formula', pickup: p("St Mary's Hall, 12 High St", 53.801, -1.549), dropoff: p('4B Elm Court', 53.785, -1.56), priority: 'urgent', tags: ['baby'] },
      { title: 'Hot meals for Elm Court', pickup: p('Community kitchen', 53.796, -1.541), dropoff: p('Elm Court, flats 1–6', 53.785, -1.561), windowStart: fromNow(-2), windowEnd: fromNow(-1), items: ['6 hot meals'], tags: ['hot'] },
      { title: 'Prescription pickup', pickup: p('Boots, Market Sq', 53.797, -1.544), dropoff: p('7 Orchard Row', 53.779, -1.53), windowStart: fromNow(-4), windowEnd: fromNow(-3) },
      { title: 'Furniture donation', pickup: p("St Augustine's Community Centre, back entrance via the car park off Wrangthorn Avenue (ring the bell by the blue door)", 53.82, -1.5), dropoff: p('22 Mill Lane', 53.77, -1.58), tags: ['heavy', 'van', 'collect-from-the-back-door-of-the-community-centre-before-noon'] },
      { title: 'School uniform swap', pickup: p('Library', 53.8, -1.555) },
    ]);
    await transition(sam, boardId, ids[1], 'claim');
    await transition(sam, boardId, ids[3], 'claim');
    await transition(sam, boardId, ids[3], 'pickup');
    await transition(sam, boardId, ids[4], 'claim');
    await transition(sam, boardId, ids[4], 'pickup');
    await transition(sam, boardId, ids[4], 'deliver');
    await transition(amira, boardId, ids[5], 'cancel');

    const open = async (user: typeof amira) => {
      const { page } = await signedInPage(browser, base, user, { viewport: DESKTOP });
      page.on('pageerror', (err) => console.error('[page error]', err.message));
      await gotoSyncedBoard(page, base, boardId);
      return page;
    };
    // Lena has the grocery box open and is typing in it.
    const other = await open(lena);
    await other.getByTestId('card-item').filter({ hasText: 'Weekly grocery box' }).click();
    await other.getByTestId('card-notes-input').click();
    await other.getByTestId('card-notes-input').pressSequentially('Ring twice');

    const page = await open(amira);
    await page.getByTestId('card-presence').first().waitFor();
    // Two cards' windows have passed; only the hot meals, picked up but not delivered, are late (the
    // prescription was delivered).
    const late = page.getByTestId('card-item').filter({ has: page.getByTestId('card-item-late') });
    expect(await late.allTextContents()).toEqual([expect.stringContaining('Hot meals for Elm Court')]);
    await both(page, 'board', async () => {});
    // A long tag neither pushes the other filters onto another row on a desktop nor widens a phone's
    // page when the filters are open.
    const top = async (testid: string) => (await page.getByTestId(testid).boundingBox())!.y;
    expect(await top('card-sort')).toBe(await top('status-filter'));
    await page.setViewportSize(PHONE);
    // On a phone a long pickup gives way, not the drop-off, and the tags move up to the badges'
    // line (the meta line had no room left for them).
    const furniture = page.getByTestId('card-item').filter({ hasText: 'Furniture donation' });
    await furniture.scrollIntoViewIfNeeded();
    const inRow = async (locator: Locator) => {
      const [row, box] = await Promise.all([furniture.boundingBox(), locator.boundingBox()]);
      return !!row && !!box && box.width > 0 && box.x >= row.x && box.x + box.width <= row.x + row.width;
    };
    const dropoff = furniture.locator('.card-item-route .place').last();
    expect(await dropoff.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true); // '22 Mill Lane', uncut
    expect(await inRow(dropoff)).toBe(true);
    expect(await inRow(furniture.locator('.card-item-badges .tag', { hasText: 'heavy' }))).toBe(true);
    expect(await inRow(page.getByTestId('card-item').filter({ hasText: 'Nappies and formula' }).locator('.card-item-badges .tag', { hasText: 'baby' }))).toBe(true);
    await page.getByTestId('filters-toggle').click();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'screen-filters-375');
    await page.getByTestId('filters-toggle').click();
    await page.setViewportSize(DESKTOP);
    await page.getByTestId('card-item').filter({ hasText: 'Weekly grocery box' }).click();
    await both(page, 'card', async () => {
      if (!new URL(page.url()).searchParams.get('card')) await page.getByTestId('card-item').filter({ hasText: 'Weekly grocery box' }).click();
    });
    await page.getByTestId('close-editor').click();
    await page.getByTestId('view-map').click();
    await page.locator('[data-testid="map-view"][data-ready="true"]').waitFor({ timeout: 20_000 });
    await both(page, 'map', async () => {
      await page.getByTestId('map-fit').click();
      await page.getByTestId('map-view').scrollIntoViewIfNeeded();
    });
  });
});
