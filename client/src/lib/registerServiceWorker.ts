/**
 * Registers the service worker (built from client/serviceWorker/sw.js) that keeps the app shell on
 * the device, so the app opens with no network after one visit. Production builds only: the dev
 * server's modules are not hashed files and must never be served stale.
 */
export function registerServiceWorker(): void {
  // MODE, not PROD: PROD follows NODE_ENV, which test runners set to `test` even for a real build.
  if (import.meta.env.MODE !== 'production' || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  const register = () =>
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
      // Private mode or an insecure origin: the app works, just not cold-offline.
    });
  if (document.readyState === 'complete') void register();
  else window.addEventListener('load', () => void register(), { once: true });
}
