import { describe, expect, it, vi } from 'vitest';

// Node resolves solid-js to its server build, where signals do not propagate: use the browser build.
// @ts-expect-error the file has no type declarations of its own (same API as 'solid-js')
vi.mock('solid-js', () => import('solid-js/dist/solid.js'));

import { createRoot } from 'solid-js';
import { createToasts } from './createToasts.ts';

describe('createToasts', () => {
  it('keeps one of identical texts, the last four, and fades successes but not lost races', () => {
    vi.useFakeTimers();
    createRoot((dispose) => {
      const toasts = createToasts();
      toasts.show({ tone: 'won', text: 'You claimed A' });
      toasts.show({ tone: 'won', text: 'You claimed A' });
      toasts.show({ tone: 'lost', text: 'Sam claimed B first' });
      expect(toasts.list().map((t) => t.text)).toEqual(['You claimed A', 'Sam claimed B first']);
      vi.advanceTimersByTime(8000);
      expect(toasts.list().map((t) => t.text)).toEqual(['Sam claimed B first']);
      for (const x of ['1', '2', '3', '4']) toasts.show({ tone: 'error', text: x });
      expect(toasts.list().map((t) => t.text)).toEqual(['1', '2', '3', '4']);
      dispose();
    });
    vi.useRealTimers();
  });

  it('clear() removes every toast and its timer (sign-out: the next person sees none)', () => {
    vi.useFakeTimers();
    createRoot((dispose) => {
      const toasts = createToasts();
      toasts.show({ tone: 'info', text: 'Your card was picked up' });
      toasts.show({ tone: 'lost', text: 'Sam claimed B first' });
      toasts.clear();
      expect(toasts.list()).toEqual([]);
      expect(vi.getTimerCount()).toBe(0);
      dispose();
    });
    vi.useRealTimers();
  });
});
