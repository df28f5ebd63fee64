/**
 * An offline claim that loses, in the browser: two drivers, one card. Driver 1 goes offline and
 * taps Claim (it waits in the intent queue, shown as pending); driver 2, online, claims and wins.
 * When driver 1 is back online the queued claim is replayed, the server answers 409 with the
 * current booking, and driver 1 is told plainly that driver 2 has the card. Screenshots of both
 * views are saved under test-artifacts/.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addMembers, registerUser, signIn } from './api.ts';
import { launchBrowser, newUserPage, screenshot, startAppServer } from './browser.ts';

const connected = (page: Page) => page.locator('[data-testid="sync-status"][data-status="connected"]').waitFor();

describe('offline claim', () => {
  it('a claim queued offline that lost is reported plainly once back online', async () => {
    const server = await startAppServer();
    const base = server.url;
    const browser = await launchBrowser();

    // Set-up over REST: a coordinator's board and two drivers.
    const amira = await registerUser(base, 'Amira Haddad', 'amira@example.org');
    const { id: boardId } = await amira.call<{ id: string }>('POST', '/api/boards', { name: 'Northside Food Bank' });
    const lena = await registerUser(base, 'Lena Fischer', 'lena@example.org');
    const sam = await registerUser(base, 'Sam Okafor', 'sam@example.org');
    await addMembers(base, amira, boardId, 'driver', [lena, sam]);

    // The coordinator posts the card (cards live in the board's Yjs document).
    const coord = await newUserPage(browser);
    await signIn(coord.context, base, amira);
    await coord.page.goto(`${base}/b/${boardId}`);
    await connected(coord.page);
    await coord.page.getByTestId('new-card').click();
    await coord.page.getByTestId('card-title-input').fill('Weekly grocery box');
    await coord.page.getByTestId('pickup-label-input').fill("St Mary's Hall, 12 High St");
    await coord.page.getByTestId('dropoff-label-input').fill('4B Elm Court');
    await expect.poll(() => new URL(coord.page.url()).searchParams.get('card')).toBeTruthy();

    const d1 = await newUserPage(browser);
    const d2 = await newUserPage(browser);
    await signIn(d1.context, base, lena);
    await signIn(d2.context, base, sam);
    for (const d of [d1, d2]) {
      await d.page.goto(`${base}/b/${boardId}`);
      await connected(d.page);
      await d.page.getByTestId('card-item').filter({ hasText: 'Weekly grocery box' }).click();
      await d.page.getByTestId('claim-button').waitFor();
      await expect.poll(() => d.page.getByTestId('card-status').first().textContent()).toBe('Open');
    }

    // Driver 1 loses the network and taps Claim: it waits, and says so.
    await d1.context.setOffline(true);
    await d1.page.getByTestId('claim-button').click();
    await expect.poll(() => d1.page.getByTestId('pending-intent').textContent()).toContain('Claim pending');
    await expect.poll(() => d1.page.getByTestId('pending-intent').textContent()).toContain("when you're back online");
    await expect.poll(() => d1.page.getByTestId('card-pending').textContent()).toContain('Claim pending');
    expect(await d1.page.getByTestId('claim-button').count()).toBe(0);
    await screenshot(d1.page, 'offline-claim-driver1-pending');

    // Driver 2, online, claims the same card and wins.
    await d2.page.getByTestId('claim-button').click();
    await expect.poll(() => d2.page.getByTestId('booking-status').textContent()).toBe('Claimed by you');
    await d2.page.getByTestId('pickup-button').waitFor();

    // Driver 1 is back: the queued claim is replayed and lost; driver 1 is told who won.
    await d1.context.setOffline(false);
    await d1.page.evaluate(() => window.dispatchEvent(new Event('online')));
    const toast = d1.page.getByTestId('outcome-toast');
    await toast.waitFor({ timeout: 15_000 });
    const text = await toast.textContent();
    expect(text).toContain('Sam Okafor claimed Weekly grocery box at');
    expect(text).toContain('while you were offline');
    expect(await toast.getAttribute('data-tone')).toBe('lost');
    await expect.poll(() => d1.page.getByTestId('card-status').first().textContent()).toBe('Claimed by Sam Okafor');
    await expect.poll(() => d1.page.getByTestId('booking-status').textContent()).toBe('Claimed by Sam Okafor');
    expect(await d1.page.getByTestId('pending-intent').count()).toBe(0);
    expect(await d1.page.getByTestId('claim-button').count()).toBe(0);
    // Nothing is left in the queue: a reload shows no pending claim and no new toast.
    await expect.poll(() => d1.page.getByTestId('card-pending').count()).toBe(0);

    // Sam's view: he holds it and the timeline names him.
    await expect.poll(() => d2.page.getByTestId('timeline-entry').first().textContent()).toContain('Sam Okafor claimed it');

    await screenshot(d1.page, 'offline-claim-driver1-outcome');
    await screenshot(d2.page, 'offline-claim-driver2');
    await d1.page.setViewportSize({ width: 375, height: 740 });
    await screenshot(d1.page, 'offline-claim-driver1-outcome-375');
  });
});

describe('offline intents at app start', () => {
  it('are replayed in creation order once the board has synced, even with the board closed', async () => {
    const server = await startAppServer();
    const base = server.url;
    const browser = await launchBrowser();

    const amira = await registerUser(base, 'Amira Haddad', 'amira@example.org');
    const { id: boardId } = await amira.call<{ id: string }>('POST', '/api/boards', { name: 'Northside Food Bank' });
    const lena = await registerUser(base, 'Lena Fischer', 'lena@example.org');
    await addMembers(base, amira, boardId, 'driver', [lena]);

    const d = await newUserPage(browser);
    await signIn(d.context, base, lena);
    await d.page.goto(`${base}/b/${boardId}`);
    await connected(d.page);
    await d.page.getByTestId('new-card').click();
    await d.page.getByTestId('card-title-input').fill('Weekly grocery box');
    await d.page.getByTestId('claim-button').waitFor();
    const first = new URL(d.page.url()).searchParams.get('card')!;

    // Offline: a new card (only on this device so far), claimed; then the first card, claimed.
    await d.context.setOffline(true);
    await d.page.getByTestId('new-card').click();
    await d.page.getByTestId('card-title-input').fill('Extra bread run');
    const second = new URL(d.page.url()).searchParams.get('card')!;
    await d.page.getByTestId('claim-button').click();
    await d.page.getByTestId('pending-intent').waitFor();
    await d.page.getByTestId('card-item').filter({ hasText: 'Weekly grocery box' }).click();
    await d.page.getByTestId('claim-button').click();
    await expect.poll(() => d.page.getByTestId('card-pending').count()).toBe(2);
    await d.page.waitForTimeout(300); // let y-indexeddb finish writing the new card
    await d.page.close();

    // Back online, the app opens on the boards page: nothing of the board is on screen.
    await d.context.setOffline(false);
    const page = await d.context.newPage();
    await page.goto(`${base}/`);
    await expect
      .poll(async () => (await page.locator('[data-testid="outcome-toast"] .toast-text').allTextContents()).sort(), { timeout: 20_000 })
      .toEqual(['You claimed Extra bread run', 'You claimed Weekly grocery box']);

    // The server saw the offline card first, then the claims in the order they were made.
    const { entries } = await amira.call<{ entries: { action: string; cardId: string }[] }>('GET', `/api/boards/${boardId}/audit?limit=50`);
    const claims = entries.filter((e) => e.action === 'booking.claim').map((e) => e.cardId).reverse();
    expect(claims).toEqual([second, first]);
    const created = entries.findIndex((e) => e.action === 'card.created' && e.cardId === second);
    expect(created).toBeGreaterThan(entries.findIndex((e) => e.action === 'booking.claim' && e.cardId === second));

    // And the queue is empty: opening the board shows both as claimed by Lena, nothing pending.
    await page.goto(`${base}/b/${boardId}`);
    await connected(page);
    await expect.poll(() => page.getByTestId('card-status').allTextContents()).toEqual(['Claimed by you', 'Claimed by you']);
    expect(await page.getByTestId('card-pending').count()).toBe(0);
  });
});
