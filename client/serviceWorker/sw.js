/**
 * Delivery Board service worker: keeps the app shell on the device so the app opens with no
 * network at all (the boards themselves come from IndexedDB, the user from localStorage).
 *
 * This is the template; the build (client/scripts/serviceWorkerPlugin.ts) writes dist/sw.js with
 * SHELL_VERSION and SHELL_FILES filled in: index.html and every hashed file of that build.
 *
 * - install: precache the shell into `delivery-board-shell-<version>` (bypassing the HTTP cache).
 * - activate: delete older shell caches, take over open pages.
 * - navigations: network first (a deploy reaches users at once), the cached index.html when the
 *   network fails, answers 5xx, or is slower than NAVIGATION_TIMEOUT_MS.
 * - /assets/*: cache first (file names are content hashes), filled from the network on a miss.
 * - /config.json: network first, cached copy offline.
 * - /api/*, /sync/* and anything else: never touched (user data is not cached here).
 */
/* eslint-env serviceworker */

const SHELL_VERSION = '__SHELL_VERSION__';
/** @type {string[]} */
const SHELL_FILES = JSON.parse('__SHELL_FILES__');
const CACHE_PREFIX = 'delivery-board-shell-';
const CACHE = CACHE_PREFIX + SHELL_VERSION;
const INDEX = '/index.html';
const NAVIGATION_TIMEOUT_MS = 4000;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // `reload`: never precache a stale copy from the HTTP cache.
      await cache.addAll(SHELL_FILES.map((url) => new Request(url, { cache: 'reload' })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(CACHE_PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

/** The page asks the worker to drop cached files (sign-out): only the shell stays. */
self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'clear-data') {
    event.waitUntil(
      (async () => {
        for (const name of await caches.keys()) if (!name.startsWith(CACHE_PREFIX)) await caches.delete(name);
      })(),
    );
  }
});

async function cachedIndex() {
  const cache = await caches.open(CACHE);
  return (await cache.match(INDEX)) || (await caches.match(INDEX)) || Response.error();
}

async function navigate(request) {
  try {
    const response = await Promise.race([
      fetch(request),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), NAVIGATION_TIMEOUT_MS)),
    ]);
    // A proxy in front of a stopped server answers 502/503/504: the device copy is better.
    if (response.status >= 500) return cachedIndex();
    return response;
  } catch {
    return cachedIndex();
  }
}

async function asset(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function config(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch {
    return (await cache.match(request)) || Response.error();
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/sync/')) return;
  if (request.mode === 'navigate') event.respondWith(navigate(request));
  else if (url.pathname.startsWith('/assets/')) event.respondWith(asset(request));
  else if (url.pathname === '/config.json') event.respondWith(config(request));
});

/** A notification click (lib/showNotifications.ts) opens its card, in an open tab if there is one. */
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL((event.notification.data && event.notification.data.url) || '/', self.location.origin).href;
  event.waitUntil(
    (async () => {
      const tabs = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const tab = tabs.find((c) => new URL(c.url).origin === self.location.origin);
      if (tab) {
        await tab.focus();
        if ('navigate' in tab) await tab.navigate(url);
        return;
      }
      await self.clients.openWindow(url);
    })(),
  );
});
