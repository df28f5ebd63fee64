/**
 * Two people, two browser contexts: sign up, create a board, invite through the UI, and edit the
 * same cards live. Screenshots of both views are saved under test-artifacts/.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { northsideBoard, transition } from './api.ts';
import { launchBrowser, newUserPage, screenshot, signedInPage, startAppServer } from './browser.ts';
import { seedCards } from './seedBoard.ts';

async function register(page: Page, name: string, email: string) {
  await page.getByTestId('name-input').fill(name);
  await page.getByTestId('email-input').fill(email);
  await page.getByTestId('password-input').fill('correct horse battery');
  await page.getByTestId('register-submit').click();
}

describe('live collaboration in the browser', () => {
  it('a second user invited by link sees the first user’s card edits within 2 s', async () => {
    const server = await startAppServer();
    const browser = await launchBrowser();
    const a = await newUserPage(browser);
    const b = await newUserPage(browser);

    await a.page.goto(`${server.url}/register`);
    await register(a.page, 'Amira Haddad', 'amira@example.org');
    await a.page.getByTestId('board-name-input').fill('Northside Food Bank');
    await a.page.getByTestId('create-board').click();
    await a.page.getByTestId('board-view').waitFor();
    await a.page.locator('[data-testid="sync-status"][data-status="connected"]').waitFor();

    await a.page.getByTestId('members-link').click();
    await a.page.getByTestId('invite-role-select').selectOption('driver');
    await a.page.getByTestId('create-invite').click();
    const inviteUrl = await a.page.getByTestId('invite-url').inputValue();
    expect(inviteUrl).toMatch(/\/invite\/[a-z0-9]{20,}$/);
    // Only the token's hash is stored: the page says to copy the link now.
    expect(await a.page.getByTestId('invite-shown-once').textContent()).toContain('shown only this once');

    await b.page.goto(inviteUrl);
    await expect.poll(() => b.page.getByTestId('invite-board-name').textContent()).toContain('Northside Food Bank');
    await b.page.getByTestId('invite-register').click();
    await register(b.page, 'Sam Okafor', 'sam@example.org');
    await b.page.getByTestId('join-board').click();
    await b.page.getByTestId('board-view').waitFor();
    await b.page.locator('[data-testid="sync-status"][data-status="connected"]').waitFor();

    // A's Members page, open all along, shows the newcomer without a reload.
    await expect.poll(() => a.page.getByTestId('members-section').textContent(), { timeout: 8000 }).toContain('Sam Okafor');
    // A is the only coordinator: A's role and Leave are disabled and say why; Sam's are not.
    const aRow = a.page.getByTestId('member-row').filter({ hasText: 'Amira Haddad' });
    const samRow = a.page.getByTestId('member-row').filter({ hasText: 'Sam Okafor' });
    expect(await aRow.getByTestId('only-coordinator').textContent()).toContain("The board's only coordinator");
    expect(await aRow.getByTestId('member-role-select').isDisabled()).toBe(true);
    expect(await aRow.getByTestId('remove-member').isDisabled()).toBe(true);
    expect(await samRow.getByTestId('only-coordinator').count()).toBe(0);
    expect(await samRow.getByTestId('member-role-select').isEnabled()).toBe(true);
    await screenshot(a.page, 'members-only-coordinator');

    // Following the link again, Sam is told he is on the board already; its button only opens it.
    await b.page.goto(inviteUrl);
    const already = b.page.getByTestId('invite-member-already');
    await already.waitFor();
    expect(await b.page.getByTestId('invite-page').locator('h1').textContent()).toBe("You're a member");
    expect(await already.textContent()).toBe("You're already on Northside Food Bank as Driver.");
    expect(await b.page.getByTestId('join-board').textContent()).toBe('Open the board');
    await screenshot(b.page, 'invite-member-already');
    await b.page.getByTestId('join-board').click();
    await b.page.getByTestId('board-view').waitFor();
    await b.page.locator('[data-testid="sync-status"][data-status="connected"]').waitFor();

    await a.page.getByTestId('back-to-board').click();
    await a.page.getByTestId('board-view').waitFor();
    await a.page.getByTestId('new-card').click();
    await a.page.getByTestId('card-title-input').fill('Weekly grocery box');
    await a.page.getByTestId('pickup-label-input').fill("St Mary's Hall, 12 High St");
    await a.page.getByTestId('dropoff-label-input').fill('4B Elm Court');

    const started = Date.now();
    const bTitle = b.page.getByTestId('card-item-title').filter({ hasText: 'Weekly grocery box' });
    await bTitle.waitFor({ timeout: 2000 });
    const latency = Date.now() - started;
    expect(latency).toBeLessThan(2000);
    await expect.poll(() => b.page.getByTestId('card-item-route').first().textContent(), { timeout: 2000 }).toContain('4B Elm Court');

    // And back: B edits the card, A sees it.
    await b.page.getByTestId('card-item').first().click();
    await b.page.getByTestId('card-notes-input').fill('Ring the bell twice');
    await expect.poll(() => a.page.getByTestId('card-notes-input').inputValue(), { timeout: 2000 }).toBe('Ring the bell twice');

    await screenshot(a.page, 'collab-coordinator');
    await screenshot(b.page, 'collab-driver');

    // Once Sam is a coordinator too, A may step down or leave.
    await a.page.getByTestId('members-link').click();
    await a.page.getByTestId('member-row').filter({ hasText: 'Sam Okafor' }).getByTestId('member-role-select').selectOption('coordinator');
    await expect.poll(() => aRow.getByTestId('only-coordinator').count()).toBe(0);
    expect(await aRow.getByTestId('member-role-select').isEnabled()).toBe(true);
    expect(await aRow.getByTestId('remove-member').isEnabled()).toBe(true);
    await screenshot(a.page, 'members-two-coordinators');
  });

  it('tells a coordinator who holds deliveries, and what a demotion or removal leaves held', async () => {
    const server = await startAppServer();
    const base = server.url;
    const browser = await launchBrowser();
    const { amira, sam, boardId } = await northsideBoard(base);
    const [cardId] = await seedCards(base, amira.cookie, boardId, amira.id, [{ title: 'Weekly grocery box' }]);
    await transition(sam, boardId, cardId!, 'claim');
    const { page } = await signedInPage(browser, base, amira);
    await page.goto(`${base}/b/${boardId}/members`);
    const samRow = page.getByTestId('member-row').filter({ hasText: 'Sam Okafor' });
    await expect.poll(() => samRow.getByTestId('member-holding').textContent()).toBe('Holds 1 delivery.');
    await samRow.getByTestId('member-role-select').selectOption('viewer');
    await expect
      .poll(() => samRow.getByTestId('member-holding').textContent())
      .toBe('Holds 1 delivery they can no longer move on: release or reassign it on the board.');
    await samRow.getByTestId('remove-member').click();
    expect(await samRow.locator('.confirm-question').textContent()).toBe('Remove Sam Okafor? Their 1 delivery stays held until released or reassigned.');
    await screenshot(page, 'members-holding');
  });
});
