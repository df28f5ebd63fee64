/**
 * Signing out leaves nothing of the user's boards on the device: no board or bookings copies in
 * IndexedDB, no queued intents, no app keys in localStorage, no cached data besides the app shell;
 * and the board no longer opens offline (the app does, and says it cannot reach the server).
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addMembers, registerUser, signIn } from './api.ts';
import { launchBrowser, newUserPage } from './browser.ts';
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

describe('sign-out', () => {
  it('clears the device’s boards, bookings, intents and keys', async () => {
    const server = await startRestartableServer();
    const base = server.url;
    const browser = await launchBrowser();
    const amira = await registerUser(base, 'Amira Haddad', 'amira@example.org');
    const { id: boardId } = await amira.call<{ id: string }>('POST', '/api/boards', { name: 'Northside Food Bank' });
    const sam = await registerUser(base, 'Sam Okafor', 'sam@example.org');
    await addMembers(base, amira, boardId, 'driver', [sam]);

    const { context, page } = await newUserPage(browser);
    await signIn(context, base, sam);
    await page.goto(`${base}/b/${boardId}`);
    await page.locator('[data-testid="sync-status"][data-sync-state="synced"]').waitFor();
    await page.getByTestId('new-card').click();
    await page.getByTestId('card-title-input').fill('Weekly grocery box');
    await page.evaluate(() => navigator.serviceWorker.ready);
    // An intent waiting in the queue (claimed while offline).
    await context.setOffline(true);
    await page.getByTestId('claim-button').click();
    await page.getByTestId('pending-intent').waitFor();
    await context.setOffline(false);
    await expect.poll(async () => (await deviceState(page)).databases).toEqual([`board:${boardId}`, `bookings:${boardId}`, 'intents']);
    expect((await deviceState(page)).keys.length).toBeGreaterThan(0);

    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/login/);
    await expect.poll(() => deviceState(page)).toEqual({ databases: [], keys: [], caches: [] });

    // Offline, the board is gone from this device: the app opens (service worker) but cannot
    // know who this is, and shows no board.
    await server.stop();
    await context.setOffline(true);
    const again = await context.newPage();
    await again.goto(`${base}/b/${boardId}`);
    await again.getByText("Can't reach the server").waitFor();
    expect(await again.getByTestId('board-view').count()).toBe(0);
  });
});
