/**
 * Short messages shown over every page (components/Toasts.tsx): booking outcomes decided while the
 * user looked elsewhere, most importantly an offline claim that lost. Success messages fade after a
 * while; a lost race or an error stays until dismissed, so nobody misses that they do not have a
 * card they thought they had.
 */
import { createContext, createSignal, onCleanup, useContext, type Accessor } from 'solid-js';

export type ToastTone = 'won' | 'lost' | 'error' | 'info';

export interface Toast {
  id: number;
  tone: ToastTone;
  text: string;
  /** data-testid of the toast element. */
  testid: string;
}

export interface Toasts {
  list: Accessor<Toast[]>;
  show(toast: { tone: ToastTone; text: string; testid?: string; timeoutMs?: number | null }): number;
  dismiss(id: number): void;
  /** Removes every toast (sign-out: the next person must not read the last one's messages). */
  clear(): void;
}

/** The toast list; timers are cleared with the owner. */
export function createToasts(): Toasts {
  const [list, setList] = createSignal<Toast[]>([]);
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let next = 1;

  const dismiss = (id: number) => setList((l) => l.filter((t) => t.id !== id));

  onCleanup(() => timers.forEach(clearTimeout));

  return {
    list,
    dismiss,
    clear() {
      timers.forEach(clearTimeout);
      timers.clear();
      setList([]);
    },
    show({ tone, text, testid = 'toast', timeoutMs }) {
      const id = next++;
      // Identical text already showing (a replay answered twice): keep one.
      setList((l) => [...l.filter((t) => t.text !== text), { id, tone, text, testid }].slice(-4));
      const ms = timeoutMs === undefined ? (tone === 'won' || tone === 'info' ? 8000 : null) : timeoutMs;
      if (ms) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          dismiss(id);
        }, ms);
        timers.add(timer);
      }
      return id;
    },
  };
}

export const ToastContext = createContext<Toasts>();

/** The toasts provided by an enclosing `<ToastContext.Provider>`. */
export function useToasts(): Toasts {
  const toasts = useContext(ToastContext);
  if (!toasts) throw new Error('useToasts() needs a <ToastContext.Provider> above it');
  return toasts;
}
