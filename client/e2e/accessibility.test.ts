/**
 * Accessibility in real Chromium: axe-core (injected from node_modules) finds no serious or
 * critical violations on the board list, the map view, a card, "My deliveries" and the phone
 * layout; and the board works from the keyboard alone: switch views, move through cards with the
 * arrow keys, open one, close it with Escape, and land back on it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addMembers, registerUser, signIn } from './api.ts';
import { launchBrowser, screenshot, startAppServer } from './browser.ts';
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

describe('accessibility', () => {
  it('has no serious axe violations and works from the keyboard', async () => {
    const server = await startAppServer();
    const base = server.url;
    const browser = await launchBrowser();
    const amira = await registerUser(base, 'Amira Haddad', 'amira@example.org');
    const { id: boardId } = await amira.call<{ id: string }>('POST', '/api/boards', { name: 'Northside Food Bank' });
    const sam = await registerUser(base, 'Sam Okafor', 'sam@example.org');
    await addMembers(base, amira, boardId, 'driver', [sam]);
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

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort());
    await signIn(context, base, amira);
    const page = await context.newPage();
    await page.goto(`${base}/b/${boardId}`);
    await page.locator('[data-testid="sync-status"][data-sync-state="synced"]').waitFor();
    await page.getByTestId('card-item').first().waitFor();

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
    const drv = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await drv.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort());
    await signIn(drv, base, sam);
    const dPage = await drv.newPage();
    await dPage.goto(`${base}/b/${boardId}`);
    await dPage.getByTestId('card-item').first().waitFor();
    await dPage.getByTestId('my-deliveries-link').click();
    await dPage.getByTestId('my-deliveries').waitFor();
    problems.push(...(await seriousViolations(dPage, 'my deliveries')));

    expect(problems).toEqual([]);
  });
});
