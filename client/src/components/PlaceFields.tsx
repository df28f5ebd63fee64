/** The fields of one place on a card (pickup or drop-off): a label and optional coordinates. */
import { untrack } from 'solid-js';
import type { Place } from '@delivery-board/schema/boardDoc';
import { formatCoord, parseCoord } from '../lib/cardFormat.ts';
import { DraftField } from './DraftField.tsx';
import { describedBy, Field } from './Field.tsx';
import { SyncedText } from './SyncedText.tsx';

export interface PlaceFieldsProps {
  /** Prefix for element ids and test ids, e.g. `pickup`. */
  name: string;
  legend: string;
  placeholder: string;
  place: Place | null;
  onChange: (place: Place | null) => void;
  disabled?: boolean;
}

const sameCoord = (a: number | null, b: number | null) => a === b;

export function PlaceFields(props: PlaceFieldsProps) {
  // The whole place is one value in the card map: write it as a unit, and store nothing at all
  // (null) once every part is cleared.
  const write = (patch: Partial<Place>) => {
    const next: Place = { label: '', lat: null, lng: null, ...props.place, ...patch };
    props.onChange(next.label === '' && next.lat === null && next.lng === null ? null : next);
  };

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
      {/* Open at first when there is a position to show; afterwards the user decides. */}
      <details class="coords" open={untrack(() => props.place?.lat != null || props.place?.lng != null)}>
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
