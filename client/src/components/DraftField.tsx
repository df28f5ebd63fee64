/**
 * A labelled input for a structured card value typed as text (item lists, tags, coordinates).
 * What the user types is kept as a local draft so that half-typed text ("rice, ", "52.") is not
 * normalised away under their fingers; the draft is replaced only when the document's value stops
 * matching it (someone else changed the field) or on blur, when it is tidied up. A field that can
 * `rebase` its draft (a list) takes someone else's change into the text being typed instead, and
 * the caret keeps its place in the text around it either way.
 */
import { createEffect, createSignal, on } from 'solid-js';
import type { Parsed } from '../lib/cardFormat.ts';
import type { Rebased } from '../lib/rebaseListDraft.ts';
import { shiftCaret } from '../lib/shiftCaret.ts';
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
  /** The draft (which reads as `prev`) with the value changed to `next` by someone else; null to replace it. */
  rebase?: (draft: string, prev: T, next: T) => Rebased | null;
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

  let el: HTMLInputElement | HTMLTextAreaElement | undefined;
  // The value the draft was last in step with (parsed anew: a store's list changes in place).
  let shown = props.parse(props.format(props.value));

  // Tracks the formatted value, not `props.value` itself: a list (items, tags) comes from a store
  // that reconciles it in place, so another member's change keeps the same array and only
  // formatting it (reading every element) notices.
  createEffect(
    on(
      () => props.format(props.value),
      (formatted) => {
        const prev = shown;
        shown = props.parse(formatted);
        const text = draft();
        const parsed = props.parse(text);
        if (parsed.ok && props.equals(parsed.value, props.value)) return;
        const focused = !!el && document.activeElement === el && el.selectionStart !== null;
        const rebased = focused && prev.ok && shown.ok ? (props.rebase?.(text, prev.value, shown.value) ?? null) : null;
        const next = rebased?.text ?? formatted;
        const place = (pos: number) => (rebased ? rebased.map(pos) : shiftCaret(text, next, pos));
        setDraft(next);
        setError(null);
        if (focused && el) {
          const [start, end] = [place(el.selectionStart!), place(el.selectionEnd ?? el.selectionStart!)];
          // Set here, before the binding does (with the same text, which then moves nothing).
          el.value = next;
          el.setSelectionRange(start, end);
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
          ref={(e) => (el = e)}
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
          ref={(e) => (el = e)}
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
