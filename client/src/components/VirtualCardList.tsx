/**
 * A windowed list for thousands of cards: only the rows in (or near) the viewport are in the DOM,
 * absolutely placed inside a list as tall as all rows together, so the page scrolls as if every
 * card were there. Rows have one height (CardItem's layout never wraps), measured from a rendered
 * row, so a row's place is `index × pitch` with no per-row bookkeeping.
 *
 * Keyboard: Tab reaches the rows that are rendered; ↑/↓, Page Up/Down, Home and End move between
 * cards through the whole list (scrolling the target in first). Each row carries aria-posinset /
 * aria-setsize so screen readers announce "card 12 of 5,000".
 */
import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount, type JSX } from 'solid-js';

export interface VirtualListApi {
  /** Scrolls the row into view and focuses its link. */
  focusIndex(index: number): void;
}

export interface VirtualCardListProps<T> {
  items: readonly T[];
  /** Renders one row's content (a focusable `.card-item` link). */
  children: (item: T, index: () => number) => JSX.Element;
  /** aria-label of the list. */
  label: string;
  /** Extra rows rendered above and below the viewport. */
  overscan?: number;
  ref?: (api: VirtualListApi) => void;
  testid?: string;
}

/** Space between rows (px), the same as the non-virtual `.card-list` gap. */
const GAP = 10;
/** Height of the sticky app header (AppHeader publishes it): rows scrolled to are placed below it. */
const headerOffset = () => (parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--header-h')) || 56) + 16;

export function VirtualCardList<T>(props: VirtualCardListProps<T>) {
  let list!: HTMLUListElement;
  const [rowHeight, setRowHeight] = createSignal(92);
  const [range, setRange] = createSignal({ start: 0, end: 20 });
  const pitch = () => rowHeight() + GAP;
  const overscan = () => props.overscan ?? 6;

  const measure = () => {
    if (!list) return;
    const top = list.getBoundingClientRect().top;
    const p = pitch();
    const n = props.items.length;
    const start = Math.max(0, Math.floor(-top / p) - overscan());
    const end = Math.min(n, Math.ceil((window.innerHeight - top) / p) + overscan());
    const cur = range();
    if (cur.start !== start || cur.end !== end) setRange({ start, end: Math.max(start, end) });
  };

  // Scroll and resize events come faster than frames: recompute at most once per frame.
  let frame = 0;
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(() => ((frame = 0), measure()));
  };
  // The list also moves without a scroll when something above it changes height (the filters
  // folding away on a phone, a banner): the page's height changes then, so watch that too.
  // Otherwise the window stays where it was until the next scroll: the overscan hides a small
  // shift, a shift taller than it leaves rows blank (and the browser tests see rows missing).
  const layout = new ResizeObserver(schedule);
  onMount(() => {
    window.addEventListener('scroll', schedule, { passive: true });
    window.addEventListener('resize', schedule);
    layout.observe(document.body);
    measure();
  });
  onCleanup(() => {
    window.removeEventListener('scroll', schedule);
    window.removeEventListener('resize', schedule);
    cancelAnimationFrame(frame);
    observer.disconnect();
    layout.disconnect();
  });
  // The list grew, shrank or was re-filtered: the window may have moved.
  createEffect(() => {
    void props.items.length;
    void rowHeight();
    measure();
  });

  // One row's height sets every row's: watch a rendered row (font size and width changes resize
  // it), and pick another once that one has scrolled out of the window.
  const observer = new ResizeObserver((entries) => {
    const h = Math.round(entries[0]?.borderBoxSize?.[0]?.blockSize ?? entries[0]?.contentRect.height ?? 0);
    if (h > 0 && h !== rowHeight()) setRowHeight(h);
  });
  let observed: Element | null = null;
  const watchRow = () => {
    if (observed?.isConnected) return;
    if (observed) observer.unobserve(observed);
    observed = list?.querySelector('li') ?? null;
    if (observed) observer.observe(observed);
  };

  const visible = createMemo(() => {
    const { start, end } = range();
    return props.items.slice(start, Math.min(end, props.items.length));
  });
  // Effects run after the rows are in the DOM.
  createEffect(on(visible, watchRow));

  const focusIndex = (index: number) => {
    const n = props.items.length;
    if (n === 0) return;
    const i = Math.max(0, Math.min(n - 1, index));
    const listTop = list.getBoundingClientRect().top + window.scrollY;
    const rowTop = listTop + i * pitch();
    if (rowTop < window.scrollY + headerOffset() || rowTop + rowHeight() > window.scrollY + window.innerHeight) {
      window.scrollTo({ top: Math.max(0, rowTop - headerOffset() - GAP) });
    }
    measure(); // render the target row now, not on the next scroll frame
    list.querySelector<HTMLElement>(`li[data-index="${i}"] .card-item`)?.focus({ preventScroll: true });
  };
  props.ref?.({ focusIndex });

  const onKeyDown = (event: KeyboardEvent) => {
    const row = (event.target as HTMLElement).closest<HTMLElement>('li[data-index]');
    if (!row || event.altKey || event.ctrlKey || event.metaKey) return;
    const i = Number(row.dataset.index);
    const page = Math.max(1, Math.floor(window.innerHeight / pitch()) - 1);
    const to: Record<string, number> = { ArrowDown: i + 1, ArrowUp: i - 1, PageDown: i + page, PageUp: i - page, Home: 0, End: props.items.length - 1 };
    if (!(event.key in to)) return;
    event.preventDefault();
    focusIndex(to[event.key]);
  };

  return (
    <ul
      ref={list}
      class="card-list card-list-virtual"
      data-testid={props.testid ?? 'card-list'}
      aria-label={props.label}
      style={{ height: `${Math.max(0, props.items.length * pitch() - GAP)}px` }}
      onKeyDown={onKeyDown}
    >
      <For each={visible()}>
        {(item, i) => {
          const index = () => range().start + i();
          return (
            <li
              data-index={index()}
              aria-posinset={index() + 1}
              aria-setsize={props.items.length}
              style={{ transform: `translateY(${index() * pitch()}px)` }}
            >
              {props.children(item, index)}
            </li>
          );
        }}
      </For>
    </ul>
  );
}
