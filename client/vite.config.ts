/**
 * Vite build and dev server for the web client. Run from client/ (`npm run dev -w client`): the dev
 * server proxies the REST API and the sync websockets to a server on 127.0.0.1:8787, so the app
 * always talks to its own origin, exactly as in production where the server serves `dist/`. The
 * build also writes dist/sw.js, the service worker that keeps the app shell offline.
 */
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';
import { serviceWorkerPlugin } from './scripts/serviceWorkerPlugin.ts';

const backend = 'http://127.0.0.1:8787';

export default defineConfig({
  plugins: [solid(), serviceWorkerPlugin()],
  server: {
    proxy: {
      '/api': { target: backend },
      '/sync': { target: backend, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // maplibre-gl is one ~1 MB chunk, loaded only with the map view.
    chunkSizeWarningLimit: 1200,
  },
});
