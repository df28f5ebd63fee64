/** A button for a destructive action that asks "are you sure?" inline before acting. */
import { createSignal, Show } from 'solid-js';
import { createFocusReturn, focusOnMount } from '../lib/focusOnMount.ts';

export interface ConfirmButtonProps {
  label: string;
  question: string;
  confirmLabel: string;
  onConfirm: () => Promise<void> | void;
  testid?: string;
  disabled?: boolean;
}

export function ConfirmButton(props: ConfirmButtonProps) {
  const [asking, setAsking] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const back = createFocusReturn();

  const confirm = async () => {
    setBusy(true);
    try {
      await props.onConfirm();
    } finally {
      setBusy(false);
      setAsking(false);
    }
  };

  return (
    <Show
      when={asking()}
      fallback={
        <button
          type="button"
          class="btn btn-small btn-danger-outline"
          data-testid={props.testid}
          ref={back.ref}
          disabled={props.disabled}
          onClick={() => setAsking(true)}
        >
          {props.label}
        </button>
      }
    >
      <span class="confirm-inline" role="group" aria-label={props.question}>
        <span class="confirm-question">{props.question}</span>
        <button
          type="button"
          class="btn btn-small btn-danger"
          data-testid={props.testid ? `${props.testid}-confirm` : undefined}
          ref={focusOnMount}
          disabled={busy()}
          onClick={confirm}
        >
          {props.confirmLabel}
        </button>
        <button type="button" class="btn btn-small" disabled={busy()} onClick={() => back.keep(() => setAsking(false))}>
          Cancel
        </button>
      </span>
    </Show>
  );
}
