/**
 * Offline-first in real Chromium. The network is cut for real: the server is stopped (and the
 * browser context set offline), so websockets drop and the service worker's fetches fail.
 *
 * 1. After one visit the app opens cold with no network: a new page, navigated while offline,
 *    shows the board from the service worker's shell and IndexedDB; edits made then reach the
 *    other user once the network is back, and the sync pill went offline → pending → synced.
 * 2. Two users offline at once edit different fields of one card and each add a card: after both
 *    reconnect, both see the same board with every edit.
 */
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { northsideBoard, signIn, type ApiUser } from './api.ts';
import { launchBrowser, newUserPage, screenshot } from './browser.ts';
import { startRestartableServer } from './restartableServer.ts';

const connected = (page: Page) => page.locator('[data-testid="sync-status"][data-status="connected"]').waitFor();
const syncState = (page: Page) => page.getByTestId('sync-status').getAttribute('data-sync-state');
const titles = async (page: Page) => (await page.getByTestId('card-item-title').allTextContents()).sort();

/**
 * Records every value `data-sync-state` takes on the page, in order (old values included, so a
 * state that lasted less than one observer callback is not missed).
 */
function recordSyncStates() {
  const seen: string[] = [];
  (window as unknown as { __syncStates: string[] }).__syncStates = seen;
  const note = (v: string | null) => v && seen[seen.length - 1] !== v && seen.push(v);
  new MutationObserver((records) => {
    for (const r of records) if (r.type === 'attributes') note(r.oldValue);
    note(document.querySelector('[data-sync-state]')?.getAttribute('data-sync-state') ?? null);
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeOldValue: true, attributeFilter: ['data-sync-state'] });
}

async function openBoard(context: BrowserContext, base: string, user: ApiUser, boardId: string): Promise<Page> {
  await signIn(context, base, user);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('[page error]', err.message));
  await page.goto(`${base}/b/${boardId}`);
  await connected(page);
  return page;
}

async function setup() {
  const server = await startRestartableServer();
  const base = server.url;
  const browser = await launchBrowser();
  const { amira, sam, boardId } = await northsideBoard(base, 'coordinator');
  return { server, base, browser, amira, sam, boardId };
}

describe('offline-first', () => {
  it('opens cold with no network after one visit, keeps edits, and syncs them when back', async () => {
    const { server, base, browser, amira, sam, boardId } = await setup();
    const a = await newUserPage(browser);
    await a.page.close();
    const first = await openBoard(a.context, base, amira, boardId);
    await first.getByTestId('new-card').click();
    await first.getByTestId('card-title-input').fill('Weekly grocery box');
    await first.getByTestId('pickup-label-input').fill("St Mary's Hall, 12 High St");
    // The service worker has installed and controls the page; everything is confirmed.
    await first.evaluate(() => navigator.serviceWorker.ready);
    await expect.poll(() => first.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
    await expect.poll(() => syncState(first)).toBe('synced');

    const b = await newUserPage(browser);
    await b.page.close();
    const other = await openBoard(b.context, base, sam, boardId);
    await other.getByTestId('card-item-title').filter({ hasText: 'Weekly grocery box' }).waitFor();

    // No network at all: server down, browser offline, the page closed. Open it again, cold.
    await first.close();
    await server.stop();
    await a.context.setOffline(true);
    const page = await a.context.newPage();
    page.on('pageerror', (err) => console.error('[page error]', err.message));
    await page.addInitScript(recordSyncStates);
    await page.goto(`${base}/b/${boardId}`);
    await page.getByTestId('card-item-title').filter({ hasText: 'Weekly grocery box' }).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('board-name').textContent()).toBe('Northside Food Bank');
    expect(await syncState(page)).toBe('offline');
    await page.getByTestId('offline-banner').waitFor();

    // Edit while offline: change the card, add another. Both wait on this device.
    await page.getByTestId('card-item').filter({ hasText: 'Weekly grocery box' }).click();
    await page.getByTestId('card-title-input').fill('Weekly grocery box (2 bags)');
    await page.getByTestId('new-card').click();
    await page.getByTestId('card-title-input').fill('Bread run');
    await expect.poll(async () => Number(await page.getByTestId('sync-status').getAttribute('data-pending'))).toBeGreaterThan(0);
    await page.getByTestId('sync-pending-count').waitFor();
    await page.getByTestId('sync-last').waitFor();
    await page.evaluate(() => window.scrollTo(0, 0)); // filling fields scrolled the page
    await page.waitForTimeout(200);
    await screenshot(page, 'offline-cold-start');

    // Back online: the other user sees both edits; the pill ends at synced.
    await server.start();
    await a.context.setOffline(false);
    await expect.poll(() => syncState(page), { timeout: 20_000 }).toBe('synced');
    await expect.poll(() => titles(other), { timeout: 20_000 }).toEqual(['Bread run', 'Weekly grocery box (2 bags)']);
    expect(await page.getByTestId('sync-status').getAttribute('data-pending')).toBe('0');
    const states = await page.evaluate(() => (window as unknown as { __syncStates: string[] }).__syncStates);
    const at = (s: string) => states.indexOf(s);
    expect(at('offline')).toBeGreaterThanOrEqual(0);
    expect(states.lastIndexOf('pending')).toBeGreaterThan(at('offline'));
    expect(states.lastIndexOf('synced')).toBeGreaterThan(states.lastIndexOf('pending'));
    expect(states[states.length - 1]).toBe('synced');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(200);
    await screenshot(page, 'offline-cold-start-synced');
  });

  it('two users offline at once: fields, items and tags of one card and new cards all merge', async () => {
    const { server, base, browser, amira, sam, boardId } = await setup();
    const a = await newUserPage(browser);
    const b = await newUserPage(browser);
    const pa = await openBoard(a.context, base, amira, boardId);
    await pa.getByTestId('new-card').click();
    await pa.getByTestId('card-title-input').fill('Weekly grocery box');
    await pa.getByTestId('card-items-input').fill('2 bags rice\nmilk');
    await pa.getByTestId('card-tags-input').fill('food');
    const pb = await openBoard(b.context, base, sam, boardId);
    await pb.getByTestId('card-item').filter({ hasText: 'Weekly grocery box' }).click();
    await expect.poll(() => pb.getByTestId('card-tags-input').inputValue(), { timeout: 10_000 }).toBe('food');

    await server.stop();
    await a.context.setOffline(true);
    await b.context.setOffline(true);
    for (const p of [pa, pb]) await expect.poll(() => syncState(p), { timeout: 10_000 }).toBe('offline');

    // Amira sets the pickup and priority, Sam the drop-off and notes, of the same card.
    await pa.getByTestId('pickup-label-input').fill("St Mary's Hall, 12 High St");
    await pa.getByTestId('card-priority-select').selectOption('urgent');
    await pb.getByTestId('dropoff-label-input').fill('4B Elm Court');
    await pb.getByTestId('card-notes-input').fill('Ring the bell twice');
    // Both change the item list and the tags: Amira adds an item and a tag, Sam changes an item and
    // adds a tag. Each list keeps both people's changes (a whole-value field would keep one).
    await pa.getByTestId('card-items-input').fill('2 bags rice\nmilk\neggs');
    await pa.getByTestId('card-tags-input').fill('food, cold');
    await pb.getByTestId('card-items-input').fill('2 bags rice\noat milk');
    await pb.getByTestId('card-tags-input').fill('food, fragile');
    await pa.getByTestId('new-card').click();
    await pa.getByTestId('card-title-input').fill('Card from Amira');
    await pb.getByTestId('new-card').click();
    await pb.getByTestId('card-title-input').fill('Card from Sam');

    await server.start();
    await a.context.setOffline(false);
    await b.context.setOffline(false);
    const all = ['Card from Amira', 'Card from Sam', 'Weekly grocery box'];
    for (const p of [pa, pb]) {
      await expect.poll(() => syncState(p), { timeout: 20_000 }).toBe('synced');
      await expect.poll(() => titles(p), { timeout: 20_000 }).toEqual(all);
      await p.getByTestId('card-item').filter({ hasText: 'Weekly grocery box' }).click();
      await expect.poll(() => p.getByTestId('pickup-label-input').inputValue()).toBe("St Mary's Hall, 12 High St");
      await expect.poll(() => p.getByTestId('dropoff-label-input').inputValue()).toBe('4B Elm Court');
      await expect.poll(() => p.getByTestId('card-notes-input').inputValue()).toBe('Ring the bell twice');
      await expect.poll(() => p.getByTestId('card-priority-select').inputValue()).toBe('urgent');
      await expect.poll(() => p.getByTestId('card-items-input').inputValue()).toBe('2 bags rice\noat milk\neggs');
      const tags = (await p.getByTestId('card-tags-input').inputValue()).split(', ');
      expect(tags.slice(1).sort()).toEqual(['cold', 'fragile']);
      expect(tags[0]).toBe('food');
    }
    await screenshot(pb, 'offline-merge-driver');
  });
});
