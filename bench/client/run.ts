/**
 * Client benchmark: how fast a board of many cards appears in real Chromium.
 *
 *   node --import tsx bench/client/run.ts [--cards 5000 --runs 5]
 *
 * Builds the client if needed, starts the server in this process (SQLite in a temp dir, port 0 on
 * 127.0.0.1, serving client/dist like client/e2e/browser.ts), creates a board and fills it with N
 * cards through a Node y-websocket client (client/e2e/seedBoard.ts; not measured), then measures,
 * from navigation start (the page's performance clock) to:
 *
 * - cold: first card row visible, in a fresh browser context (nothing on the device: the shell and
 *   the board come from the server);
 * - warm: first card row visible on a second navigation in the same context (service worker shell,
 *   board from IndexedDB);
 * - map: pins drawn (`/b/<id>?view=map`, warm; the map's first idle frame after the pins were set);
 * - typing: per keystroke in a card's title, input to next paint (Event Timing, worst entry per
 *   interaction; under 16 ms is not reported by the browser and counts as 16), list and map views.
 *
 * Prints the median (and min/max) of `--runs` runs each, and writes JSON to
 * bench/results/client-<timestamp>.json. Targets: warm < 1 s, cold < 2 s.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import pino from 'pino';
import { parseConfig } from '../../server/src/config.ts';
import { startServer } from '../../server/src/server.ts';
import { seedCards } from '../../client/e2e/seedBoard.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CARDS = arg('cards', 5000);
const RUNS = arg('runs', 5);
const ARGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];

/**
 * In-page script (a string: bench/ is compiled without DOM types): records, in page time (ms since
 * navigation start), when the first card row becomes visible and when the map's pins are drawn.
 */
const RECORD_MILESTONES = `(() => {
  const check = () => {
    if (window.__firstCard === undefined) {
      const row = document.querySelector('[data-testid="card-item"]');
      if (row && row.getBoundingClientRect().height > 0) window.__firstCard = performance.now();
    }
    if (window.__pinsDrawn === undefined && document.querySelector('[data-testid="map-view"][data-drawn="true"]')) window.__pinsDrawn = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-drawn'] });
})();`;

async function measure(page: Page, url: string, what: '__firstCard' | '__pinsDrawn'): Promise<number> {
  await page.goto(url);
  await page.waitForFunction(`window.${what} !== undefined`, undefined, { timeout: 60_000, polling: 50 });
  return (await page.evaluate(`window.${what}`)) as number;
}

/** Types `text` into the open card's title; returns per-keystroke input-to-paint durations (ms). */
async function typingDelays(page: Page, text: string): Promise<number[]> {
  await page.getByTestId('card-title-input').click();
  await page.waitForTimeout(1000);
  await page.evaluate(`window.__ev = new Map(); new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.interactionId) window.__ev.set(e.interactionId, Math.max(window.__ev.get(e.interactionId) ?? 0, e.duration)); }).observe({ type: 'event', durationThreshold: 16 });`);
  await page.keyboard.type(text, { delay: 80 });
  await page.waitForTimeout(800);
  const slow = (await page.evaluate('[...window.__ev.values()]')) as number[];
  return [...slow, ...Array.from({ length: Math.max(0, text.length - slow.length) }, () => 16)];
}

async function newContext(browser: Browser, base: string, cookie: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.route((u) => u.hostname !== '127.0.0.1', (r) => r.abort());
  await context.addInitScript({ content: RECORD_MILESTONES });
  const [name, ...rest] = cookie.split('=');
  await context.addCookies([{ name, value: rest.join('='), url: base }]);
  return context;
}

/** Waits until the page's copy of the board is synced and stored on the device. */
async function settle(page: Page) {
  await page.locator('[data-testid="sync-status"][data-sync-state="synced"]').waitFor({ timeout: 60_000 });
  await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
  await page.waitForTimeout(1500); // y-indexeddb writes the synced state in the background
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, min: s[0], max: s[s.length - 1], runs: s };
};

async function main() {
  execFileSync(process.execPath, [join(root, 'client/scripts/build-if-needed.mjs')], { stdio: 'inherit' });
  const dataDir = mkdtempSync(join(tmpdir(), 'dboard-bench-client-'));
  const config = parseConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir });
  const server = await startServer({
    ...config,
    clientDir: join(root, 'client/dist'),
    logger: pino({ level: 'silent' }),
    limits: { loginPerIpPerMinute: 1000, loginPerAccountPer15Min: 1000, registerPerIpPerHour: 1000 },
  });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS, headless: true });
  try {
    const base = server.url;
    const reg = await fetch(`${base}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bench Coordinator', email: 'bench@example.org', password: 'correct horse battery' }),
    });
    const cookie = (reg.headers.get('set-cookie') ?? '').split(';')[0];
    const { user } = (await reg.json()) as { user: { id: string } };
    const board = (await (await fetch(`${base}/api/boards`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Bench board' }) })).json()) as { id: string };
    const t0 = Date.now();
    await seedCards(
      base,
      cookie,
      board.id,
      user.id,
      Array.from({ length: CARDS }, (_, i) => ({
        title: `Delivery ${i + 1}`,
        pickup: { label: `Pickup ${i + 1}, ${(i % 90) + 1} High Street`, lat: 53.7 + (i % 100) * 0.002, lng: -1.6 + Math.floor(i / 100) * 0.004 },
        dropoff: { label: `Flat ${i % 40}, Elm Court`, lat: 53.75 + (i % 50) * 0.001, lng: -1.55 + (i % 70) * 0.001 },
        items: ['Groceries'],
        tags: i % 5 === 0 ? ['fridge'] : [],
      })),
    );
    console.log(`seeded ${CARDS} cards in ${Date.now() - t0} ms; ${RUNS} runs each; ${cpus().length} cores`);
    const url = `${base}/b/${board.id}`;

    const cold: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await newContext(browser, base, cookie);
      cold.push(await measure(await context.newPage(), url, '__firstCard'));
      await context.close();
    }
    const context = await newContext(browser, base, cookie);
    const first = await context.newPage();
    await first.goto(url);
    await settle(first);
    await first.close();
    const warm: number[] = [];
    const map: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const page = await context.newPage();
      warm.push(await measure(page, url, '__firstCard'));
      map.push(await measure(page, `${url}?view=map`, '__pinsDrawn'));
      await page.close();
    }
    const typing: Record<string, number[]> = {};
    for (const view of ['list', 'map']) {
      const page = await context.newPage();
      await page.goto(view === 'map' ? `${url}?view=map` : url);
      await page.locator('[data-testid="sync-status"][data-sync-state="synced"]').waitFor();
      await page.getByTestId('card-item').nth(2).click();
      typing[view] = await typingDelays(page, 'Weekly grocery box, two bags');
      await page.close();
    }
    await context.close();

    const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
    const result = {
      cards: CARDS,
      runs: RUNS,
      cold: stats(cold),
      warm: stats(warm),
      mapPins: stats(map),
      typing: Object.fromEntries(Object.entries(typing).map(([k, xs]) => [k, { median: stats(xs).median, p95: p95(xs), max: stats(xs).max }])),
      at: new Date().toISOString(),
    };
    const row = (name: string, s: ReturnType<typeof stats>, target: string) =>
      console.log(`${name.padEnd(34)} median ${s.median.toFixed(0).padStart(5)} ms   (min ${s.min.toFixed(0)}, max ${s.max.toFixed(0)})   ${target}`);
    console.log('');
    row('cold: first cards visible', result.cold, 'target < 2000 ms');
    row('warm: first cards visible', result.warm, 'target < 1000 ms');
    row('warm: map pins drawn (?view=map)', result.mapPins, '');
    for (const [view, t] of Object.entries(result.typing)) {
      console.log(`${`typing in a card, ${view} view`.padEnd(34)} median ${t.median.toFixed(0).padStart(5)} ms   (p95 ${t.p95.toFixed(0)}, max ${t.max.toFixed(0)}) input to paint`);
    }
    mkdirSync(join(root, 'bench/results'), { recursive: true });
    const out = join(root, 'bench/results', `client-${result.at.replace(/[:.]/g, '-')}.json`);
    writeFileSync(out, JSON.stringify(result, null, 2));
    console.log(`\nwrote ${out}`);
  } finally {
    await browser.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
