/**
 * A driver at the doorstep with no signal still has the door code: the private details of a card
 * they hold, once opened online, are kept on the device and shown (read-only, marked as the
 * device's copy) offline, even after a cold start; delivering forgets them, and so does signing out.
 * So does a coordinator ending the hold (release, cancel) while the driver's board is open, and
 * removing the driver from the board, which also takes the board off their screen at once.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { northsideBoard, transition } from './api.ts';
import { launchBrowser, screenshot, signedInPage } from './browser.ts';
import { startRestartableServer } from './restartableServer.ts';
import { seedCards } from './seedBoard.ts';

const keptKeys = (page: Page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('delivery-board:private:')));

describe('private details offline', () => {
  it('a driver holding a card sees its door code offline, from the copy kept on the device', async () => {
    const server = await startRestartableServer();
    const base = server.url;
    const browser = await launchBrowser();
    const { amira, sam, boardId } = await northsideBoard(base);
    const [cardId] = await seedCards(base, amira.cookie, boardId, amira.id, [{ title: 'Hot meals for Elm Court' }]);
    await amira.call('PUT', `/api/boards/${boardId}/cards/${cardId}/private`, { recipientName: 'Elm Court warden', phone: '+44 7700 900123', accessNotes: 'Door code 1942' });
    await transition(sam, boardId, cardId!, 'claim');

    // Online: Sam opens his card once (the service worker installs meanwhile).
    const { context, page } = await signedInPage(browser, base, sam, { viewport: { width: 390, height: 844 } });
    await page.goto(`${base}/b/${boardId}?card=${cardId}`);
    await expect.poll(() => page.getByTestId('private-notes').textContent(), { timeout: 10_000 }).toBe('Door code 1942');
    await page.evaluate(() => navigator.serviceWorker.ready);
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
    expect(await keptKeys(page)).toHaveLength(1);

    // No network at all, cold: the app opens from the device and the card shows the kept copy.
    await page.close();
    await server.stop();
    await context.setOffline(true);
    const offline = await context.newPage();
    await offline.goto(`${base}/b/${boardId}?card=${cardId}`);
    await offline.getByTestId('private-kept').waitFor({ timeout: 15_000 });
    expect(await offline.getByTestId('private-notes').textContent()).toBe('Door code 1942');
    expect(await offline.getByTestId('private-phone').textContent()).toBe('+44 7700 900123');
    // The card sheet covers the board's sync pill on a phone: its head says the board is offline,
    // and how many changes wait on the device.
    const away = offline.getByTestId('editor-sync');
    expect(await away.isVisible()).toBe(true);
    expect(await away.textContent()).toBe('Offline');
    // Typed letter by letter (and one slip corrected): still one change, not one per keystroke.
    await offline.getByTestId('card-notes-input').click();
    await offline.keyboard.type('Warden is in from 99');
    await offline.keyboard.press('Backspace');
    await expect.poll(() => offline.getByTestId('card-notes-input').inputValue()).toBe('Warden is in from 9');
    await expect.poll(() => away.textContent()).toBe('Offline · 1 unsent');
    await screenshot(offline, 'private-offline-390');

    // Back online, Sam picks it up (the copy stays) and delivers it: the device's copy goes.
    await server.start();
    await context.setOffline(false);
    await offline.reload();
    await offline.getByTestId('pickup-button').click({ timeout: 20_000 });
    expect(await offline.getByTestId('editor-sync').count()).toBe(0);
    await offline.getByTestId('deliver-button').waitFor();
    expect(await keptKeys(offline)).toHaveLength(1);
    await offline.getByTestId('deliver-button').click();
    await expect.poll(() => keptKeys(offline), { timeout: 10_000 }).toEqual([]);
  });
  it('go when a coordinator ends the hold, and with the whole board when the driver is removed', async () => {
    const server = await startRestartableServer();
    const base = server.url;
    const browser = await launchBrowser();
    const { amira, sam, boardId } = await northsideBoard(base);
    const [released, kept] = await seedCards(base, amira.cookie, boardId, amira.id, [{ title: 'Bread run' }, { title: 'Hot meals for Elm Court' }]);
    for (const cardId of [released!, kept!]) {
      await amira.call('PUT', `/api/boards/${boardId}/cards/${cardId}/private`, { recipientName: 'Warden', phone: '+44 7700 900123', accessNotes: 'Door code 1942' });
      await transition(sam, boardId, cardId, 'claim');
    }
    const { page } = await signedInPage(browser, base, sam, { viewport: { width: 390, height: 844 } });
    for (const cardId of [released!, kept!]) {
      await page.goto(`${base}/b/${boardId}?card=${cardId}`);
      await expect.poll(() => page.getByTestId('private-notes').textContent(), { timeout: 10_000 }).toBe('Door code 1942');
    }
    expect(await keptKeys(page)).toHaveLength(2);

    // The coordinator releases one of them while Sam has the other open: that copy goes at once.
    await transition(amira, boardId, released!, 'release');
    await expect.poll(() => keptKeys(page), { timeout: 10_000 }).toHaveLength(1);
    expect((await keptKeys(page))[0]).toContain(kept!);

    // Sam is removed from the board: it leaves his screen, door code and all, and his phone.
    await amira.call('DELETE', `/api/boards/${boardId}/members/${sam.id}`);
    await expect.poll(() => page.getByTestId('sync-closed').textContent(), { timeout: 10_000 }).toMatch(/no longer have access/);
    expect(await page.getByTestId('private-details').count()).toBe(0);
    expect(await page.getByTestId('card-item').count()).toBe(0);
    expect(await page.getByTestId('deliver-button').count()).toBe(0);
    expect(await keptKeys(page)).toEqual([]);
    await screenshot(page, 'removed-driver-390');
  });
  it('opened offline, a coordinator is told they come back with the network, and they do', async () => {
    const server = await startRestartableServer();
    const base = server.url;
    const browser = await launchBrowser();
    const { amira, boardId } = await northsideBoard(base);
    const [cardId] = await seedCards(base, amira.cookie, boardId, amira.id, [{ title: 'Hot meals for Elm Court' }]);
    await amira.call('PUT', `/api/boards/${boardId}/cards/${cardId}/private`, { recipientName: 'Elm Court warden', phone: '+44 7700 900123', accessNotes: 'Door code 1942' });
    const { context, page } = await signedInPage(browser, base, amira);
    await page.goto(`${base}/b/${boardId}`);
    await page.locator('[data-testid="sync-status"][data-sync-state="synced"]').waitFor();

    await context.setOffline(true);
    await page.getByTestId('card-item').filter({ hasText: 'Hot meals' }).click();
    await expect.poll(() => page.getByTestId('private-offline').textContent(), { timeout: 10_000 }).toBe(
      "You're offline. Private details are kept on the server only: you can see and add them once you're back online.",
    );
    await context.setOffline(false);
    await expect.poll(() => page.getByTestId('private-notes-input').inputValue(), { timeout: 10_000 }).toBe('Door code 1942');
    expect(await page.getByTestId('private-offline').count()).toBe(0);
  });
});
