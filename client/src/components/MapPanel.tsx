/**
 * The map view (maplibre-gl, loaded on demand): every card with coordinates as a pickup and a
 * drop-off pin coloured by booking status, clustered when dense (one GeoJSON source with
 * `cluster: true` and circle layers, so 10,000 pins cost no DOM; each cluster's count is an image
 * drawn here on a canvas, so it needs no map fonts), drivers who share their position
 * (coordinators only), and a "pick on map" mode that sets a card's place with a click (or Enter
 * for the map's centre, from the keyboard). A pin click opens its card; a cluster click zooms in;
 * pins stacked on one spot (or a cluster no zoom can split) list their cards to choose from.
 *
 * The basemap is the offline style (lib/mapData.ts) unless a style URL is configured; a configured
 * style that cannot be loaded (offline) falls back to the offline one. The configured URL may
 * arrive after the map opened (/config.json is fetched at start): the map then switches to it. The same cards are listed
 * under the map, which is how keyboard and screen reader users reach them.
 */
import { createEffect, createSignal, on, onCleanup, onMount, Show } from 'solid-js';
import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { CardData } from '@delivery-board/schema/boardDoc';
import type { Booking } from '@delivery-board/schema/bookings';
import { STATUS_LABELS } from '../lib/bookingFormat.ts';
import { boundsOf, cardPins, CLUSTER_COLOR, CLUSTER_COUNT_COLOR, DRIVER_COLOR, driverPoints, offlineStyle, PIN_COLORS, pinChoices, pinsKey, samePlace, type PinProperties } from '../lib/mapData.ts';
import type { PresentUser } from '../lib/presenceFormat.ts';

maplibregl.setWorkerUrl(workerUrl);

export interface MapPanelProps {
  cards: readonly CardData[];
  bookingFor: (id: string) => Booking;
  /** People sharing their position (empty unless the viewer may see them). */
  drivers: readonly PresentUser[];
  selectedId: string | null;
  styleUrl: string | null;
  /** The place being picked (`pickup` / `dropoff`), or null. */
  picking: string | null;
  onPick: (at: { lat: number; lng: number }) => void;
  onCancelPick: () => void;
  onOpen: (cardId: string) => void;
}

const STATUS_COLOR_EXPR = ['match', ['get', 'status'], ...Object.entries(PIN_COLORS).flat(), PIN_COLORS.open];
/** Cluster counts are images named after the count ("cluster-count-60", "cluster-count-1.2k"). */
const COUNT_IMAGE = 'cluster-count-';

/**
 * The number on a cluster, drawn on a canvas in the page's own font: map text needs glyphs fetched
 * from a server, which the offline style has none of. `pixelRatio` keeps it sharp on dense screens.
 */
function countImage(count: string, pixelRatio: number): ImageData | null {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return null;
  const font = `700 12px ${getComputedStyle(document.body).getPropertyValue('--font') || 'sans-serif'}`;
  ctx.font = font;
  const m = ctx.measureText(count);
  const width = Math.ceil(m.width) + 2;
  const height = 16;
  ctx.canvas.width = Math.ceil(width * pixelRatio);
  ctx.canvas.height = Math.ceil(height * pixelRatio);
  // Resizing the canvas resets its state (font, transform).
  ctx.scale(pixelRatio, pixelRatio);
  ctx.font = font;
  ctx.fillStyle = CLUSTER_COUNT_COLOR;
  ctx.textAlign = 'center';
  // Centred on the digits' ink, not the font's em box, so they sit in the middle of the circle.
  ctx.fillText(count, width / 2, (height + m.actualBoundingBoxAscent - m.actualBoundingBoxDescent) / 2);
  return ctx.getImageData(0, 0, ctx.canvas.width, ctx.canvas.height);
}

/** Pins drawn before the first fit: never refit once the user has moved the map. */
const DATA_THROTTLE_MS = 250;

export default function MapPanel(props: MapPanelProps) {
  let container!: HTMLDivElement;
  let map: maplibregl.Map | undefined;
  const [error, setError] = createSignal<string | null>(null);
  const [ready, setReady] = createSignal(false);
  // The pins are on screen: the map went idle after the first data arrived (for tests and bench).
  const [drawn, setDrawn] = createSignal(false);
  let fitted = false;
  let fellBack = false;
  /** The style URL the map was last given (null: the offline style). */
  let styleShown: string | null = null;
  // Until the user pans or zooms, the map keeps every pin in view (also across resizes).
  let userMoved = false;

  const pins = () => cardPins(props.cards, props.bookingFor);

  /** The open list of cards at one spot (see choose), if any. */
  let choices: maplibregl.Popup | null = null;
  /** Lists the cards behind stacked pins in a popup of buttons; choosing one opens it. */
  const choose = (m: maplibregl.Map, at: maplibregl.LngLatLike, features: { properties: PinProperties }[]) => {
    const titles = new Map(props.cards.map((c) => [c.id, c.title]));
    const list = pinChoices(features, (id) => titles.get(id) ?? null);
    if (list.length === 0) return;
    const box = document.createElement('div');
    box.className = 'pin-choices';
    box.setAttribute('data-testid', 'pin-choices');
    const heading = document.createElement('p');
    heading.id = 'pin-choices-heading';
    heading.textContent = `${list.length} at this spot`;
    const ul = document.createElement('ul');
    ul.setAttribute('aria-labelledby', heading.id);
    for (const c of list) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = c.label;
      button.addEventListener('click', () => {
        choices?.remove();
        props.onOpen(c.cardId);
      });
      const item = document.createElement('li');
      item.append(button);
      ul.append(item);
    }
    box.append(heading, ul);
    choices?.remove();
    choices = new maplibregl.Popup({ maxWidth: '280px', focusAfterOpen: true }).setLngLat(at).setDOMContent(box).addTo(m);
  };
  const drivers = () => driverPoints(props.drivers, Date.now());

  const addLayers = (m: maplibregl.Map) => {
    const initial = pins();
    lastPins = pinsKey(initial);
    m.addSource('cards', { type: 'geojson', data: initial as never, cluster: true, clusterRadius: 42, clusterMaxZoom: 14 });
    m.addSource('drivers', { type: 'geojson', data: drivers() as never });
    m.addLayer({
      id: 'clusters',
      type: 'circle',
      source: 'cards',
      filter: ['has', 'point_count'],
      paint: {
        'circle-color': CLUSTER_COLOR,
        'circle-radius': ['step', ['get', 'point_count'], 14, 10, 18, 100, 24, 1000, 30],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 3,
      },
    });
    // The count as an image (drawn on demand: setMissingStyleImageResolver below), with any style:
    // the offline one has no glyphs for text. Always drawn, like the circle under it, which is the
    // layer clicks are matched against.
    m.addLayer({
      id: 'cluster-count',
      type: 'symbol',
      source: 'cards',
      filter: ['has', 'point_count'],
      layout: { 'icon-image': ['concat', COUNT_IMAGE, ['get', 'point_count_abbreviated']], 'icon-allow-overlap': true, 'icon-ignore-placement': true },
    });
    m.addLayer({
      id: 'selected',
      type: 'circle',
      source: 'cards',
      filter: ['==', ['get', 'cardId'], props.selectedId ?? ''],
      paint: { 'circle-radius': 13, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#18212b', 'circle-stroke-width': 3 },
    });
    m.addLayer({
      id: 'pins',
      type: 'circle',
      source: 'cards',
      filter: ['!', ['has', 'point_count']],
      paint: {
        'circle-color': STATUS_COLOR_EXPR as never,
        'circle-radius': ['case', ['==', ['get', 'kind'], 'pickup'], 8, 7],
        // Pickups ringed in white, drop-offs in dark: the kind is not told by colour alone.
        'circle-stroke-color': ['case', ['==', ['get', 'kind'], 'pickup'], '#ffffff', '#18212b'],
        'circle-stroke-width': 2.5,
      },
    });
    m.addLayer({
      id: 'drivers',
      type: 'circle',
      source: 'drivers',
      paint: { 'circle-color': DRIVER_COLOR, 'circle-radius': 9, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 3 },
    });
    setReady(true);
    fit(m);
    if (pins().features.length > 0) m.once('idle', () => setDrawn(true));
  };

  const fit = (m: maplibregl.Map, force = false) => {
    if (fitted && !force) return;
    const b = boundsOf([pins(), drivers()]);
    if (!b) return;
    fitted = true;
    m.fitBounds(b, { padding: 48, maxZoom: 15, duration: 0 });
  };
  const showAll = () => {
    userMoved = false;
    if (map) fit(map, true);
  };

  onMount(() => {
    styleShown = props.styleUrl;
    try {
      map = new maplibregl.Map({
        container,
        style: (props.styleUrl ?? offlineStyle()) as never,
        center: [0, 20],
        zoom: 1,
        attributionControl: { compact: true },
        cooperativeGestures: false,
      });
    } catch {
      setError('The map cannot be shown on this device (it needs WebGL). The cards are listed below.');
      return;
    }
    const m = map;
    m.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    m.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    // Only moves the user started carry an originalEvent (fitBounds and easeTo do not).
    m.on('movestart', (e) => {
      if ((e as { originalEvent?: unknown }).originalEvent) userMoved = true;
    });
    m.on('resize', () => !userMoved && fit(m, true));
    m.getCanvas().setAttribute('aria-label', 'Map of cards. Arrow keys pan, plus and minus zoom. The same cards are listed below the map.');
    m.on('style.load', () => addLayers(m));
    // Asked for each count the first time a tile shows it, and again after a style change (which
    // drops the images). A resolver, not a 'styleimagemissing' listener: since maplibre-gl 6 an
    // image added by a listener misses the tile that asked (it stays blank). Other missing images
    // belong to a configured style: left to maplibre.
    m.setMissingStyleImageResolver((id) => {
      if (!id.startsWith(COUNT_IMAGE) || m.hasImage(id)) return;
      const pixelRatio = Math.max(1, m.getPixelRatio());
      const image = countImage(id.slice(COUNT_IMAGE.length), pixelRatio);
      if (image) m.addImage(id, image, { pixelRatio });
    });
    m.on('error', (e) => {
      // A configured basemap that cannot be reached (offline): draw the pins on the plain one.
      if (!m.isStyleLoaded() && props.styleUrl && !fellBack) {
        fellBack = true;
        m.setStyle(offlineStyle() as never);
      } else if (String((e as unknown as { error?: { message?: string } }).error?.message ?? '').includes('WebGL')) {
        setError('The map cannot be shown on this device (it needs WebGL). The cards are listed below.');
      }
    });
    m.on('click', (e) => {
      if (props.picking) {
        props.onPick({ lat: e.lngLat.lat, lng: e.lngLat.lng });
        return;
      }
      choices?.remove();
      const [cluster] = m.queryRenderedFeatures(e.point, { layers: ['clusters'] });
      if (cluster) {
        const source = m.getSource('cards') as maplibregl.GeoJSONSource;
        const id = cluster.properties.cluster_id;
        const center = (cluster.geometry as { coordinates: [number, number] }).coordinates;
        void source.getClusterLeaves(id, 100, 0).then(async (leaves) => {
          // Pins at one spot stay a cluster at every zoom: list them instead of zooming in.
          if (samePlace(leaves as never[])) return choose(m, center, leaves as never[]);
          m.easeTo({ center, zoom: await source.getClusterExpansionZoom(id) });
        });
        return;
      }
      const pins = m.queryRenderedFeatures(e.point, { layers: ['pins'] });
      if (new Set(pins.map((p) => p.properties.cardId)).size > 1) choose(m, e.lngLat, pins as never[]);
      else if (pins[0]) props.onOpen(String(pins[0].properties.cardId));
    });
    for (const layer of ['clusters', 'pins']) {
      m.on('mouseenter', layer, () => !props.picking && (m.getCanvas().style.cursor = 'pointer'));
      m.on('mouseleave', layer, () => !props.picking && (m.getCanvas().style.cursor = ''));
    }
    m.getCanvas().addEventListener('keydown', (e) => {
      if (!props.picking) return;
      if (e.key === 'Enter') {
        e.preventDefault();
        const c = m.getCenter();
        props.onPick({ lat: c.lat, lng: c.lng });
      } else if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        props.onCancelPick();
      }
    });
  });
  onCleanup(() => {
    choices?.remove();
    map?.remove();
  });

  // Typing in a card changes the list on every keystroke: look at the pins at most every 250 ms,
  // and hand them to maplibre (which re-clusters them all) only when a pin really changed. The
  // list is a new array on every card or booking change, so it is the only thing tracked here.
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastPins = '';
  let lastDrivers = '';
  createEffect(
    on([() => props.cards, () => props.drivers, ready], () => {
      if (!ready() || timer) return;
      timer = setTimeout(() => {
        timer = null;
        const m = map;
        if (!m || !m.getSource('cards')) return;
        const p = pins();
        const key = pinsKey(p);
        if (key !== lastPins) {
          lastPins = key;
          (m.getSource('cards') as maplibregl.GeoJSONSource).setData(p as never);
        }
        const d = drivers();
        const dKey = JSON.stringify(d.features.map((f) => f.geometry.coordinates));
        if (dKey !== lastDrivers) {
          lastDrivers = dKey;
          (m.getSource('drivers') as maplibregl.GeoJSONSource).setData(d as never);
        }
        fit(m);
        if (!drawn()) m.once('idle', () => setDrawn(true));
      }, DATA_THROTTLE_MS);
    }),
  );
  onCleanup(() => timer && clearTimeout(timer));

  // The config arrived (or changed) after the map opened. No diff: a diff against the new style
  // would drop our sources and layers without a 'style.load' to add them back; a full load fires
  // it, and an unreachable style still falls back to the offline one (the 'error' handler).
  createEffect(
    on(
      () => props.styleUrl,
      (url) => {
        if (!map || url === styleShown) return;
        styleShown = url;
        fellBack = false;
        setReady(false);
        map.setStyle((url ?? offlineStyle()) as never, { diff: false });
      },
      { defer: true },
    ),
  );

  createEffect(() => {
    const id = props.selectedId ?? '';
    if (ready()) map?.setFilter('selected', ['==', ['get', 'cardId'], id]);
  });
  createEffect(() => {
    if (!map) return;
    map.getCanvas().style.cursor = props.picking ? 'crosshair' : '';
    if (props.picking) map.getCanvas().focus({ preventScroll: true });
  });

  return (
    <div class="map-panel" classList={{ picking: !!props.picking }} data-testid="map-view" data-ready={ready() ? 'true' : 'false'} data-drawn={drawn() ? 'true' : 'false'}>
      <Show when={error()}>
        <p class="map-error" role="alert" data-testid="map-error">
          {error()}
        </p>
      </Show>
      <div class="map-canvas" ref={container} />
      <Show when={props.picking}>
        <div class="map-pick-banner" role="status" data-testid="map-pick-banner">
          <span>Tap or click the map to set the {props.picking === 'pickup' ? 'pickup' : 'drop-off'} (Enter: the centre of the map).</span>
          <button type="button" class="btn btn-small" onClick={() => props.onCancelPick()}>
            Cancel
          </button>
        </div>
      </Show>
      <div class="map-foot">
        <button type="button" class="btn btn-small" data-testid="map-fit" onClick={showAll}>
          Show all pins
        </button>
        <ul class="map-legend" aria-label="Map legend">
          {Object.entries(PIN_COLORS).map(([status, color]) => (
            <li>
              <span class="legend-dot" style={{ 'background-color': color }} aria-hidden="true" />
              {STATUS_LABELS[status as keyof typeof STATUS_LABELS]}
            </li>
          ))}
          <li>
            <span class="legend-dot legend-ring-light" aria-hidden="true" />
            Pickup
          </li>
          <li>
            <span class="legend-dot legend-ring-dark" aria-hidden="true" />
            Drop-off
          </li>
          <li>
            <span class="legend-dot legend-cluster" style={{ 'background-color': CLUSTER_COLOR }} aria-hidden="true" />
            Several cards (click to zoom in, or to choose when they share a spot)
          </li>
          <Show when={props.drivers.length > 0}>
            <li data-testid="map-drivers">
              <span class="legend-dot" style={{ 'background-color': DRIVER_COLOR }} aria-hidden="true" />
              {props.drivers.length === 1 ? `${props.drivers[0].name} (sharing position)` : `${props.drivers.length} drivers sharing their position`}
            </li>
          </Show>
        </ul>
      </div>
    </div>
  );
}
