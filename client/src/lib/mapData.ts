/**
 * Pure conversions for the map view: cards to GeoJSON pins (a pickup and a drop-off per card,
 * coloured by booking status), drivers' shared positions to points, the bounds to fit, and an
 * offline map style (plain background and a graticule, no remote tiles or fonts). No DOM, no
 * maplibre: unit-tested in mapData.test.ts; components/MapPanel.tsx hands the results to maplibre.
 */
import type { CardData } from '@delivery-board/schema/boardDoc';
import type { Booking, BookingStatus } from '@delivery-board/schema/bookings';
import type { PresentUser } from './presenceFormat.ts';

/** Pin fill per booking status: the card border colours (≥ 3:1 on the light map background). */
export const PIN_COLORS: Record<BookingStatus, string> = {
  open: '#c27803',
  claimed: '#2f6fbd',
  picked_up: '#7a4cc2',
  delivered: '#2e8540',
  cancelled: '#8a94a1',
};
export const CLUSTER_COLOR = '#0f6b63';
/** The count on a cluster: white on CLUSTER_COLOR is 6.4:1 (WCAG AA for small text needs 4.5:1). */
export const CLUSTER_COUNT_COLOR = '#ffffff';
export const DRIVER_COLOR = '#d6336c';
export const MAP_BACKGROUND = '#eef2ef';

export interface PinProperties {
  cardId: string;
  kind: 'pickup' | 'dropoff';
  status: BookingStatus;
}

export interface PointFeature<P> {
  type: 'Feature';
  id?: number;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: P;
}

export interface FeatureCollection<P> {
  type: 'FeatureCollection';
  features: PointFeature<P>[];
}

/** Pins for the cards that have coordinates (pickup and drop-off each, when set). */
export function cardPins(cards: readonly CardData[], bookingFor: (id: string) => Booking): FeatureCollection<PinProperties> {
  const features: PointFeature<PinProperties>[] = [];
  for (const card of cards) {
    const status = bookingFor(card.id).status;
    for (const kind of ['pickup', 'dropoff'] as const) {
      const p = card[kind];
      if (!p || p.lat === null || p.lng === null || !Number.isFinite(p.lat) || !Number.isFinite(p.lng)) continue;
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [p.lng, p.lat] },
        properties: { cardId: card.id, kind, status },
      });
    }
  }
  return { type: 'FeatureCollection', features };
}

export interface PinChoice {
  cardId: string;
  /** "Weekly grocery box · pickup" */
  label: string;
}

/**
 * The cards behind pins that share one spot (several deliveries from one food bank hall), one entry
 * per card and place, by title: a click there lets the user choose instead of always opening one.
 */
export function pinChoices(pins: readonly { properties: PinProperties }[], titleOf: (cardId: string) => string | null): PinChoice[] {
  const seen = new Map<string, PinChoice>();
  for (const { properties: p } of pins) {
    const key = `${p.cardId}:${p.kind}`;
    if (seen.has(key)) continue;
    const title = titleOf(p.cardId);
    if (title === null) continue; // a card deleted since the map last drew
    seen.set(key, { cardId: p.cardId, label: `${title || 'Untitled card'} · ${p.kind === 'pickup' ? 'pickup' : 'drop-off'}` });
  }
  return [...seen.values()].sort((a, b) => a.label.localeCompare(b.label));
}

/** True when every point is at the same coordinates (a cluster that no zoom can split). */
export function samePlace(points: readonly { geometry: { coordinates: number[] } }[]): boolean {
  const [first] = points;
  return !!first && points.every((f) => f.geometry.coordinates[0] === first.geometry.coordinates[0] && f.geometry.coordinates[1] === first.geometry.coordinates[1]);
}

/**
 * A short fingerprint of a pin collection: equal when every pin is the same (card, kind, status,
 * place), so typing in a card's notes does not make the map re-cluster 10,000 pins.
 */
export function pinsKey(pins: FeatureCollection<PinProperties>): string {
  let key = '';
  for (const f of pins.features) {
    const p = f.properties;
    key += `${p.cardId}${p.kind === 'pickup' ? 'p' : 'd'}${p.status}${f.geometry.coordinates[0]},${f.geometry.coordinates[1]}|`;
  }
  return key;
}

export interface DriverProperties {
  userId: string;
  name: string;
  initials: string;
  /** Minutes since the position was measured. */
  ageMinutes: number;
}

/** Points for the people sharing their position. */
export function driverPoints(users: readonly PresentUser[], now: number): FeatureCollection<DriverProperties> {
  const features: PointFeature<DriverProperties>[] = [];
  for (const u of users) {
    if (!u.position) continue;
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [u.position.lng, u.position.lat] },
      properties: { userId: u.id, name: u.name, initials: u.initials, ageMinutes: Math.max(0, Math.round((now - u.position.at) / 60_000)) },
    });
  }
  return { type: 'FeatureCollection', features };
}

/** [[west, south], [east, north]] around the points, or null when there are none. */
export function boundsOf(collections: readonly FeatureCollection<unknown>[]): [[number, number], [number, number]] | null {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (const c of collections) {
    for (const f of c.features) {
      const [lng, lat] = f.geometry.coordinates;
      w = Math.min(w, lng);
      e = Math.max(e, lng);
      s = Math.min(s, lat);
      n = Math.max(n, lat);
    }
  }
  return Number.isFinite(w) ? [[w, s], [e, n]] : null;
}

/** Lines of latitude and longitude every `step` degrees, so an empty map still shows movement. */
export function graticule(step: number): { type: 'FeatureCollection'; features: { type: 'Feature'; geometry: { type: 'LineString'; coordinates: [number, number][] }; properties: { major: boolean } }[] } {
  const features = [];
  for (let lng = -180; lng <= 180; lng += step) {
    features.push({ type: 'Feature' as const, geometry: { type: 'LineString' as const, coordinates: [[lng, -85], [lng, 85]] as [number, number][] }, properties: { major: lng % 30 === 0 } });
  }
  for (let lat = -80; lat <= 80; lat += step) {
    const coordinates: [number, number][] = [];
    for (let lng = -180; lng <= 180; lng += 10) coordinates.push([lng, lat]);
    features.push({ type: 'Feature' as const, geometry: { type: 'LineString' as const, coordinates }, properties: { major: lat % 30 === 0 } });
  }
  return { type: 'FeatureCollection', features };
}

/**
 * The default style: no tiles, no fonts, nothing fetched, so the map works with no internet (and
 * offline). A real basemap is one setting away (`mapStyleUrl` in /config.json or
 * VITE_MAP_STYLE_URL; see lib/appConfig.ts).
 */
export function offlineStyle(): object {
  return {
    version: 8,
    name: 'Delivery Board offline',
    sources: { graticule: { type: 'geojson', data: graticule(1) } },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': MAP_BACKGROUND } },
      {
        id: 'graticule',
        type: 'line',
        source: 'graticule',
        paint: { 'line-color': '#c9d3cc', 'line-width': ['case', ['get', 'major'], 1.2, 0.6] },
      },
    ],
  };
}
