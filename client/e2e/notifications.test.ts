/**
 * Notifications in the browser: what others do to my cards reaches me as a toast, and as a system
 * notification when the page is hidden and notifications are allowed. (System notifications are
 * recorded by an init script: headless Chromium shows none.)
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { northsideBoard, signIn, transition } from './api.ts';
import { gotoSyncedBoard, launchBrowser, screenshot, startAppServer } from './browser.ts';

/** Records system notifications and lets the test say whether the page is hidden. */
function recordNotifications() {
  const w = window as unknown as { __notes: string[]; __hidden: boolean };
  w.__notes = [];
  w.__hidden = false;
  Object.defineProperty(document, 'visibilityState', { get: () => (w.__hidden ? 'hidden' : 'visible') });
  ServiceWorkerRegistration.prototype.showNotification = async function (title: string) {
    w.__notes.push(title);
  };
}

const notes = (page: Page) => page.evaluate(() => (window as unknown as { __notes: string[] }).__notes);
const toastTexts = (page: Page) => page.locator('[data-testid="notice-toast"] .toast-text').allTextContents();

describe('notifications', () => {
  it('tell authors and drivers what others did to their cards', async () => {
    const server = await startAppServer();
    const base = server.url;
    const browser = await launchBrowser();
    const { amira, sam, boardId } = await northsideBoard(base);

    const open = async (user: typeof amira) => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, permissions: ['notifications'] });
      await context.addInitScript(recordNotifications);
      await signIn(context, base, user);
      const page = await context.newPage();
      page.on('pageerror', (err) => console.error('[page error]', err.message));
      await gotoSyncedBoard(page, base, boardId);
      return page;
    };
    const a = await open(amira);
    await a.getByTestId('new-card').click();
    await a.getByTestId('card-title-input').fill('Weekly grocery box');
    const first = new URL(a.url()).searchParams.get('card')!;
    await a.getByTestId('new-card').click();
    await a.getByTestId('card-title-input').fill('Bread run');
    const second = new URL(a.url()).searchParams.get('card')!;
    await a.getByTestId('close-editor').click();
    const s = await open(sam);
    await s.getByTestId('card-item').filter({ hasText: 'Bread run' }).waitFor();

    // Sam claims Amira's card in the app: she is told (a toast: her page is in front).
    await s.getByTestId('card-item').filter({ hasText: 'Weekly grocery box' }).click();
    await s.getByTestId('claim-button').click();
    await expect.poll(() => toastTexts(a)).toContain('Your request was claimed: Sam Okafor claimed “Weekly grocery box”.');
    expect(await notes(a)).toEqual([]);
    // Amira's page goes to the background; Sam picks up: a system notification instead.
    await a.evaluate(() => ((window as unknown as { __hidden: boolean }).__hidden = true));
    await s.getByTestId('pickup-button').click();
    await expect.poll(() => notes(a)).toEqual(['Your request was picked up']);
    await s.getByTestId('close-editor').click();
    await a.evaluate(() => ((window as unknown as { __hidden: boolean }).__hidden = false));

    // Seconds after Sam's own pickup, Amira releases the card: that is her doing, and he is told.
    await transition(amira, boardId, first, 'release');
    await expect.poll(() => toastTexts(s)).toContain('A delivery was taken off you: You no longer hold “Weekly grocery box”.');

    // Sam claims the second card on his phone, then lets it go: his own doing, so this page, where
    // nothing of his was under way, says nothing (the booking names who made each change).
    const bread = s.getByTestId('card-item').filter({ hasText: 'Bread run' }).locator('[data-status]');
    await transition(sam, boardId, second, 'claim');
    await expect.poll(() => bread.getAttribute('data-status')).toBe('claimed');
    await transition(sam, boardId, second, 'release');
    await expect.poll(() => bread.getAttribute('data-status')).toBe('open');
    await s.waitForTimeout(500); // notices follow the same bookings change as the badge
    expect((await toastTexts(s)).filter((t) => t.includes('Bread run'))).toEqual([]);

    // Amira assigns the second card to Sam: he is told.
    await transition(amira, boardId, second, 'assign', { driverId: sam.id });
    await expect.poll(() => toastTexts(s)).toContain('You were assigned a delivery: “Bread run” is yours now.');

    // Amira edits a card Sam holds: one notice for the burst of typing, naming the fields.
    await a.getByTestId('card-item').filter({ hasText: 'Bread run' }).click();
    await a.getByTestId('pickup-label-input').pressSequentially('Bakery, 3 Mill St');
    await a.getByTestId('card-priority-select').selectOption('urgent');
    await expect.poll(() => toastTexts(s), { timeout: 10_000 }).toContain('A delivery you hold was changed: “Bread run”: pickup, priority changed.');
    expect((await toastTexts(s)).filter((t) => t.startsWith('A delivery you hold was changed'))).toHaveLength(1);

    // ...and cancels it.
    await transition(amira, boardId, second, 'cancel');
    await expect.poll(() => toastTexts(s)).toContain('A delivery you hold was cancelled: “Bread run” was cancelled.');
    // Sam's own claim and pickup were never news to him (Amira's release of that card was).
    expect((await toastTexts(s)).some((t) => t.includes('Weekly grocery box') && !t.startsWith('A delivery was taken off you'))).toBe(false);
    await screenshot(s, 'notifications-driver-1280');
  });
});
