/**
 * Warm start when the bookings device copy loads after the cards': the board waits for both, so a
 * claimed card never shows as open for a moment, and replaying the stored bookings raises no
 * notification. (An init script holds the bookings database back for a while, to make the slow
 * case certain.)
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { northsideBoard, signIn, transition } from './api.ts';
import { gotoSyncedBoard, launchBrowser, newUserPage, screenshot } from './browser.ts';
import { startRestartableServer } from './restartableServer.ts';

/** Opens `bookings:*` databases `ms` late; records the first card row the page ever shows. */
function slowBookingsDevice({ ms, seenKey }: { ms: number; seenKey: string }) {
  // This device last looked at the board long ago: any booking it replays would count as news.
  localStorage.setItem(seenKey, '1');
  const open = IDBFactory.prototype.open;
  IDBFactory.prototype.open = function (this: IDBFactory, name: string, version?: number) {
    if (!name.startsWith('bookings:')) return open.call(this, name, version);
    const late: Record<string, ((e: Event) => void) | null> = {};
    setTimeout(() => {
      const req = open.call(this, name, version);
      for (const ev of ['onupgradeneeded', 'onerror', 'onsuccess', 'onblocked'] as const) (req as any)[ev] = (e: Event) => late[ev]?.(e);
    }, ms);
    return late as unknown as IDBOpenDBRequest;
  };
  const w = window as unknown as { __firstCard: string | null };
  w.__firstCard = null;
  new MutationObserver(() => {
    w.__firstCard ??= document.querySelector('[data-testid="card-item"]')?.className ?? null;
  }).observe(document, { childList: true, subtree: true, attributes: true });
}

const updatesStored = (page: Page, db: string) =>
  page.evaluate(
    (name) =>
      new Promise<number>((resolve) => {
        const req = indexedDB.open(name);
        req.onsuccess = () => {
          const count = req.result.transaction('updates').objectStore('updates').count();
          count.onsuccess = () => {
            resolve(count.result);
            req.result.close();
          };
        };
      }),
    db,
  );

describe('bookings device copy', () => {
  it('is waited for on a warm start, and replays no notifications', async () => {
    const server = await startRestartableServer();
    const base = server.url;
    const browser = await launchBrowser();
    const { amira, sam, boardId } = await northsideBoard(base);

    const { context, page } = await newUserPage(browser);
    await signIn(context, base, amira);
    await gotoSyncedBoard(page, base, boardId);
    await page.getByTestId('new-card').click();
    await page.getByTestId('card-title-input').fill('Weekly grocery box');
    const cardId = new URL(page.url()).searchParams.get('card')!;
    await page.getByTestId('close-editor').click();
    await page.evaluate(() => navigator.serviceWorker.ready);

    // Sam claims it; Amira's page hears of it (once) and keeps the booking on the device.
    const before = await updatesStored(page, `bookings:${boardId}`);
    await transition(sam, boardId, cardId, 'claim');
    await page.locator('[data-testid="card-item"].card-status-claimed').waitFor();
    await page.getByTestId('notice-toast').waitFor();
    await expect.poll(() => updatesStored(page, `bookings:${boardId}`)).toBeGreaterThan(before);
    await page.close();

    // Warm start with no network, the bookings copy loading 1.5 s after the cards'.
    await server.stop();
    await context.setOffline(true);
    await context.addInitScript(slowBookingsDevice, { ms: 1500, seenKey: `delivery-board:seen:${boardId}` });
    const again = await context.newPage();
    await again.goto(`${base}/b/${boardId}`);
    await again.getByText('Opening board…').waitFor();
    await screenshot(again, 'board-loading-bookings');
    expect(await again.getByTestId('card-item').count()).toBe(0);
    await again.getByTestId('card-item').waitFor();
    expect(await again.evaluate(() => (window as unknown as { __firstCard: string | null }).__firstCard)).toContain('card-status-claimed');
    await again.waitForTimeout(500);
    expect(await again.getByTestId('notice-toast').count()).toBe(0);
  });
});
