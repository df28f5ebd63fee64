/**
 * The toast stack (lib/createToasts.ts), bottom of the screen, above the phone editor sheet. Lost
 * races and errors are announced assertively and stay until dismissed; successes politely.
 */
import { For } from 'solid-js';
import { useToasts } from '../lib/createToasts.ts';

const ICONS = { won: '✓', lost: '!', error: '!', info: 'i' } as const;

export function Toasts() {
  const toasts = useToasts();
  return (
    <div class="toasts" aria-live="polite">
      <For each={toasts.list()}>
        {(toast) => (
          <div
            class={`toast toast-${toast.tone}`}
            role={toast.tone === 'lost' || toast.tone === 'error' ? 'alert' : 'status'}
            data-testid={toast.testid}
            data-tone={toast.tone}
          >
            <span class="toast-icon" aria-hidden="true">
              {ICONS[toast.tone]}
            </span>
            <p class="toast-text">{toast.text}</p>
            <button type="button" class="btn btn-ghost btn-small toast-close" aria-label="Dismiss" onClick={() => toasts.dismiss(toast.id)}>
              ✕
            </button>
          </div>
        )}
      </For>
    </div>
  );
}
