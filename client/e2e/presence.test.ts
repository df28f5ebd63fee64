/**
 * Presence in the browser: two coordinators on one board. Sam sees Amira's avatar in the
 * toolbar, sees that she is editing a card (in the list and in his own editor of that card), and
 * sees her leave it.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { northsideBoard, signIn } from './api.ts';
import { launchBrowser, newUserPage, screenshot, startAppServer } from './browser.ts';

const connected = (page: Page) => page.locator('[data-testid="sync-status"][data-status="connected"]').waitFor();

describe('presence', () => {
  it('shows who is on the board and who is editing which card', async () => {
    const server = await startAppServer();
    const base = server.url;
    const browser = await launchBrowser();
    const { amira, sam, boardId } = await northsideBoard(base, 'coordinator');

    const a = await newUserPage(browser);
    await signIn(a.context, base, amira);
    await a.page.goto(`${base}/b/${boardId}`);
    await connected(a.page);
    await a.page.getByTestId('new-card').click();
    await a.page.getByTestId('card-title-input').fill('Weekly grocery box');
    const cardX = new URL(a.page.url()).searchParams.get('card')!;
    await a.page.getByTestId('new-card').click();
    await a.page.getByTestId('card-title-input').fill('Bread run');
    await a.page.getByTestId('close-editor').click();

    const b = await newUserPage(browser);
    await signIn(b.context, base, sam);
    await b.page.goto(`${base}/b/${boardId}`);
    await connected(b.page);

    // Sam sees Amira on the board (and Amira sees Sam).
    const amiraAvatar = b.page.locator(`[data-testid="presence-avatar"][data-user-id="${amira.id}"]`);
    await amiraAvatar.waitFor();
    expect(await amiraAvatar.textContent()).toContain('AH');
    await a.page.locator(`[data-testid="presence-avatar"][data-user-id="${sam.id}"]`).waitFor();

    // Amira opens card X and types in it: Sam sees her editing X, in the toolbar and in the list.
    await a.page.getByTestId('card-item').filter({ hasText: 'Weekly grocery box' }).click();
    await a.page.getByTestId('card-notes-input').click();
    await a.page.getByTestId('card-notes-input').pressSequentially('Ring twice');
    await expect.poll(() => amiraAvatar.getAttribute('data-editing')).toBe(cardX);
    const rowX = b.page.locator(`[data-testid="card-item"][data-card-id="${cardX}"]`);
    await expect.poll(() => rowX.getByTestId('card-presence').textContent()).toContain('Amira Haddad is editing this card');
    expect(await rowX.getAttribute('class')).toContain('card-item-busy');
    expect(await b.page.getByTestId('card-item').filter({ hasText: 'Bread run' }).getByTestId('card-presence').count()).toBe(0);

    // In Sam's editor of the same card.
    await rowX.click();
    await expect.poll(() => b.page.getByTestId('editor-presence').textContent()).toContain('Amira Haddad is editing this card');
    await screenshot(b.page, 'presence-editing-1280');

    // Amira closes the card: the marks go away.
    await a.page.getByTestId('close-editor').click();
    await expect.poll(() => amiraAvatar.getAttribute('data-editing')).toBe('');
    await expect.poll(() => b.page.getByTestId('editor-presence').count()).toBe(0);
    expect(await rowX.getByTestId('card-presence').count()).toBe(0);

    // Sam's device goes offline: it no longer says Amira is here (it cannot know), and does again once back.
    await b.context.setOffline(true);
    await expect.poll(() => amiraAvatar.count(), { timeout: 5000 }).toBe(0);
    await b.context.setOffline(false);
    await expect.poll(() => amiraAvatar.count(), { timeout: 15_000 }).toBe(1);
  });
});
