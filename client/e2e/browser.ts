/**
 * Browser-test helpers: Debian's Chromium through playwright-core, a real server serving the built
 * client, and screenshots saved under test-artifacts/ (kept by CI as artifacts).
 */
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { onTestFinished } from 'vitest';
import { parseConfig } from '../../server/src/config.ts';
import { signIn, type ApiUser } from './api.ts';
import { startServer, type RunningServer } from '../../server/src/server.ts';

export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const CLIENT_DIST = fileURLToPath(new URL('../dist', import.meta.url));

/** Flags that make headless Chromium work on a machine with no network and no GPU. */
const ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

export async function launchBrowser(): Promise<Browser> {
  // No skip when Chromium is missing: the launch fails and so does the test, as CI requires.
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS, headless: true });
  onTestFinished(() => browser.close());
  return browser;
}

export async function startAppServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dboard-e2e-'));
  const config = parseConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ...env });
  const server = await startServer({ ...config, clientDir: CLIENT_DIST, logger: pino({ level: 'silent' }), limits: { loginPerIpPerMinute: 1000, loginPerAccountPer15Min: 1000, registerPerIpPerHour: 1000 } });
  onTestFinished(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return server;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

export async function newUserPage(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('[page error]', err.message));
  return { context, page };
}

/**
 * A new context signed in as `user` that reaches only the local server (the machine has no
 * internet: anything else would hang until it times out), and a page in it.
 */
export async function signedInPage(browser: Browser, base: string, user: ApiUser, options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  await context.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort());
  await signIn(context, base, user);
  return { context, page: await context.newPage() };
}

/** Opens the board in `page` and waits until it has synced with the server. */
export async function gotoSyncedBoard(page: Page, base: string, boardId: string): Promise<void> {
  await page.goto(`${base}/b/${boardId}`);
  await page.locator('[data-testid="sync-status"][data-sync-state="synced"]').waitFor();
}
