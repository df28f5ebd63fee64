/**
 * Finding cards on a busy board: text search, status, time window, tag, "near me" and the sort
 * order. Each control is a labelled native element (keyboard and screen reader friendly). On
 * phones everything but the search folds behind a "Filters" button that says how many are on.
 * "Near me" and "Nearest first" ask for the device position; when it is denied they say so and
 * filter nothing.
 */
import { createSignal, For, Show } from 'solid-js';
import type { Role } from '@delivery-board/schema/types';
import { STATUS_FILTERS, statusFilterLabel, type StatusFilter } from '../lib/bookingFormat.ts';
import { NEAR_RADII, WINDOW_FILTERS, type CardFilterState, type CardSort, type WindowFilter } from '../lib/cardFilters.ts';
import { SORTS } from '../lib/cardFormat.ts';
import type { GeoState } from '../lib/createGeolocation.ts';

export interface CardFiltersBarProps {
  filters: CardFilterState;
  set: <K extends keyof CardFilterState>(key: K, value: CardFilterState[K]) => void;
  role: Role;
  /** Status options for this role (no "mine" for viewers). */
  statusOptions: readonly StatusFilter[];
  tags: readonly string[];
  geo: GeoState;
  /** Asks for the device position (the first time "near me" or distance order is chosen). */
  needPosition: () => void;
}

const GEO_NOTES: Partial<Record<GeoState, string>> = {
  asking: 'Finding your position…',
  denied: 'Location is blocked for this site, so cards cannot be sorted or filtered by distance.',
  unavailable: "Your position isn't available on this device.",
};

export function CardFiltersBar(props: CardFiltersBarProps) {
  const [open, setOpen] = createSignal(false);
  const active = () =>
    [props.filters.status !== 'all', props.filters.window !== 'any', props.filters.tag !== '', props.filters.nearKm > 0].filter(Boolean).length;
  const usesPosition = () => props.filters.nearKm > 0 || props.filters.sort === 'distance';

  const choose = <K extends keyof CardFilterState>(key: K, value: CardFilterState[K]) => {
    props.set(key, value);
    if ((key === 'nearKm' && Number(value) > 0) || (key === 'sort' && value === 'distance')) props.needPosition();
  };

  return (
    <div class="filters" classList={{ open: open() }} data-testid="card-filters">
      <div class="filters-main">
        <div class="search">
          <label for="card-search" class="visually-hidden">
            Search cards
          </label>
          <input
            id="card-search"
            type="search"
            placeholder="Search cards"
            data-testid="card-search"
            value={props.filters.search}
            onInput={(e) => props.set('search', e.currentTarget.value)}
          />
        </div>
        <button
          type="button"
          class="btn filters-toggle"
          aria-expanded={open()}
          aria-controls="filter-controls"
          data-testid="filters-toggle"
          onClick={() => setOpen(!open())}
        >
          Filters
          <Show when={active() > 0}>
            <span class="count-pill">{active()}</span>
          </Show>
        </button>
      </div>
      <div class="filter-controls" id="filter-controls">
        <div class="filter">
          <label for="status-filter">Status</label>
          <select id="status-filter" data-testid="status-filter" value={props.filters.status} onChange={(e) => choose('status', e.currentTarget.value as StatusFilter)}>
            <For each={props.statusOptions.length ? props.statusOptions : STATUS_FILTERS}>{(f) => <option value={f}>{statusFilterLabel(f, props.role)}</option>}</For>
          </select>
        </div>
        <div class="filter">
          <label for="window-filter">When</label>
          <select id="window-filter" data-testid="window-filter" value={props.filters.window} onChange={(e) => choose('window', e.currentTarget.value as WindowFilter)}>
            <For each={Object.entries(WINDOW_FILTERS)}>{([value, label]) => <option value={value}>{label}</option>}</For>
          </select>
        </div>
        <div class="filter">
          <label for="tag-filter">Tag</label>
          <select id="tag-filter" data-testid="tag-filter" value={props.filters.tag} onChange={(e) => choose('tag', e.currentTarget.value)}>
            <option value="">Any tag</option>
            <For each={props.tags}>{(tag) => <option value={tag}>{tag}</option>}</For>
            {/* A chosen tag stays selectable after its last card lost it. */}
            <Show when={props.filters.tag && !props.tags.includes(props.filters.tag)}>
              <option value={props.filters.tag}>{props.filters.tag}</option>
            </Show>
          </select>
        </div>
        <div class="filter">
          <label for="near-filter">Distance</label>
          <select id="near-filter" data-testid="near-filter" value={String(props.filters.nearKm)} onChange={(e) => choose('nearKm', Number(e.currentTarget.value))}>
            <For each={NEAR_RADII}>{(km) => <option value={String(km)}>{km === 0 ? 'Any distance' : `Within ${km} km of me`}</option>}</For>
          </select>
        </div>
        <div class="filter">
          <label for="card-sort">Sort</label>
          <select id="card-sort" data-testid="card-sort" value={props.filters.sort} onChange={(e) => choose('sort', e.currentTarget.value as CardSort)}>
            <For each={Object.entries(SORTS)}>{([value, label]) => <option value={value}>{label}</option>}</For>
            <option value="distance">Nearest first</option>
          </select>
        </div>
      </div>
      <Show when={usesPosition() && GEO_NOTES[props.geo]}>
        <p class="filters-note" role="status" data-testid="geo-note">
          {GEO_NOTES[props.geo]}
        </p>
      </Show>
    </div>
  );
}
