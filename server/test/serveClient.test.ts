/** Serving the built client: SPA fallback, cache headers, run-time settings at /config.json. */
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMetrics } from '../src/http/metrics.ts';
import { createTestApp } from './testApp.ts';
import { tempDir } from './helpers.ts';

function fakeDist() {
  const dir = tempDir();
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(dir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'app-abc123.js'), 'console.log(1)');
  return dir;
}

describe('serving the client', () => {
  it('revalidates the shell, the service worker and the settings; caches hashed assets for a year', async () => {
    const { app } = createTestApp({ clientDir: fakeDist() });
    for (const path of ['/', '/sw.js', '/config.json', '/b/some-board']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('no-cache');
    }
    const asset = await app.request('/assets/app-abc123.js');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await (await app.request('/track/sometoken')).text()).toContain('<title>app</title>');
  });

  it('serves map and geocoder settings from the server config, null by default', async () => {
    expect(await (await createTestApp({ clientDir: fakeDist() }).app.request('/config.json')).json()).toEqual({ mapStyleUrl: null, geocoderUrl: null });
    const client = { mapStyleUrl: 'https://tiles.openfreemap.org/styles/liberty', geocoderUrl: 'https://nominatim.example.org' };
    expect(await (await createTestApp({ clientDir: fakeDist(), client }).app.request('/config.json')).json()).toEqual(client);
  });

  it('unknown API paths stay JSON 404s, not the SPA shell', async () => {
    const res = await createTestApp({ clientDir: fakeDist() }).app.request('/api/nope');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});

describe('metrics', () => {
  it('GET /metrics exposes request and transition counters in Prometheus text format', async () => {
    const { app } = createTestApp();
    await app.request('/api/me');
    const res = await app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/dboard_http_requests_total\{method="GET",status="4xx"\} 1/);
    expect(text).toContain('dboard_sync_connections');
    expect(text).toContain('dboard_booking_transitions_total');
    expect(text).not.toContain('dboard_relay'); // one process, no relay
  });

  it('with a relay: whether it is up, what it dropped, what was caught up from the database', async () => {
    const state = { up: true, dropped: 0, caughtUp: 0 };
    const { registry } = createMetrics({ relay: () => state });
    const scrape = async () => Object.fromEntries((await registry.metrics()).split('\n').filter((l) => /^dboard_(relay|sync_caught)/.test(l)).map((l) => l.split(' ')));
    expect(await scrape()).toEqual({ dboard_relay_up: '1', dboard_relay_dropped_total: '0', dboard_sync_caught_up_updates_total: '0' });
    Object.assign(state, { up: false, dropped: 7, caughtUp: 12 });
    expect(await scrape()).toEqual({ dboard_relay_up: '0', dboard_relay_dropped_total: '7', dboard_sync_caught_up_updates_total: '12' });
  });
});
