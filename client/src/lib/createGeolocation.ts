/**
 * The device's position, asked for only when the user wants something that needs it ("near me",
 * sorting by distance, sharing a driver's position). Denied or unavailable is a normal state the
 * UI explains, not an error. `watch` keeps following the device (for sharing); `request` asks once.
 */
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import type { LatLng } from './cardFilters.ts';

export type GeoState = 'idle' | 'asking' | 'ok' | 'denied' | 'unavailable';

export interface Geolocation {
  position: Accessor<(LatLng & { at: number }) | null>;
  state: Accessor<GeoState>;
  /** Asks once (the browser may prompt); resolves when answered. */
  request(): Promise<void>;
  /** Follows the device until `stopWatching` (or the owner ends). */
  watch(): void;
  stopWatching(): void;
}

/** Creates the position holder; a running watch is cleared with the owner. */
export function createGeolocation(geo: globalThis.Geolocation | undefined = globalThis.navigator?.geolocation): Geolocation {
  const [position, setPosition] = createSignal<(LatLng & { at: number }) | null>(null);
  const [state, setState] = createSignal<GeoState>(geo ? 'idle' : 'unavailable');
  let watchId: number | null = null;

  const ok = (p: GeolocationPosition) => {
    setPosition({ lat: p.coords.latitude, lng: p.coords.longitude, at: p.timestamp || Date.now() });
    setState('ok');
  };
  const fail = (err: GeolocationPositionError) => {
    // Keep a position we already have if the device only lost the fix for a moment.
    if (err.code === err.PERMISSION_DENIED) {
      setPosition(null);
      setState('denied');
    } else if (!position()) setState('unavailable');
  };

  const stopWatching = () => {
    if (watchId !== null) geo?.clearWatch(watchId);
    watchId = null;
  };
  onCleanup(stopWatching);

  return {
    position,
    state,
    request() {
      if (!geo) return Promise.resolve();
      if (!position()) setState('asking');
      return new Promise<void>((resolve) => {
        geo.getCurrentPosition(
          (p) => (ok(p), resolve()),
          (e) => (fail(e), resolve()),
          { enableHighAccuracy: false, maximumAge: 60_000, timeout: 15_000 },
        );
      });
    },
    watch() {
      if (!geo || watchId !== null) return;
      if (!position()) setState('asking');
      watchId = geo.watchPosition(ok, fail, { enableHighAccuracy: true, maximumAge: 10_000, timeout: 30_000 });
    },
    stopWatching,
  };
}
