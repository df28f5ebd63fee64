/**
 * Signing out leaves nothing of the user's boards on the device: no board or bookings copies in
 * IndexedDB, no queued intents, no app keys in localStorage, no cached data besides the app shell;
 * and the board no longer opens offline (the app does, and says it cannot reach the server).
 * Signing out with no network does the same on the device, and tells the server once it is back.
 * With changes the server has not got yet, sign-out asks first ("Stay signed in" keeps them).
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { northsideBoard, signIn } from './api.ts';
import { gotoSyncedBoard, launchBrowser, newUserPage, screenshot } from './browser.ts';
import { startRestartableServer } from './restartableServer.ts';

const deviceState = (page: Page) =>
  page.evaluate(async () => ({
    databases: (await indexedDB.databases())
      .map((d) => d.name ?? '')
      .filter((n) => /^(board:|bookings:|intents$)/.test(n))
      .sort(),
    keys: Object.keys(localStorage).filter((k) => k.startsWith('delivery-board:')),
    caches: (await caches.keys()).filter((n) => !n.startsWith('delivery-board-shell-')),
  }));

/** A driver with a board open and synced, one card, and one claim queued while offline. */
async function driverWithBoardOnDevice() {
  const server = await startRestartableServer();
  const base = server.url;
  const browser = await launchBrowser();
  const { sam, boardId } = await northsideBoard(base);

  const { context, page } = await newUserPage(browser);
  await signIn(context, base, sam);
  await gotoSyncedBoard(page, base, boardId);
  await page.getByTestId('new-card').click();
  await page.getByTestId('card-title-input').fill('Weekly grocery box');
  await page.evaluate(() => navigator.serviceWorker.ready);
  // An intent waiting in the queue (claimed while offline).
  await context.setOffline(true);
  await page.getByTestId('claim-button').click();
  await page.getByTestId('pending-intent').waitFor();
  await context.setOffline(false);
  // Back online, the claim is sent and the card stored: nothing waits on the device.
  await page.getByTestId('pending-intent').waitFor({ state: 'detached' });
  await page.locator('[data-testid="sync-status"][data-sync-state="synced"][data-pending="0"]').waitFor();
  await expect.poll(async () => (await deviceState(page)).databases).toEqual([`board:${boardId}`, `bookings:${boardId}`, 'intents']);
  expect((await deviceState(page)).keys.length).toBeGreaterThan(0);
  return { server, base, sam, boardId, context, page };
}

describe('sign-out', () => {
  it('clears the device’s boards, bookings, intents and keys', async () => {
    const { server, base, boardId, context, page } = await driverWithBoardOnDevice();

    // Nothing unsent: no question.
    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/login/);
    await expect.poll(() => deviceState(page)).toEqual({ databases: [], keys: [], caches: [] });
    expect(await page.getByTestId('signed-out-on-device').count()).toBe(0);

    // Offline, the board is gone from this device: the app opens (service worker) but cannot
    // know who this is, and shows no board.
    await server.stop();
    await context.setOffline(true);
    const again = await context.newPage();
    await again.goto(`${base}/b/${boardId}`);
    await again.getByText("Can't reach the server").waitFor();
    expect(await again.getByTestId('board-view').count()).toBe(0);
  });

  it('with no network, still clears the device, and revokes the session once back online', async () => {
    const { server, base, sam, boardId, context, page } = await driverWithBoardOnDevice();

    // A real outage: the logout request cannot reach the server.
    await server.stop();
    await context.setOffline(true);
    // An edit made offline: signing out would discard it, so the app asks first.
    await page.getByTestId('card-notes-input').fill('Leave with the neighbour at 4B');
    await page.locator('[data-testid="sync-status"]:not([data-pending="0"])').waitFor();
    // At once: the board's note of unsent edits, written in batches, is written before counting.
    await page.getByTestId('sign-out').click();
    const question = page.getByTestId('sign-out-confirm');
    expect(await question.textContent()).toMatch(/^1 change on this device has not reached the server yet\. Signing out now discards it\./);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('sign-out-keep');
    await screenshot(page, 'sign-out-unsent-question');
    await page.getByTestId('sign-out-keep').click();
    expect(await question.count()).toBe(0);
    expect(await page.getByTestId('card-notes-input').inputValue()).toBe('Leave with the neighbour at 4B');
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-out-anyway').click();
    await page.waitForURL(/\/login/);
    await page.getByTestId('signed-out-on-device').waitFor();
    await screenshot(page, 'sign-out-offline');
    await expect.poll(() => deviceState(page)).toEqual({ databases: [], keys: [], caches: [] });

    // Reopened offline: the sign-in page, not the last user's board from the cookie still held.
    const again = await context.newPage();
    await again.goto(`${base}/b/${boardId}`);
    await again.getByTestId('login-page').waitFor();
    await again.getByTestId('signed-out-on-device').waitFor();
    expect(await again.getByTestId('board-view').count()).toBe(0);
    await server.start();
    expect((await sam.call<{ user: { id: string } }>('GET', '/api/me')).user.id).toBe(sam.id);

    // Back online, the app tells the server: the old cookie no longer works.
    await context.setOffline(false);
    await expect.poll(() => sam.call('GET', '/api/me').then(() => 'valid', (err: Error) => err.message)).toMatch(/ 401 /);
    await again.getByTestId('signed-out-on-device').waitFor({ state: 'detached' });
    expect(await again.getByTestId('board-view').count()).toBe(0);
  });
});
