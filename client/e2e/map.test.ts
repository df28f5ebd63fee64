/**
 * The map view in real Chromium (WebGL through SwiftShader) with no internet: every request that
 * is not to the local server is aborted. Pins are pixels on a canvas, so the test reads the
 * screenshot: pins in the status colours, a cluster where cards are dense, a click on a pin opens
 * its card, "Pick on map" sets a card's position, and a coordinator sees a driver's shared
 * position. A cluster says how many cards it holds, on the offline style too (it has no fonts to
 * fetch). Screenshots (desktop and phone) go to test-artifacts/. A configured style that
 * arrives after the map opened is switched to, or, when it cannot load, the offline one stays.
 */
import { describe, expect, it } from 'vitest';
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { northsideBoard, registerUser, signIn } from './api.ts';
import { launchBrowser, screenshot, signedInPage, startAppServer } from './browser.ts';
import { findColour } from './pixels.ts';
import { seedCards } from './seedBoard.ts';
import { CLUSTER_COLOR, CLUSTER_COUNT_COLOR, DRIVER_COLOR, MAP_BACKGROUND, PIN_COLORS } from '../src/lib/mapData.ts';

async function offlineInternet(context: BrowserContext) {
  await context.route(
    (url) => url.hostname !== '127.0.0.1' && url.hostname !== 'localhost',
    (route) => route.abort(),
  );
}

async function mapShot(page: Page): Promise<{ png: Buffer; box: { x: number; y: number } }> {
  const canvas = page.locator('.map-canvas');
  const box = (await canvas.boundingBox())!;
  return { png: await canvas.screenshot(), box };
}

/**
 * The count on the one cluster in view: how many pixels of the count's colour lie inside the
 * circle's fill (within 11 px of its centre; the white ring starts at 14 px or more), and how far
 * their centre is from the circle's. A cluster with no number has no such pixels at all.
 */
function clusterCount(png: Buffer): { ink: number; offset: number } {
  const circle = findColour(png, CLUSTER_COLOR).centre!;
  const digits = findColour(png, CLUSTER_COUNT_COLOR, 24, { ...circle, radius: 11 });
  return { ink: digits.count, offset: digits.centre ? Math.hypot(digits.centre.x - circle.x, digits.centre.y - circle.y) : Infinity };
}

async function openMap(page: Page) {
  await page.getByTestId('view-map').click();
  await page.locator('[data-testid="map-view"][data-ready="true"]').waitFor({ timeout: 20_000 });
  await page.waitForTimeout(800); // first frames and the 250 ms data throttle
}

describe('map view', () => {
  it('draws pins by status and clusters with no internet, opens cards, picks places, shows drivers', async () => {
    const server = await startAppServer();
    const base = server.url;
    const browser = await launchBrowser();
    const { amira, sam, boardId } = await northsideBoard(base);

    // Two cards far apart (one open, one claimed), and 60 close together (a cluster).
    const place = (label: string, lat: number, lng: number) => ({ label, lat, lng });
    const [openId, claimedId] = await seedCards(base, amira.cookie, boardId, amira.id, [
      { title: 'Weekly grocery box', pickup: place("St Mary's Hall", 53.8, -1.6) },
      { title: 'Fresh veg box', pickup: place('Allotments', 53.8, -1.45) },
      ...Array.from({ length: 60 }, (_, i) => ({ title: `Bread run ${i}`, dropoff: place(`Flat ${i}`, 53.74 + (i % 6) * 0.0004, -1.52 + Math.floor(i / 6) * 0.0004) })),
    ]);
    await sam.call('POST', `/api/boards/${boardId}/cards/${claimedId}/transitions`, { action: 'claim', intentId: 'map-e2e-1' });

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await offlineInternet(context);
    await signIn(context, base, amira);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('[page error]', err.message));
    await page.goto(`${base}/b/${boardId}`);
    await page.getByTestId('card-item').first().waitFor();
    await openMap(page);

    const { png, box } = await mapShot(page);
    const open = findColour(png, PIN_COLORS.open);
    const claimed = findColour(png, PIN_COLORS.claimed);
    const cluster = findColour(png, CLUSTER_COLOR);
    expect(open.count).toBeGreaterThan(60);
    expect(claimed.count).toBeGreaterThan(60);
    expect(cluster.count).toBeGreaterThan(150);
    // The 60 close together are one cluster that says "60", centred in its circle.
    const count = clusterCount(png);
    expect(count.ink).toBeGreaterThan(20);
    expect(count.offset).toBeLessThan(3);
    await screenshot(page, 'map-1280');

    // Click the open pin: its card opens.
    await page.mouse.click(box.x + open.centre!.x, box.y + open.centre!.y);
    await expect.poll(() => new URL(page.url()).searchParams.get('card')).toBe(openId);
    await page.getByTestId('card-title-input').waitFor();
    expect(await page.getByTestId('card-title-input').inputValue()).toBe('Weekly grocery box');

    // Pick the drop-off on the map: a click sets its coordinates.
    await page.getByTestId('dropoff-pick').click();
    await page.getByTestId('map-pick-banner').waitFor();
    await page.waitForTimeout(200); // the map may be scrolled into view first
    const pickBox = (await page.locator('.map-canvas').boundingBox())!;
    await page.mouse.click(pickBox.x + 40, pickBox.y + pickBox.height - 60);
    await expect.poll(async () => Number(await page.getByTestId('dropoff-lat-input').inputValue())).toBeGreaterThan(50);
    expect(Number(await page.getByTestId('dropoff-lng-input').inputValue())).toBeLessThan(-1);
    expect(await page.getByTestId('map-pick-banner').count()).toBe(0);

    // Sam's board in a browser of his own, as the device lets it know where it is.
    const samsBoard = async (options: BrowserContextOptions) => {
      const { context, page: p } = await signedInPage(browser, base, sam, options);
      await p.goto(`${base}/b/${boardId}`);
      await p.locator('[data-testid="sync-status"][data-status="connected"]').waitFor();
      return { context, page: p };
    };

    // A driver shares their position: the coordinator sees it on the map.
    const { page: dPage } = await samsBoard({ geolocation: { latitude: 53.77, longitude: -1.5 }, permissions: ['geolocation'] });
    await dPage.getByTestId('share-location').click();
    await expect.poll(() => dPage.getByTestId('share-location').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('map-drivers').waitFor({ timeout: 15_000 });
    await page.waitForTimeout(600);
    expect(findColour((await mapShot(page)).png, DRIVER_COLOR).count).toBeGreaterThan(60);
    await screenshot(page, 'map-card-1280');

    // Sharing off: the position is withdrawn.
    await dPage.getByTestId('share-location').click();
    await expect.poll(() => page.getByTestId('map-drivers').count(), { timeout: 10_000 }).toBe(0);

    // A browser that refuses the position: the toggle does not claim to be sharing, and says why.
    const { context: refusing, page: rPage } = await samsBoard({});
    await rPage.getByTestId('share-location').click();
    await rPage.getByTestId('share-location-blocked').waitFor();
    expect(await rPage.getByTestId('share-location').getAttribute('aria-pressed')).toBe('false');
    expect(await rPage.getByTestId('share-location').textContent()).toBe('Share my location');
    await screenshot(rPage, 'share-location-blocked-1280');
    await refusing.close();

    // Phone size.
    await page.getByTestId('close-editor').click();
    await page.setViewportSize({ width: 375, height: 740 });
    await page.waitForTimeout(800);
    const phone = await mapShot(page);
    await screenshot(page, 'map-375');
    // The legend's dots stay round, and the legend is as wide as the map (under "Show all pins").
    const dots = await page.locator('.map-legend .legend-dot').evaluateAll((els) => els.map((el) => el.getBoundingClientRect()).map((r) => Math.abs(r.width - r.height)));
    expect(Math.max(...dots)).toBeLessThan(1);
    const [legend, foot] = await Promise.all([page.locator('.map-legend').boundingBox(), page.locator('.map-foot').boundingBox()]);
    expect(legend!.width).toBeGreaterThan(foot!.width * 0.8);
    expect(findColour(phone.png, PIN_COLORS.open).count + findColour(phone.png, CLUSTER_COLOR).count).toBeGreaterThan(60);
    const phoneCount = clusterCount(phone.png);
    expect(phoneCount.ink).toBeGreaterThan(20);
    expect(phoneCount.offset).toBeLessThan(3);

    // Picking on a phone: the card sheet steps aside for the map, and comes back after the tap.
    await page.getByTestId('card-item').filter({ hasText: 'Fresh veg box' }).click();
    // The sheet covers the list: the focus moves into it, not left on the card under it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('card-editor-heading');
    // It is a modal dialog: the page under it is inert (the toasts excepted), so Tab and a screen
    // reader's swipes stay in the sheet.
    const sheet = page.getByRole('dialog', { name: 'Card editor' });
    expect(await sheet.getAttribute('aria-modal')).toBe('true');
    const inertState = () =>
      page.evaluate(() => ({
        list: !!document.querySelector('[data-testid="card-item"]')?.closest('[inert]'),
        header: !!document.querySelector('.app-header')?.closest('[inert]'),
        toasts: !!document.querySelector('.toasts')?.closest('[inert]'),
        sheet: !!document.querySelector('.editor-panel')?.closest('[inert]'),
      }));
    expect(await inertState()).toEqual({ list: true, header: true, toasts: false, sheet: false });
    const focusOutside: string[] = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press(i < 20 ? 'Tab' : 'Shift+Tab');
      const outside = await page.evaluate(() => {
        const el = document.activeElement;
        return el && el !== document.body && !el.closest('.editor-panel') ? el.outerHTML.slice(0, 80) : null;
      });
      if (outside) focusOutside.push(outside);
    }
    expect(focusOutside).toEqual([]);
    await page.getByTestId('dropoff-pick').click();
    await page.getByTestId('map-pick-banner').waitFor();
    await page.waitForTimeout(200);
    expect(await page.getByTestId('card-editor').isVisible()).toBe(false);
    // Stepped aside for the map, the sheet is no dialog and nothing is inert (the map takes the tap).
    expect(await page.locator('[inert]').count()).toBe(0);
    expect(await page.getByRole('dialog').count()).toBe(0);
    // The map is scrolled into view, below the sticky header.
    await expect.poll(async () => (await page.locator('.map-panel').boundingBox())!.y).toBeGreaterThanOrEqual(56);
    expect((await page.locator('.map-panel').boundingBox())!.y).toBeLessThan(120);
    await screenshot(page, 'map-pick-375');
    const small = (await page.locator('.map-canvas').boundingBox())!;
    await page.mouse.click(small.x + small.width / 2, small.y + small.height / 2);
    await page.getByTestId('card-editor').waitFor({ state: 'visible' });
    await expect.poll(async () => Number(await page.getByTestId('dropoff-lat-input').inputValue())).toBeGreaterThan(50);
    // And the focus comes back with the sheet, to the button that started picking.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('dropoff-pick');
    expect(await inertState()).toEqual({ list: true, header: true, toasts: false, sheet: false });
    // Closed, the page is live again.
    await page.getByTestId('close-editor').click();
    expect(await page.locator('[inert]').count()).toBe(0);
  });

  it('lists the cards at one spot to choose from, where their pins are stacked', async () => {
    const server = await startAppServer();
    const browser = await launchBrowser();
    const { amira, boardId } = await northsideBoard(server.url);
    const hall = { label: "St Mary's Hall", lat: 53.801, lng: -1.549 };
    const [, nappiesId] = await seedCards(server.url, amira.cookie, boardId, amira.id, [
      { title: 'Weekly grocery box', pickup: hall },
      { title: 'Nappies and formula', pickup: hall },
      { title: 'Tinned goods', pickup: hall },
      { title: 'Fresh veg box', pickup: { label: 'Allotments', lat: 53.75, lng: -1.4 } },
    ]);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await offlineInternet(context);
    await signIn(context, server.url, amira);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('[page error]', err.message));
    await page.goto(`${server.url}/b/${boardId}`);
    await page.getByTestId('card-item').first().waitFor();
    await openMap(page);

    // The three at the hall are one cluster that no zoom can split: a click lists them.
    const { png, box } = await mapShot(page);
    const stacked = findColour(png, CLUSTER_COLOR);
    expect(stacked.count).toBeGreaterThan(100);
    // It says "3" (one digit: less ink than "60").
    expect(clusterCount(png).ink).toBeGreaterThan(8);
    await page.mouse.click(box.x + stacked.centre!.x, box.y + stacked.centre!.y);
    const choices = page.getByTestId('pin-choices');
    await choices.waitFor();
    expect(await choices.getByRole('button').allTextContents()).toEqual(['Nappies and formula · pickup', 'Tinned goods · pickup', 'Weekly grocery box · pickup']);
    await screenshot(page, 'map-stacked-choices-1280');
    await choices.getByRole('button', { name: 'Nappies and formula · pickup' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('card')).toBe(nappiesId);
    expect(await page.getByTestId('card-title-input').inputValue()).toBe('Nappies and formula');
    expect(await choices.count()).toBe(0);
  });

  it('switches to the configured style when /config.json arrives after the map opened', async () => {
    const STYLE_URL = 'https://tiles.example.test/style.json';
    const STYLE_BACKGROUND = '#8a2be2';
    const server = await startAppServer({ MAP_STYLE_URL: STYLE_URL });
    const base = server.url;
    const browser = await launchBrowser();
    const amira = await registerUser(base, 'Amira Haddad', 'amira@example.org');
    const { id: boardId } = await amira.call<{ id: string }>('POST', '/api/boards', { name: 'Northside Food Bank' });
    await seedCards(base, amira.cookie, boardId, amira.id, [{ title: 'Weekly grocery box', pickup: { label: "St Mary's Hall", lat: 53.8, lng: -1.6 } }]);

    /** Opens `?view=map` with /config.json held back until the map shows; returns the page and a release. */
    const openBeforeConfig = async (styleReachable: boolean) => {
      // No service worker: every request (config.json included) goes through the routes below.
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
      await offlineInternet(context);
      // The basemap, served locally: a plain style of one colour, or unreachable.
      await context.route(STYLE_URL, (route) =>
        styleReachable
          ? route.fulfill({ json: { version: 8, sources: {}, layers: [{ id: 'bg', type: 'background', paint: { 'background-color': STYLE_BACKGROUND } }] } })
          : route.abort(),
      );
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      await context.route('**/config.json', async (route) => {
        await held;
        await route.continue();
      });
      await signIn(context, base, amira);
      const page = await context.newPage();
      await page.goto(`${base}/b/${boardId}?view=map`);
      await page.locator('[data-testid="map-view"][data-ready="true"]').waitFor({ timeout: 20_000 });
      await page.waitForTimeout(800);
      const { png } = await mapShot(page);
      expect(findColour(png, MAP_BACKGROUND, 2).count).toBeGreaterThan(1000);
      expect(findColour(png, STYLE_BACKGROUND).count).toBe(0);
      return { page, release };
    };
    const colours = async (page: Page) => {
      const { png } = await mapShot(page);
      return { style: findColour(png, STYLE_BACKGROUND).count, offline: findColour(png, MAP_BACKGROUND, 2).count, pin: findColour(png, PIN_COLORS.open).count };
    };

    // The config arrives: the map takes the configured style, and draws the pins on it.
    const a = await openBeforeConfig(true);
    a.release();
    await expect.poll(async () => (await colours(a.page)).style, { timeout: 20_000 }).toBeGreaterThan(1000);
    await a.page.locator('[data-testid="map-view"][data-ready="true"]').waitFor();
    await expect.poll(async () => (await colours(a.page)).pin).toBeGreaterThan(60);
    expect((await colours(a.page)).offline).toBe(0);
    await screenshot(a.page, 'map-configured-style-late');

    // The configured style cannot be reached: the offline one comes back, pins and all.
    const b = await openBeforeConfig(false);
    const styleFailed = b.page.waitForEvent('requestfailed', (r) => r.url() === STYLE_URL);
    b.release();
    await styleFailed;
    await b.page.locator('[data-testid="map-view"][data-ready="true"]').waitFor();
    await expect.poll(async () => (await colours(b.page)).pin).toBeGreaterThan(60);
    expect((await colours(b.page)).offline).toBeGreaterThan(1000);
  });
});
