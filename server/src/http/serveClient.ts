/**
 * Serves the built client: files from `dir`, and index.html for every other GET that is not an API
 * or sync path (the client routes itself). Hashed assets are cached for a year; index.html and the
 * service worker are revalidated on every load so a deploy reaches users at once.
 */
import type { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AppEnv } from './context.ts';

/** Run-time client settings served as /config.json (null: the client's offline defaults). */
export interface ClientSettings {
  mapStyleUrl: string | null;
  geocoderUrl: string | null;
}

const REVALIDATE = new Set(['/', '/index.html', '/sw.js', '/config.json']);

export function serveClient(app: Hono<AppEnv>, dir: string, settings: ClientSettings) {
  const indexPath = join(dir, 'index.html');
  // The shell, the service worker and the settings must never be served stale from an HTTP cache:
  // the service worker decides what is kept offline.
  app.use('*', async (c, next) => {
    await next();
    if (REVALIDATE.has(c.req.path) && c.res.ok) c.header('Cache-Control', 'no-cache');
  });
  app.get('/config.json', (c) => c.json(settings));
  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.ok) c.header('Cache-Control', 'public, max-age=31536000, immutable');
  });
  app.use('*', serveStatic({ root: dir }));
  app.get('*', (c) => {
    if (c.req.path.startsWith('/api/') || c.req.path.startsWith('/sync/')) return c.notFound();
    if (!existsSync(indexPath)) return c.text('Client not built: run `npm run build`', 503);
    c.header('Cache-Control', 'no-cache');
    return c.html(readFileSync(indexPath, 'utf8'));
  });
}
