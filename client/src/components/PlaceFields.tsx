/**
 * The fields of one place on a card (pickup or drop-off): a label and optional coordinates, typed,
 * picked on the map ("Pick on map" then a click on the map), or looked up from the address with
 * "Find" when a geocoder is configured (lib/appConfig.ts).
 */
import { createEffect, createSignal, on, Show, untrack } from 'solid-js';
import type { Place } from '@delivery-board/schema/boardDoc';
import { formatCoord, parseCoord } from '../lib/cardFormat.ts';
import { DraftField } from './DraftField.tsx';
import { describedBy, Field } from './Field.tsx';
import { SyncedText } from './SyncedText.tsx';

/** Map picking and address lookup, provided by the board (absent: plain fields only). */
export interface PlaceTools {
  /** Starts (or, when already picking this place, stops) picking its position on the map. */
  togglePick(name: string): void;
  /** The place being picked on the map now (`pickup`, `dropoff`), or null. */
  picking(): string | null;
  /** Coordinates for an address, or null when nothing was found; absent without a geocoder. */
  geocode?: (query: string) => Promise<{ lat: number; lng: number } | null>;
}

export interface PlaceFieldsProps {
  /** Prefix for element ids and test ids, e.g. `pickup`. */
  name: string;
  legend: string;
  placeholder: string;
  place: Place | null;
  onChange: (place: Place | null) => void;
  disabled?: boolean;
  tools?: PlaceTools;
}

const sameCoord = (a: number | null, b: number | null) => a === b;

export function PlaceFields(props: PlaceFieldsProps) {
  // The whole place is one value in the card map: write it as a unit, and store nothing at all
  // (null) once every part is cleared.
  const write = (patch: Partial<Place>) => {
    const next: Place = { label: '', lat: null, lng: null, ...props.place, ...patch };
    props.onChange(next.label === '' && next.lat === null && next.lng === null ? null : next);
  };

  const [finding, setFinding] = createSignal(false);
  const [findNote, setFindNote] = createSignal('');
  const find = async () => {
    const query = props.place?.label?.trim();
    if (!query || !props.tools?.geocode) return setFindNote('Type an address first.');
    setFinding(true);
    setFindNote('');
    try {
      const hit = await props.tools.geocode(query);
      if (hit) write({ lat: Math.round(hit.lat * 1e6) / 1e6, lng: Math.round(hit.lng * 1e6) / 1e6 });
      setFindNote(hit ? 'Position found.' : 'No match for this address. Pick it on the map or type the coordinates.');
    } catch {
      setFindNote("The address lookup isn't reachable right now.");
    } finally {
      setFinding(false);
    }
  };
  const picking = () => props.tools?.picking() === props.name;
  // A position just arrived (picked on the map, found, or typed by someone else): show it.
  let details: HTMLDetailsElement | undefined;
  createEffect(
    on(
      () => props.place?.lat != null,
      (has, had) => {
        if (has && had === false && details) details.open = true;
      },
    ),
  );

  return (
    <fieldset class="place-fields">
      <legend>{props.legend}</legend>
      <Field id={`${props.name}-label`} label="Address or place">
        <SyncedText
          id={`${props.name}-label`}
          data-testid={`${props.name}-label-input`}
          value={props.place?.label ?? ''}
          onValue={(label) => write({ label })}
          placeholder={props.placeholder}
          disabled={props.disabled}
          autocomplete="off"
          aria-describedby={describedBy(`${props.name}-label`)}
        />
      </Field>
      <Show when={props.tools && !props.disabled}>
        <div class="place-tools">
          <button
            type="button"
            class="btn btn-small"
            classList={{ active: picking() }}
            aria-pressed={picking()}
            data-testid={`${props.name}-pick`}
            onClick={() => props.tools!.togglePick(props.name)}
          >
            {picking() ? 'Cancel picking' : 'Pick on map'}
          </button>
          <Show when={props.tools?.geocode}>
            <button type="button" class="btn btn-small" data-testid={`${props.name}-find`} disabled={finding()} onClick={() => void find()}>
              {finding() ? 'Finding…' : 'Find address'}
            </button>
          </Show>
          <span class="field-hint" role="status" data-testid={`${props.name}-place-note`}>
            {picking() ? `Click the map to set the ${props.legend.toLowerCase()} (Enter on the map: its centre).` : findNote()}
          </span>
        </div>
      </Show>
      {/* Open at first when there is a position to show; afterwards the user decides. */}
      <details class="coords" ref={details} open={untrack(() => props.place?.lat != null || props.place?.lng != null)}>
        <summary>Map position (optional)</summary>
        <div class="field-row">
          <DraftField
            id={`${props.name}-lat`}
            testid={`${props.name}-lat-input`}
            label="Latitude"
            inputMode="decimal"
            placeholder="e.g. 51.5072"
            value={props.place?.lat ?? null}
            format={formatCoord}
            parse={(t) => parseCoord(t, -90, 90, 'Latitude')}
            equals={sameCoord}
            onValue={(lat) => write({ lat })}
            disabled={props.disabled}
          />
          <DraftField
            id={`${props.name}-lng`}
            testid={`${props.name}-lng-input`}
            label="Longitude"
            inputMode="decimal"
            placeholder="e.g. -0.1276"
            value={props.place?.lng ?? null}
            format={formatCoord}
            parse={(t) => parseCoord(t, -180, 180, 'Longitude')}
            equals={sameCoord}
            onValue={(lng) => write({ lng })}
            disabled={props.disabled}
          />
        </div>
      </details>
    </fieldset>
  );
}
