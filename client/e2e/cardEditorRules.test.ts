/**
 * What the card editor lets a member do, in real Chromium: "Delete card" for a coordinator, and for
 * a requester on their own card while nobody holds it (a driver never, not even on a card they
 * hold); and an
 * impossible time window (ends before it starts) stays in the form with its message and is never
 * written to the shared board, until it is fixed; a card with no title yet cannot be claimed; a
 * card made with "New card" and left blank is taken back; an open card shows another member's
 * changes to its lists (items, tags), and two people typing in one list or title both keep their
 * text, each with their caret in place.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addMembers, northsideBoard, registerUser, transition } from './api.ts';
import { gotoSyncedBoard, launchBrowser, screenshot, signedInPage, startAppServer } from './browser.ts';
import { seedCards } from './seedBoard.ts';

async function openCard(page: Page, base: string, boardId: string, cardId: string): Promise<void> {
  await page.goto(`${base}/b/${boardId}?card=${cardId}`);
  await page.locator('[data-testid="sync-status"][data-sync-state="synced"]').waitFor();
  await page.getByTestId('card-editor').waitFor();
}

describe('card editor rules', () => {
  it('offers Delete card to coordinators and to a requester on their own open card, not to a driver', async () => {
    const server = await startAppServer();
    const base = server.url;
    const browser = await launchBrowser();
    const { amira, sam, boardId } = await northsideBoard(base);
    const rita = await registerUser(base, 'Rita Mensah', 'rita@example.org');
    await addMembers(base, amira, boardId, 'requester', [rita]);
    const [heldByAmira] = await seedCards(base, amira.cookie, boardId, amira.id, [{ title: 'Held by Sam' }]);
    const [openCard1, heldByRita] = await seedCards(base, rita.cookie, boardId, rita.id, [{ title: 'Rita open' }, { title: 'Rita held' }]);
    await transition(sam, boardId, heldByAmira, 'claim');
    await transition(sam, boardId, heldByRita, 'claim');

    // The driver can edit cards, but delete none: neither the one he holds nor an open one.
    const { page: d } = await signedInPage(browser, base, sam);
    for (const id of [heldByAmira, openCard1]) {
      await openCard(d, base, boardId, id);
      expect(await d.getByTestId('card-title-input').isDisabled()).toBe(false);
      expect(await d.getByTestId('delete-card').count()).toBe(0);
    }

    // The requester: not on her card while Sam holds it, nor on someone else's.
    const { page: r } = await signedInPage(browser, base, rita);
    for (const id of [heldByRita, heldByAmira]) {
      await openCard(r, base, boardId, id);
      expect(await r.getByTestId('card-title-input').isDisabled()).toBe(false);
      expect(await r.getByTestId('delete-card').count()).toBe(0);
    }
    // ...but she may take back her own request while nobody has taken it on.
    await openCard(r, base, boardId, openCard1);
    await r.getByTestId('delete-card').waitFor();

    // The coordinator may delete, even a held card; it disappears for the driver.
    await openCard(d, base, boardId, openCard1);
    const { page: c } = await signedInPage(browser, base, amira);
    await openCard(c, base, boardId, heldByAmira);
    await c.getByTestId('delete-card').click();
    // The question has the focus (which scrolls it into view); after it, a toast says what happened.
    await expect.poll(() => c.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('confirm-delete');
    // It says that a driver has the card, and what deleting it does to their delivery.
    expect(await c.getByTestId('delete-held-warning').textContent()).toBe('Sam Okafor claimed it: deleting it cancels the delivery.');
    await screenshot(c, 'delete-held-card-confirm');
    await c.getByTestId('confirm-delete').click();
    expect(await c.getByTestId('deleted-toast').textContent()).toContain('Deleted “Held by Sam”.');
    await expect.poll(() => d.locator(`[data-testid="card-item"][data-card-id="${heldByAmira}"]`).count(), { timeout: 3000 }).toBe(0);
  });

  it('a new card with no title yet offers no Claim, and says why; once titled, the driver can claim it', async () => {
    const server = await startAppServer();
    const base = server.url;
    const browser = await launchBrowser();
    const { amira, sam, boardId } = await northsideBoard(base);
    const { page: c } = await signedInPage(browser, base, amira);
    await c.goto(`${base}/b/${boardId}`);
    await c.locator('[data-testid="sync-status"][data-sync-state="synced"]').waitFor();
    await c.getByTestId('new-card').click();
    await c.getByTestId('card-editor').waitFor();
    const cardId = new URL(c.url()).searchParams.get('card')!;
    // Its title is focused and in view, above the booking and the private details.
    expect(await c.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('card-title-input');
    const title = (await c.getByTestId('card-title-input').boundingBox())!;
    expect(title.y + title.height).toBeLessThanOrEqual(800);
    expect(await c.getByTestId('needs-title').textContent()).toBe('Give this card a title so that drivers can claim it.');
    expect(await c.getByTestId('claim-button').count()).toBe(0);
    await screenshot(c, 'card-untitled-coordinator-1280');

    const { page: d } = await signedInPage(browser, base, sam);
    await openCard(d, base, boardId, cardId);
    expect(await d.getByTestId('needs-title').textContent()).toBe('This card has no title yet. It can be claimed once it has one.');
    expect(await d.getByTestId('claim-button').count()).toBe(0);
    await screenshot(d, 'card-untitled-driver-1280');

    await c.getByTestId('card-title-input').fill('Soup to Elm St');
    await d.getByTestId('claim-button').click();
    await expect.poll(() => d.getByTestId('booking-status').textContent(), { timeout: 3000 }).toMatch(/claimed/i);
    expect(await d.getByTestId('needs-title').count()).toBe(0);
  });

  it('takes back a new card left blank (Close, another New card, Back), and keeps one with anything written', async () => {
    const server = await startAppServer();
    const base = server.url;
    const browser = await launchBrowser();
    const { amira, sam, boardId } = await northsideBoard(base);
    const { page: c } = await signedInPage(browser, base, amira);
    const { page: d } = await signedInPage(browser, base, sam);
    await gotoSyncedBoard(c, base, boardId);
    await gotoSyncedBoard(d, base, boardId);
    const titles = (p: Page) => p.getByTestId('card-item-title').allTextContents();
    const newCard = async () => {
      await c.getByTestId('new-card').click();
      await c.getByTestId('card-editor').waitFor();
      return new URL(c.url()).searchParams.get('card')!;
    };

    // Everyone sees the new card while it is open; closed blank, it goes for everyone.
    await newCard();
    await expect.poll(() => titles(d), { timeout: 3000 }).toEqual(['Untitled card']);
    await c.getByTestId('close-editor').click();
    await expect.poll(() => titles(d), { timeout: 3000 }).toEqual([]);
    expect(await titles(c)).toEqual([]);

    // A second "New card" on a blank one replaces it; Back from a blank one takes it back too.
    await newCard();
    const second = await newCard();
    await expect.poll(() => c.getByTestId('card-item').count()).toBe(1);
    expect(await c.getByTestId('card-item').getAttribute('data-card-id')).toBe(second);
    await c.goBack();
    await expect.poll(() => c.getByTestId('card-item').count()).toBe(0);

    // Anything written keeps it: a title, or only a priority.
    await newCard();
    await c.getByTestId('card-title-input').fill('Bread run');
    await c.getByTestId('close-editor').click();
    await newCard();
    await c.getByTestId('card-priority-select').selectOption('urgent');
    await c.getByTestId('close-editor').click();
    await expect.poll(async () => (await titles(d)).sort(), { timeout: 3000 }).toEqual(['Bread run', 'Untitled card']);
    expect((await titles(c)).sort()).toEqual(['Bread run', 'Untitled card']);
  });

  it('keeps a window that ends before it starts out of the board until it is fixed', async () => {
    const server = await startAppServer();
    const base = server.url;
    const browser = await launchBrowser();
    const { amira, sam, boardId } = await northsideBoard(base);
    const [cardId] = await seedCards(base, amira.cookie, boardId, amira.id, [{ title: 'Weekly grocery box' }]);
    const { page: a } = await signedInPage(browser, base, amira);
    const { page: s } = await signedInPage(browser, base, sam);
    await openCard(a, base, boardId, cardId);
    await openCard(s, base, boardId, cardId);
    const windowOf = (p: Page) => Promise.all([p.getByTestId('window-start-input').inputValue(), p.getByTestId('window-end-input').inputValue()]);

    await a.getByTestId('window-start-input').fill('2030-06-03T18:00');
    await expect.poll(() => windowOf(s), { timeout: 3000 }).toEqual(['2030-06-03T18:00', '']);

    // Until before From: the message, the input kept, aria-invalid; nothing written.
    await a.getByTestId('window-end-input').fill('2030-06-03T16:00');
    expect(await a.getByTestId('card-window-end-error').textContent()).toBe('The window ends before it starts');
    expect(await a.getByTestId('window-end-input').inputValue()).toBe('2030-06-03T16:00');
    // A later edit reaching Sam proves the window would have too (one client's updates arrive in order).
    await a.getByTestId('card-title-input').fill('Weekly grocery box (fridge)');
    await expect.poll(() => s.getByTestId('card-title-input').inputValue(), { timeout: 3000 }).toBe('Weekly grocery box (fridge)');
    expect(await windowOf(s)).toEqual(['2030-06-03T18:00', '']);
    expect(await s.getByTestId('card-item-window').first().textContent()).not.toMatch(/–/);
    expect(await a.getByTestId('window-end-input').getAttribute('aria-invalid')).toBe('true');
    // Nor on this device: reopened, the form shows the stored window.
    await openCard(a, base, boardId, cardId);
    expect(await windowOf(a)).toEqual(['2030-06-03T18:00', '']);

    // Invalid again, then fixed by moving the start: both ends are written together.
    await a.getByTestId('window-end-input').fill('2030-06-03T16:00');
    expect(await a.getByTestId('card-window-end-error').textContent()).toBe('The window ends before it starts');
    await a.getByTestId('window-start-input').fill('2030-06-03T15:00');
    expect(await a.getByTestId('card-window-end-error').textContent()).toBe('');
    expect(await a.getByTestId('window-end-input').getAttribute('aria-invalid')).toBeNull();
    await expect.poll(() => windowOf(s), { timeout: 3000 }).toEqual(['2030-06-03T15:00', '2030-06-03T16:00']);
    expect(await a.getByTestId('window-warning').count()).toBe(0);

    // A mistyped year is a valid window: written, with a warning under it until the dates are fixed.
    await a.getByTestId('window-end-input').fill('2130-06-03T16:00');
    expect(await a.getByTestId('window-warning').textContent()).toMatch(/^This window is 36.?524 days long\. Check the dates\?$/);
    await expect.poll(() => windowOf(s), { timeout: 3000 }).toEqual(['2030-06-03T15:00', '2130-06-03T16:00']);
    await screenshot(a, 'card-window-warning');
    await a.getByTestId('window-end-input').fill('2030-06-03T17:00');
    expect(await a.getByTestId('window-warning').count()).toBe(0);
  });

  it("shows another member's items and tags in an open card, and merges two people typing in one list or title", async () => {
    const server = await startAppServer();
    const base = server.url;
    const browser = await launchBrowser();
    const { amira, sam, boardId } = await northsideBoard(base);
    const [cardId] = await seedCards(base, amira.cookie, boardId, amira.id, [{ title: 'Bread from bakery', items: ['4 hot meals'], tags: ['meals'] }]);
    const { page: a } = await signedInPage(browser, base, amira);
    const { page: s } = await signedInPage(browser, base, sam);
    await openCard(a, base, boardId, cardId);
    await openCard(s, base, boardId, cardId);

    // Sam changes the lists; Amira's open editor follows (it kept the old lists before).
    await s.getByTestId('card-items-input').fill('4 hot meals\n2 salads');
    await s.getByTestId('card-tags-input').fill('meals, hot');
    await expect.poll(() => a.getByTestId('card-items-input').inputValue(), { timeout: 3000 }).toBe('4 hot meals\n2 salads');
    await expect.poll(() => a.getByTestId('card-tags-input').inputValue(), { timeout: 3000 }).toBe('meals, hot');
    // So her next change adds to his instead of writing back what she saw first.
    await a.getByTestId('card-tags-input').fill('meals, hot, vegan');
    await expect.poll(() => s.getByTestId('card-tags-input').inputValue(), { timeout: 3000 }).toBe('meals, hot, vegan');

    // Both type in the item list at once, Amira inside the first item, Sam a new last one: each
    // one's caret stays in their own words (it used to jump to the end when the other's change came
    // in, and the next keystrokes ran into the other's item).
    const items = (p: Page) => p.getByTestId('card-items-input');
    await items(a).click();
    await a.keyboard.press('Control+Home');
    for (let i = 0; i < '4 hot'.length; i++) await a.keyboard.press('ArrowRight');
    await items(s).click();
    await s.keyboard.press('Control+End');
    await Promise.all([a.keyboard.type(' vegetarian', { delay: 50 }), s.keyboard.type('\nbread rolls', { delay: 60 })]);
    const merged = '4 hot vegetarian meals\n2 salads\nbread rolls';
    await expect.poll(() => items(a).inputValue(), { timeout: 3000 }).toBe(merged);
    await expect.poll(() => items(s).inputValue(), { timeout: 3000 }).toBe(merged);
    // The same in the tags, where a separator just typed waits for its next tag.
    await a.getByTestId('card-tags-input').click();
    await a.keyboard.press('End');
    await a.keyboard.type(', ');
    await s.getByTestId('card-tags-input').fill('meals, hot, vegan, nuts');
    await expect.poll(() => a.getByTestId('card-tags-input').inputValue(), { timeout: 3000 }).toBe('meals, hot, vegan, nuts, ');
    await a.keyboard.type('fragile');
    await expect.poll(() => s.getByTestId('card-tags-input').inputValue(), { timeout: 3000 }).toBe('meals, hot, vegan, nuts, fragile');
    await screenshot(a, 'lists-typed-together');

    // Both type in the title at once, at either end of it: both texts are kept, on both screens.
    await a.getByTestId('card-title-input').click();
    await a.keyboard.press('End');
    await s.getByTestId('card-title-input').click();
    await s.keyboard.press('Home');
    await Promise.all([a.keyboard.type(' - 6 loaves', { delay: 40 }), s.keyboard.type('FRESH ', { delay: 60 })]);
    const title = 'FRESH Bread from bakery - 6 loaves';
    await expect.poll(() => a.getByTestId('card-title-input').inputValue(), { timeout: 3000 }).toBe(title);
    await expect.poll(() => s.getByTestId('card-title-input').inputValue(), { timeout: 3000 }).toBe(title);
    await expect.poll(() => s.getByTestId('card-item-title').first().textContent(), { timeout: 3000 }).toBe(title);
  });
});
