/**
 * Accessibility in real Chromium: axe-core (injected from node_modules) finds no serious or
 * critical violations on the board list, the map view, a card, "My deliveries" and the phone
 * layout; and the board works from the keyboard alone: switch views, move through cards with the
 * arrow keys, open one, close it with Escape, and land back on it. With Tab and Enter only, a
 * driver opens a card, claims it and finds it in "My deliveries", and a coordinator cancels a card.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { northsideBoard, type ApiUser } from './api.ts';
import { gotoSyncedBoard, launchBrowser, screenshot, signedInPage, startAppServer } from './browser.ts';
import { seedCards } from './seedBoard.ts';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

async function seriousViolations(page: Page, where: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

/** Presses Tab until `selector` has the focus (as a keyboard user would); fails if it never does. */
async function tabTo(page: Page, selector: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((sel) => !!document.activeElement?.matches(sel), selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

async function openBoard(browser: Browser, base: string, user: ApiUser, boardId: string): Promise<Page> {
  const { page } = await signedInPage(browser, base, user);
  await gotoSyncedBoard(page, base, boardId);
  await page.getByTestId('card-item').first().waitFor();
  return page;
}

const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid'));

describe('accessibility', () => {
  it('has no serious axe violations and works from the keyboard', async () => {
    const server = await startAppServer();
    const base = server.url;
    const browser = await launchBrowser();
    const { amira, sam, boardId } = await northsideBoard(base);
    const place = (label: string, lat: number, lng: number) => ({ label, lat, lng });
    await seedCards(
      base,
      amira.cookie,
      boardId,
      amira.id,
      Array.from({ length: 40 }, (_, i) => ({
        title: `Delivery ${i + 1}`,
        pickup: place(`Pickup ${i + 1}`, 53.8 + i * 0.002, -1.55),
        dropoff: place(`Drop-off ${i + 1}`, 53.79, -1.5 - i * 0.002),
        tags: i % 3 === 0 ? ['fridge'] : [],
        priority: i % 7 === 0 ? ('urgent' as const) : ('normal' as const),
        windowStart: i % 2 ? '2030-06-03T10:00' : null,
      })),
    );

    const page = await openBoard(browser, base, amira, boardId);

    const problems: string[] = [];
    problems.push(...(await seriousViolations(page, 'board')));

    // Keyboard only: focus the first card, arrow down twice, open it with Enter.
    await page.getByTestId('card-item').first().focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-card-id'));
    expect(await page.evaluate(() => document.activeElement?.closest('li')?.getAttribute('aria-posinset'))).toBe('3');
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('card')).toBe(focused);
    await page.getByTestId('card-editor').waitFor();
    problems.push(...(await seriousViolations(page, 'card')));
    await screenshot(page, 'a11y-card-1280');
    // End jumps to the last card of the (windowed) list, rendering it first.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-card-id'))).toBe(focused);
    await page.keyboard.press('End');
    expect(await page.evaluate(() => document.activeElement?.closest('li')?.getAttribute('aria-posinset'))).toBe('40');

    // Views from the keyboard: Map, then back to List.
    await page.getByTestId('view-map').focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="map-view"][data-ready="true"]').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('view-map').getAttribute('aria-pressed')).toBe('true');
    problems.push(...(await seriousViolations(page, 'map')));
    await page.getByTestId('view-list').focus();
    await page.keyboard.press('Space');
    expect(await page.getByTestId('view-list').getAttribute('aria-pressed')).toBe('true');

    // Phone layout, with the filters open.
    await page.setViewportSize({ width: 375, height: 740 });
    await page.getByTestId('filters-toggle').click();
    problems.push(...(await seriousViolations(page, 'phone')));

    // A driver's "My deliveries".
    const { page: dPage } = await signedInPage(browser, base, sam);
    await dPage.goto(`${base}/b/${boardId}`);
    await dPage.getByTestId('card-item').first().waitFor();
    await dPage.getByTestId('my-deliveries-link').click();
    await dPage.getByTestId('my-deliveries').waitFor();
    problems.push(...(await seriousViolations(dPage, 'my deliveries')));

    expect(problems).toEqual([]);
  });

  it('lets a driver claim a card and a coordinator cancel one with the keyboard only', async () => {
    const server = await startAppServer();
    const base = server.url;
    const browser = await launchBrowser();
    const { amira, sam, boardId } = await northsideBoard(base);
    await seedCards(base, amira.cookie, boardId, amira.id, [{ title: 'Weekly grocery box' }, { title: 'Bread run' }]);

    // The driver: Tab to a card, Enter opens it, Tab to Claim, Enter; then Escape, Tab to "My deliveries".
    const d = await openBoard(browser, base, sam, boardId);
    await tabTo(d, '[data-testid="card-item"]');
    const cardId = await d.evaluate(() => document.activeElement?.getAttribute('data-card-id'));
    const title = await d.evaluate(() => document.activeElement?.querySelector('[data-testid="card-item-title"]')?.textContent);
    await d.keyboard.press('Enter');
    await expect.poll(() => new URL(d.url()).searchParams.get('card')).toBe(cardId);
    await tabTo(d, '[data-testid="claim-button"]');
    await d.keyboard.press('Enter');
    await expect.poll(() => d.getByTestId('booking-status').textContent()).toMatch(/claimed/i);
    // The Claim button went with the state it was for: the focus is on the status line (read out
    // as "Claimed by you"), not dropped to the page, and the next Tab reaches the next step.
    await expect.poll(() => focusedTestId(d)).toBe('booking-head');
    expect(await d.evaluate(() => document.activeElement?.textContent)).toMatch(/claimed by you/i);
    await screenshot(d, 'keyboard-claimed-focus');
    await d.keyboard.press('Tab');
    expect(await focusedTestId(d)).toBe('pickup-button');
    await d.keyboard.press('Enter');
    await expect.poll(() => d.getByTestId('booking-status').textContent()).toMatch(/picked up/i);
    await expect.poll(() => focusedTestId(d)).toBe('booking-head');
    await d.keyboard.press('Escape');
    await tabTo(d, '[data-testid="my-deliveries-link"]');
    await d.keyboard.press('Enter');
    await d.getByTestId('my-active').getByText(title!).waitFor();

    // The coordinator: opens the claimed card by keyboard, Cancel delivery (focus moves to the
    // confirmation, not back to the top of the page), Keep it (focus back on Cancel delivery), then
    // Cancel delivery again and confirms, and the status changes.
    const c = await openBoard(browser, base, amira, boardId);
    await tabTo(c, `[data-testid="card-item"][data-card-id="${cardId}"]`);
    await c.keyboard.press('Enter');
    await tabTo(c, '[data-testid="cancel-button"]');
    await c.keyboard.press('Enter');
    expect(await focusedTestId(c)).toBe('cancel-button-confirm');
    // "Keep it" (the next button) puts the focus back on Cancel delivery; then cancel for real.
    await c.keyboard.press('Tab');
    await c.keyboard.press('Enter');
    await expect.poll(() => focusedTestId(c)).toBe('cancel-button');
    await c.keyboard.press('Enter');
    expect(await focusedTestId(c)).toBe('cancel-button-confirm');
    await c.keyboard.press('Enter');
    await expect.poll(() => c.getByTestId('booking-status').textContent()).toMatch(/cancelled/i);
    await expect.poll(() => d.locator(`[data-testid="card-item"][data-card-id="${cardId}"]`).count()).toBe(0);
  });
});
