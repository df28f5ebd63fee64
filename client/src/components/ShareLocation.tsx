/**
 * A driver's opt-in "Share my location" toggle (off by default, never remembered): while on, the
 * device position goes to the board's coordinators through presence (awareness), at most once
 * every 10 s, and is never stored anywhere. Turning it off (or leaving the board) withdraws it.
 */
import { createEffect, createSignal, on, onCleanup, Show } from 'solid-js';
import type { Geolocation } from '../lib/createGeolocation.ts';
import type { SharedPosition } from '../lib/presenceFormat.ts';

export const SHARE_INTERVAL_MS = 10_000;

export interface ShareLocationProps {
  geo: Geolocation;
  publish: (position: SharedPosition | null) => void;
}

export function ShareLocation(props: ShareLocationProps) {
  const [on_, setOn] = createSignal(false);
  /** The browser refused the position: sharing is off again, and the driver is told why. */
  const [blocked, setBlocked] = createSignal(false);
  let lastSent = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const send = () => {
    const p = props.geo.position();
    if (!p || !on_()) return;
    lastSent = Date.now();
    props.publish({ lat: Math.round(p.lat * 1e5) / 1e5, lng: Math.round(p.lng * 1e5) / 1e5, at: p.at });
  };
  // Throttle: send now if the last one is old enough, else once the interval has passed.
  createEffect(
    on(props.geo.position, () => {
      if (!on_() || timer) return;
      const wait = lastSent + SHARE_INTERVAL_MS - Date.now();
      if (wait <= 0) send();
      else timer = setTimeout(() => ((timer = null), send()), wait);
    }),
  );
  const stop = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    props.geo.stopWatching();
    props.publish(null);
  };
  onCleanup(stop);
  // A refusal leaves nothing being shared, so the toggle must not say "Sharing".
  createEffect(
    on(props.geo.state, (state) => {
      if (state !== 'denied' || !on_()) return;
      setOn(false);
      stop();
      setBlocked(true);
    }),
  );

  const toggle = () => {
    if (on_()) {
      setOn(false);
      stop();
    } else {
      setOn(true);
      setBlocked(false);
      lastSent = 0;
      props.geo.watch();
      send();
    }
  };

  return (
    <span class="share-location">
      <button type="button" class="btn btn-small" classList={{ active: on_() }} aria-pressed={on_()} data-testid="share-location" onClick={toggle}>
        {on_() ? 'Sharing my location' : 'Share my location'}
      </button>
      <Show when={blocked()}>
        <span class="field-hint" role="status" data-testid="share-location-blocked">
          Location is blocked for this site: allow it in the browser's site settings to share it.
        </span>
      </Show>
    </span>
  );
}
