/**
 * A coordinator changes a member's role while their board is open: the server closes the member's
 * socket with 4001 and the provider reconnects at once with the new rights. That is a reconnect,
 * not an outage: the member's sync pill never says "Offline", and screen readers are not told
 * "You are offline" and then "Back online" when the network never went.
 */
import { describe, expect, it } from 'vitest';
import { northsideBoard } from './api.ts';
import { gotoSyncedBoard, launchBrowser, signedInPage, startAppServer } from './browser.ts';
import { seedCards } from './seedBoard.ts';

describe('a role change on an open board', () => {
  it('reconnects with the new rights without ever showing the board offline', async () => {
    const server = await startAppServer();
    const base = server.url;
    const browser = await launchBrowser();
    const { amira, sam, boardId } = await northsideBoard(base);
    await seedCards(base, amira.cookie, boardId, amira.id, [{ title: 'Weekly grocery box' }]);
    const { page } = await signedInPage(browser, base, sam);
    await gotoSyncedBoard(page, base, boardId);
    // Every state the pill and the announcer go through, from now on.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      const pill = document.querySelector('[data-testid="sync-status"]')!;
      const announcer = pill.parentElement!.querySelector('[role="status"]')!;
      new MutationObserver(() => seen.push(`state:${pill.getAttribute('data-sync-state')}`)).observe(pill, { attributes: true });
      new MutationObserver(() => seen.push(`said:${announcer.textContent}`)).observe(announcer, { childList: true, characterData: true, subtree: true });
    });
    expect(await page.getByTestId('new-card').isEnabled()).toBe(true);

    await amira.call('PATCH', `/api/boards/${boardId}/members/${sam.id}`, { role: 'viewer' });
    // Viewer now: no New card, fields read-only.
    await expect.poll(() => page.getByTestId('new-card').count(), { timeout: 10_000 }).toBe(0);
    await page.locator('[data-testid="sync-status"][data-sync-state="synced"]').waitFor();
    const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    expect(seen.filter((s) => /offline/i.test(s))).toEqual([]);
  });
});
