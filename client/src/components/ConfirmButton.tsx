/** A button for an action hard to undo that asks "are you sure?" inline before acting. */
import { createSignal, Show } from 'solid-js';
import { createFocusReturn, focusOnMount } from '../lib/focusOnMount.ts';

export interface ConfirmButtonProps {
  label: string;
  /**
   * The first button's accessible name when `label` alone does not say what it acts on (several
   * "Delete" buttons in one list). Starts with `label`, so voice control users can say what they see.
   */
  ariaLabel?: string;
  question: string;
  confirmLabel: string;
  onConfirm: () => Promise<void> | void;
  testid?: string;
  disabled?: boolean;
  /** Shown on the confirm button while onConfirm runs (default: confirmLabel). */
  busyLabel?: string;
  /** The button that backs out (default "Cancel"). */
  keepLabel?: string;
  /** Full-size buttons (default: small ones, for lists). */
  large?: boolean;
  /** Not destructive, only hard to undo (release a delivery): neutral colours. */
  neutral?: boolean;
}

export function ConfirmButton(props: ConfirmButtonProps) {
  const [asking, setAsking] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const back = createFocusReturn();
  const size = () => (props.large ? '' : ' btn-small');

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
          class={`btn${size()}${props.neutral ? '' : ' btn-danger-outline'}`}
          data-testid={props.testid}
          aria-label={props.ariaLabel}
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
          class={`btn${size()} ${props.neutral ? 'btn-primary' : 'btn-danger'}`}
          data-testid={props.testid ? `${props.testid}-confirm` : undefined}
          ref={focusOnMount}
          disabled={busy()}
          onClick={confirm}
        >
          {busy() && props.busyLabel ? props.busyLabel : props.confirmLabel}
        </button>
        <button type="button" class={`btn${size()}`} disabled={busy()} onClick={() => back.keep(() => setAsking(false))}>
          {props.keepLabel ?? 'Cancel'}
        </button>
      </span>
    </Show>
  );
}
