/**
 * A real app server that a browser test can stop and start again on the same port with the same
 * data, to cut the network for real: Playwright's `setOffline` holds open websockets instead of
 * closing them (STACK.md), and a stopped server also refuses the service worker's fetches.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { onTestFinished } from 'vitest';
import { parseConfig } from '../../server/src/config.ts';
import { startServer, type RunningServer } from '../../server/src/server.ts';

const CLIENT_DIST = fileURLToPath(new URL('../dist', import.meta.url));

export interface RestartableServer {
  url: string;
  /** Stops the server (sockets closed with a retryable code); the data stays. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  start(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (asked from the OS, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export async function startRestartableServer(): Promise<RestartableServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dboard-e2e-'));
  const port = await freePort();
  const config = parseConfig({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir });
  let running: RunningServer | null = null;
  const start = async () => {
    if (running) return;
    running = await startServer({
      ...config,
      clientDir: CLIENT_DIST,
      logger: pino({ level: 'silent' }),
      limits: { loginPerIpPerMinute: 1000, loginPerAccountPer15Min: 1000, registerPerIpPerHour: 1000 },
    });
  };
  const stop = async () => {
    const r = running;
    running = null;
    await r?.close();
  };
  await start();
  onTestFinished(async () => {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { url: `http://127.0.0.1:${port}`, stop, start };
}
