/**
 * Comments on a card, in real Chromium: a driver comments and the coordinator, with the same card
 * open in another browser context, sees it live (announced politely, focus left where it was); the
 * coordinator answers with the button; empty comments are refused and text is trimmed; a long
 * unbroken comment wraps on a phone; a viewer reads the comments but gets no box; members delete
 * their own comments, coordinators anyone's. A comment posted offline says "Not sent yet" until the
 * server has it, also after a cold reload. Screenshots of
 * the editor with comments on desktop and on a 390x844 phone go to test-artifacts/.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addMembers, northsideBoard, registerUser } from './api.ts';
import { launchBrowser, screenshot, signedInPage, startAppServer } from './browser.ts';
import { startRestartableServer } from './restartableServer.ts';
import { seedCards } from './seedBoard.ts';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

async function openCard(page: Page, base: string, boardId: string, cardId: string): Promise<void> {
  await page.goto(`${base}/b/${boardId}?card=${cardId}`);
  await page.locator('[data-testid="sync-status"][data-sync-state="synced"]').waitFor();
  await page.getByTestId('card-comments').waitFor();
}

const texts = (page: Page) => page.getByTestId('comment-text').allTextContents();
/** Comments whose "Not sent yet" shows (it appears after a second: online, confirmation is quicker). */
const unsentTexts = async (page: Page) => {
  const out: string[] = [];
  for (const c of await page.getByTestId('comment').all()) {
    if (await c.getByTestId('comment-unsent').isVisible()) out.push((await c.getByTestId('comment-text').textContent()) ?? '');
  }
  return out;
};
const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));

describe('card comments', () => {
  it('are shared live between members, and viewers read them without a box', async () => {
    const server = await startAppServer();
    const base = server.url;
    const browser = await launchBrowser();
    const { amira, sam, boardId } = await northsideBoard(base);
    const vic = await registerUser(base, 'Vic Lindqvist', 'vic@example.org');
    await addMembers(base, amira, boardId, 'viewer', [vic]);
    const [cardId, longTitleId] = await seedCards(base, amira.cookie, boardId, amira.id, [
      { title: 'Weekly grocery box', pickup: { label: "St Mary's Hall, 12 High St", lat: null, lng: null }, dropoff: { label: '4B Elm Court', lat: null, lng: null } },
      { title: 'Nappies and formula for the Ahmed family, second floor flat above the pharmacy' },
    ]);

    const { page: a } = await signedInPage(browser, base, amira);
    const { page: s } = await signedInPage(browser, base, sam);
    await openCard(a, base, boardId, cardId);
    await openCard(s, base, boardId, cardId);
    expect(await a.getByTestId('comments-empty').textContent()).toMatch(/no comments yet/i);

    // The coordinator is typing in the notes when the driver's comment arrives.
    await a.getByTestId('card-notes-input').click();
    await a.keyboard.type('Ring twice');

    // The driver comments with Enter; the box empties and keeps the focus.
    await s.getByLabel('Add a comment').fill('  Buzzer broken, ring the neighbour  ');
    await s.getByTestId('comment-input').press('Enter');
    await expect.poll(() => texts(s)).toEqual(['Buzzer broken, ring the neighbour']);
    expect(await s.getByTestId('comment-input').inputValue()).toBe('');
    expect(await focusedTestId(s)).toBe('comment-input');
    // No echo of one's own comment for screen readers.
    expect(await s.getByTestId('comments-announcer').textContent()).toBe('');

    // Live on the coordinator's screen, with its author, announced politely, focus untouched.
    await expect.poll(() => texts(a), { timeout: 3000 }).toEqual(['Buzzer broken, ring the neighbour']);
    expect(await a.getByTestId('comment-author').textContent()).toBe('Sam Okafor');
    expect(await a.getByTestId('comments-announcer').getAttribute('aria-live')).toBe('polite');
    expect(await a.getByTestId('comments-announcer').textContent()).toBe('Sam Okafor commented: Buzzer broken, ring the neighbour');
    expect(await focusedTestId(a)).toBe('card-notes-input');
    expect(await a.getByTestId('card-notes-input').inputValue()).toBe('Ring twice');
    expect(await a.getByRole('list', { name: 'Comments' }).getByRole('listitem').count()).toBe(1);

    // An empty comment is refused with a message; nothing is posted.
    await a.getByTestId('comment-input').fill('   ');
    await a.getByTestId('comment-submit').click();
    expect(await a.getByTestId('card-comment-error').textContent()).toMatch(/write something/i);
    expect(await a.getByTestId('comment-input').getAttribute('aria-invalid')).toBe('true');
    expect(await texts(a)).toHaveLength(1);

    // The coordinator answers on two lines (Shift+Enter) with the button: newest at the bottom.
    await a.getByTestId('comment-input').fill('Thanks.');
    await a.getByTestId('comment-input').press('Shift+Enter');
    await a.keyboard.type('Running 10 min late is fine.');
    await a.getByTestId('comment-submit').click();
    expect(await a.getByTestId('card-comment-error').textContent()).toBe('');
    await expect.poll(() => texts(s), { timeout: 3000 }).toEqual(['Buzzer broken, ring the neighbour', 'Thanks.\nRunning 10 min late is fine.']);
    expect(await s.getByTestId('comments-count').textContent()).toBe('2');
    expect(await s.getByTestId('comments-announcer').textContent()).toMatch(/^Amira Haddad commented: Thanks\./);

    // axe finds nothing serious in the comments section.
    await a.addScriptTag({ content: AXE });
    const violations = await a.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(ctx: object, opts: object): Promise<{ violations: { id: string; impact: string | null }[] }> } }).axe;
      return (await axe.run({ include: [['[data-testid="card-comments"]']] }, { resultTypes: ['violations'] })).violations;
    });
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

    await a.getByTestId('card-comments').scrollIntoViewIfNeeded();
    await screenshot(a, 'comments-desktop');

    // A viewer, on a phone: reads both comments, has no box; a long unbroken comment wraps.
    const longLine = 'https://maps.example.org/route?stops=' + 'elm-court-4b-'.repeat(20);
    await s.getByTestId('comment-input').fill(longLine);
    await s.getByTestId('comment-submit').click();
    const { page: v } = await signedInPage(browser, base, vic, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await openCard(v, base, boardId, cardId);
    await expect.poll(() => texts(v)).toHaveLength(3);
    expect((await texts(v)).slice(0, 2)).toEqual(['Buzzer broken, ring the neighbour', 'Thanks.\nRunning 10 min late is fine.']);
    expect(await v.getByTestId('comment-form').count()).toBe(0);
    expect(await v.getByTestId('comment-input').count()).toBe(0);
    // Her empty fields say so, instead of showing the examples a writer gets as if they were the card's.
    expect(await v.getByTestId('card-tags-input').getAttribute('placeholder')).toBe('Not set');
    expect(await s.getByTestId('card-tags-input').getAttribute('placeholder')).toBe('e.g. fridge, heavy');
    // Nor how to type values she cannot change.
    expect(await v.locator('#card-tags-hint').count()).toBe(0);
    expect(await s.locator('#card-tags-hint').textContent()).toBe('Separated by commas.');
    // Near the 2,000-character cap, the box says how long the comment is.
    expect(await s.getByTestId('comment-length').count()).toBe(0);
    await s.getByTestId('comment-input').fill('x'.repeat(1950));
    expect(await s.getByTestId('comment-length').textContent()).toBe('1950 of 2000 characters.');
    await s.getByTestId('comment-input').fill('');
    expect(await s.getByTestId('comment-length').count()).toBe(0);
    const overflow = await v.getByTestId('comment').last().evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await v.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await v.getByTestId('card-comments').scrollIntoViewIfNeeded();
    await screenshot(v, 'comments-phone-viewer');
    // A long title wraps for her, whole, where a one-line box cut it off mid-word.
    await openCard(v, base, boardId, longTitleId!);
    const title = v.getByTestId('card-title-input');
    expect(await title.inputValue()).toBe('Nappies and formula for the Ahmed family, second floor flat above the pharmacy');
    const box = await title.evaluate((el) => ({ tag: el.tagName, cut: el.scrollHeight - el.clientHeight, lines: Math.round(el.clientHeight / parseFloat(getComputedStyle(el).lineHeight)) }));
    expect(box.tag).toBe('TEXTAREA');
    expect(box.cut).toBeLessThanOrEqual(1);
    expect(box.lines).toBeGreaterThanOrEqual(2);
    await screenshot(v, 'card-phone-viewer-long-title');
    await openCard(v, base, boardId, cardId!);

    // The driver on a phone, with the box.
    await s.setViewportSize({ width: 390, height: 844 });
    await s.getByTestId('comment-form').scrollIntoViewIfNeeded();
    await screenshot(s, 'comments-phone-driver');

    // Delete: a viewer none; the driver only his own (after an "are you sure?"); it goes for everyone.
    expect(await v.getByTestId('comment-delete').count()).toBe(0);
    await s.setViewportSize({ width: 1280, height: 800 });
    const mine = s.getByTestId('comment').filter({ hasText: 'Buzzer broken' });
    expect(await s.getByTestId('comment').filter({ hasText: 'Thanks.' }).getByTestId('comment-delete').count()).toBe(0);
    // Each Delete says whose comment it removes and how it starts (several sit in one list).
    await s.getByRole('button', { name: 'Delete your comment “Buzzer broken, ring the neighbour”', exact: true }).click();
    await mine.getByTestId('comment-delete-confirm').waitFor();
    await screenshot(s, 'comments-delete-confirm');
    await mine.getByTestId('comment-delete-confirm').click();
    await expect.poll(() => texts(a), { timeout: 3000 }).toEqual(['Thanks.\nRunning 10 min late is fine.', longLine]);
    await expect.poll(() => texts(v), { timeout: 3000 }).toHaveLength(2);
    // The coordinator may delete anyone's.
    const linkComment = a.getByTestId('comment').filter({ hasText: 'maps.example.org' });
    expect(await linkComment.getByTestId('comment-delete').getAttribute('aria-label')).toMatch(/^Delete .+’s comment “.{40}…”$/);
    await linkComment.getByTestId('comment-delete').click();
    await a.getByTestId('comment-delete-confirm').click();
    await expect.poll(() => texts(s), { timeout: 3000 }).toEqual(['Thanks.\nRunning 10 min late is fine.']);
  });
  it('posted offline say "Not sent yet" until the server has them, also after a reload', async () => {
    const server = await startRestartableServer();
    const base = server.url;
    const browser = await launchBrowser();
    const { amira, sam, boardId } = await northsideBoard(base);
    const [cardId] = await seedCards(base, amira.cookie, boardId, amira.id, [{ title: 'Hot meals for Elm Court' }]);
    const { context, page } = await signedInPage(browser, base, sam, { viewport: { width: 390, height: 844 } });
    await openCard(page, base, boardId, cardId!);
    await page.evaluate(() => navigator.serviceWorker.ready); // so the app opens with no network below

    // Online, a comment is stored at once: no label, not even briefly after the second it waits.
    await page.getByLabel('Add a comment').fill('On my way');
    await page.getByTestId('comment-submit').click();
    await expect.poll(() => texts(page), { timeout: 5000 }).toEqual(['On my way']);
    await page.waitForTimeout(1200);
    expect(await page.getByTestId('comment-unsent').count()).toBe(0);

    // The network goes: the next comment is kept on the phone and says it is not sent.
    await server.stop();
    await context.setOffline(true);
    await page.locator('[data-testid="editor-sync"]').waitFor();
    await page.getByLabel('Add a comment').fill('Gate locked, leaving it with no. 6');
    await page.getByTestId('comment-submit').click();
    await expect.poll(() => unsentTexts(page), { timeout: 10_000 }).toEqual(['Gate locked, leaving it with no. 6']);
    const label = page.getByTestId('comment-unsent');
    expect(await label.textContent()).toBe('Not sent yet');
    expect(await label.getAttribute('title')).toMatch(/as soon as the connection is back/);
    await label.scrollIntoViewIfNeeded();
    await screenshot(page, 'comments-offline-unsent-390');

    // Closed and reopened with no network: it still says so (the device keeps the marks).
    await page.waitForTimeout(300); // marks are written within 250 ms
    await page.reload();
    await page.getByTestId('card-comments').waitFor({ timeout: 15_000 });
    await expect.poll(() => unsentTexts(page), { timeout: 10_000 }).toEqual(['Gate locked, leaving it with no. 6']);

    // Back online: the comment reaches the server, the label goes, and the coordinator reads it.
    await server.start();
    await context.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect.poll(() => page.getByTestId('comment-unsent').count(), { timeout: 20_000 }).toBe(0);
    const { page: a } = await signedInPage(browser, base, amira);
    await openCard(a, base, boardId, cardId!);
    await expect.poll(() => texts(a), { timeout: 10_000 }).toEqual(['On my way', 'Gate locked, leaving it with no. 6']);
    expect(await a.getByTestId('comment-unsent').count()).toBe(0);
  });
});
