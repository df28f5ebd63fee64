/**
 * The card's time window, "From" and "Until". What the user picks is a draft until the pair makes
 * sense: a window that ends before it starts is never written to the board (every member's list
 * would show it), it stays in the form with the message until one end is fixed, and then both ends
 * are written together. When the document's window changes (someone else edited it), the form
 * shows theirs. A valid but very long window (a mistyped year) is written, with a warning under it.
 */
import { createEffect, createSignal, on } from 'solid-js';
import { windowProblem, windowWarning } from '../lib/cardFormat.ts';
import { describedBy, Field } from './Field.tsx';

export interface TimeWindowFieldsProps {
  start: string | null;
  end: string | null;
  /** Called with a valid window only. */
  onChange: (start: string | null, end: string | null) => void;
  disabled?: boolean;
}

export function TimeWindowFields(props: TimeWindowFieldsProps) {
  const [start, setStart] = createSignal(props.start ?? '');
  const [end, setEnd] = createSignal(props.end ?? '');
  createEffect(
    on(
      [() => props.start, () => props.end],
      ([s, e]) => {
        setStart(s ?? '');
        setEnd(e ?? '');
      },
      { defer: true },
    ),
  );
  const problem = () => windowProblem(start() || null, end() || null);
  const warning = () => {
    const text = problem() ? null : windowWarning(start() || null, end() || null);
    return text ? (
      <span class="field-warning" data-testid="window-warning">
        {text}
      </span>
    ) : undefined;
  };

  const edit = (which: 'start' | 'end', value: string) => {
    (which === 'start' ? setStart : setEnd)(value);
    if (!problem()) props.onChange(start() || null, end() || null);
  };

  return (
    <fieldset>
      <legend>Time window</legend>
      <div class="field-row field-row-wide">
        <Field id="card-window-start" label="From">
          <input
            id="card-window-start"
            data-testid="window-start-input"
            type="datetime-local"
            value={start()}
            disabled={props.disabled}
            aria-describedby={describedBy('card-window-start')}
            onInput={(e) => edit('start', e.currentTarget.value)}
          />
        </Field>
        <Field id="card-window-end" label="Until" error={problem()} hint={warning()}>
          <input
            id="card-window-end"
            data-testid="window-end-input"
            type="datetime-local"
            value={end()}
            min={start() || undefined}
            disabled={props.disabled}
            aria-invalid={problem() ? true : undefined}
            aria-describedby={describedBy('card-window-end')}
            onInput={(e) => edit('end', e.currentTarget.value)}
          />
        </Field>
      </div>
    </fieldset>
  );
}
