/** A form-level error (usually the server's `error.message`), announced to screen readers. */
import { Show } from 'solid-js';

export function FormError(props: { message: string | null | undefined; testid?: string }) {
  return (
    <Show when={props.message}>
      <p class="form-error" role="alert" data-testid={props.testid ?? 'form-error'}>
        {props.message}
      </p>
    </Show>
  );
}
