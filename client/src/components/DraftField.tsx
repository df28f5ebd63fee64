/**
 * A labelled input for a structured card value typed as text (item lists, tags, coordinates).
 * What the user types is kept as a local draft so that half-typed text ("rice, ", "52.") is not
 * normalised away under their fingers; the draft is replaced only when the document's value stops
 * matching it (someone else changed the field) or on blur, when it is tidied up.
 */
import { createEffect, createSignal, on } from 'solid-js';
import type { Parsed } from '../lib/cardFormat.ts';
import { describedBy, Field, placeholderFor } from './Field.tsx';

export interface DraftFieldProps<T> {
  id: string;
  label: string;
  hint?: string;
  value: T;
  format: (value: T) => string;
  parse: (text: string) => Parsed<T>;
  equals: (a: T, b: T) => boolean;
  onValue: (value: T) => void;
  multiline?: boolean;
  disabled?: boolean;
  inputMode?: 'text' | 'decimal';
  placeholder?: string;
  testid?: string;
  class?: string;
}

export function DraftField<T>(props: DraftFieldProps<T>) {
  const [draft, setDraft] = createSignal(props.format(props.value));
  const [error, setError] = createSignal<string | null>(null);

  // Tracks the formatted value, not `props.value` itself: a list (items, tags) comes from a store
  // that reconciles it in place, so another member's change keeps the same array and only
  // formatting it (reading every element) notices.
  createEffect(
    on(
      () => props.format(props.value),
      (formatted) => {
        const parsed = props.parse(draft());
        if (!parsed.ok || !props.equals(parsed.value, props.value)) {
          setDraft(formatted);
          setError(null);
        }
      },
      { defer: true },
    ),
  );

  const onInput = (text: string) => {
    setDraft(text);
    const parsed = props.parse(text);
    if (parsed.ok) {
      setError(null);
      if (!props.equals(parsed.value, props.value)) props.onValue(parsed.value);
    } else {
      setError(parsed.error);
    }
  };

  const onBlur = () => {
    if (props.parse(draft()).ok) setDraft(props.format(props.value));
  };

  // The hint says how to type the value: nothing for someone who can only read it.
  return (
    <Field id={props.id} label={props.label} hint={props.disabled ? undefined : props.hint} error={error()} class={props.class}>
      {props.multiline ? (
        <textarea
          id={props.id}
          data-testid={props.testid}
          disabled={props.disabled}
          placeholder={placeholderFor(props.placeholder, props.disabled)}
          aria-invalid={error() ? true : undefined}
          aria-describedby={describedBy(props.id)}
          rows={3}
          value={draft()}
          onInput={(e) => onInput(e.currentTarget.value)}
          onBlur={onBlur}
        />
      ) : (
        <input
          id={props.id}
          data-testid={props.testid}
          disabled={props.disabled}
          placeholder={placeholderFor(props.placeholder, props.disabled)}
          aria-invalid={error() ? true : undefined}
          aria-describedby={describedBy(props.id)}
          type="text"
          inputMode={props.inputMode ?? 'text'}
          autocomplete="off"
          value={draft()}
          onInput={(e) => onInput(e.currentTarget.value)}
          onBlur={onBlur}
        />
      )}
    </Field>
  );
}
