/**
 * Deployment settings the client reads at run time: `GET /config.json` (a file the operator puts
 * next to index.html, e.g. client/dist/config.json or a mounted volume), falling back to build-time
 * env (`VITE_MAP_STYLE_URL`, `VITE_GEOCODER_URL`), falling back to the offline defaults: the map
 * draws on a plain background with no remote tiles, and there is no address lookup.
 *
 *   { "mapStyleUrl": "https://tiles.openfreemap.org/styles/liberty",
 *     "geocoderUrl": "https://nominatim.openstreetmap.org" }
 *
 * The service worker keeps the last config.json for offline starts. Provided through context.
 */
import { createContext, createResource, useContext, type Accessor } from 'solid-js';

export interface AppConfig {
  /** A maplibre style URL; null: the built-in offline style (lib/mapData.ts). */
  mapStyleUrl: string | null;
  /** Base URL of a Nominatim-compatible geocoder; null: no "Find on map" button. */
  geocoderUrl: string | null;
}

const httpUrl = (v: unknown): string | null => {
  if (typeof v !== 'string' || !v.trim()) return null;
  try {
    const u = new URL(v.trim(), 'http://localhost');
    return u.protocol === 'http:' || u.protocol === 'https:' ? v.trim() : null;
  } catch {
    return null;
  }
};

/** The settings from a config.json body, each falling back to `fallback`'s. */
export function parseAppConfig(raw: unknown, fallback: AppConfig): AppConfig {
  const r = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  return { mapStyleUrl: httpUrl(r.mapStyleUrl) ?? fallback.mapStyleUrl, geocoderUrl: httpUrl(r.geocoderUrl) ?? fallback.geocoderUrl };
}

/** The build-time settings (Vite env). */
export function buildConfig(env: Record<string, unknown> = import.meta.env): AppConfig {
  return { mapStyleUrl: httpUrl(env.VITE_MAP_STYLE_URL), geocoderUrl: httpUrl(env.VITE_GEOCODER_URL) };
}

/** Reads /config.json; never rejects (a missing file is the normal case). */
export async function loadAppConfig(fetchImpl: typeof fetch = (...a) => fetch(...a)): Promise<AppConfig> {
  const fallback = buildConfig();
  try {
    const res = await fetchImpl('/config.json', { headers: { Accept: 'application/json' } });
    // Without the file the server's SPA fallback answers with index.html: not ours.
    if (!res.ok || !(res.headers.get('content-type') ?? '').includes('json')) return fallback;
    return parseAppConfig(await res.json(), fallback);
  } catch {
    return fallback;
  }
}

/** The Nominatim search URL for an address. */
export function geocodeUrl(base: string, query: string): string {
  const root = base.replace(/\/+$/, '').replace(/\/search$/, '');
  return `${root}/search?format=jsonv2&limit=1&q=${encodeURIComponent(query)}`;
}

/** The first hit of a Nominatim answer, or null. */
export function parseGeocode(body: unknown): { lat: number; lng: number } | null {
  const first = Array.isArray(body) ? (body[0] as Record<string, unknown> | undefined) : undefined;
  const lat = Number(first?.lat);
  const lng = Number(first?.lon);
  return first && Number.isFinite(lat) && Number.isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180 ? { lat, lng } : null;
}

/** Looks an address up with the configured geocoder. Rejects when it cannot be reached. */
export async function geocode(base: string, query: string, fetchImpl: typeof fetch = (...a) => fetch(...a)): Promise<{ lat: number; lng: number } | null> {
  const res = await fetchImpl(geocodeUrl(base, query), { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`geocoder answered ${res.status}`);
  return parseGeocode(await res.json());
}

export const AppConfigContext = createContext<Accessor<AppConfig>>();

/** Loads the config once for the app; offline defaults until it arrives. */
export function createAppConfig(): Accessor<AppConfig> {
  const [config] = createResource(() => loadAppConfig());
  return () => config() ?? { mapStyleUrl: null, geocoderUrl: null };
}

/** The settings provided by an enclosing `<AppConfigContext.Provider>` (defaults without one). */
export function useAppConfig(): Accessor<AppConfig> {
  return useContext(AppConfigContext) ?? (() => ({ mapStyleUrl: null, geocoderUrl: null }));
}
