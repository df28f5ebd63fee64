/**
 * A labelled form control: `<label for>`, the control (children), an optional hint and an error.
 * The control should set `aria-describedby={describedBy(id)}` so both are read out with it.
 */
import { Show, type JSX } from 'solid-js';

export interface FieldProps {
  id: string;
  label: string;
  hint?: JSX.Element;
  error?: string | null;
  class?: string;
  children: JSX.Element;
}

/**
 * A control's placeholder: its example while it can be typed in, "Not set" while it is read-only,
 * where an example would read as the value ("e.g. 4B Elm Court" as a card's drop-off).
 */
export function placeholderFor(example: string | undefined, disabled: boolean | undefined): string | undefined {
  return disabled ? 'Not set' : example;
}

/** The id list for `aria-describedby` of the control inside `<Field id={id}>`. */
export function describedBy(id: string): string {
  return `${id}-hint ${id}-error`;
}

export function Field(props: FieldProps) {
  return (
    <div class={`field ${props.class ?? ''}`} classList={{ 'has-error': !!props.error }}>
      <label class="field-label" for={props.id}>
        {props.label}
      </label>
      {props.children}
      <Show when={props.hint}>
        <p class="field-hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      </Show>
      <p class="field-error" id={`${props.id}-error`} data-testid={`${props.id}-error`} role="status" aria-live="polite">
        {props.error ?? ''}
      </p>
    </div>
  );
}
