/**
 * A `ref` that focuses the element once it is in the document. For controls that replace the one
 * a keyboard user just pressed (an inline "are you sure?"): without it the focus falls back to
 * the page and the next Tab starts from the top.
 */
export function focusOnMount(el: HTMLElement): void {
  // The ref runs before the element is attached; focus() on a detached element does nothing.
  queueMicrotask(() => el.focus());
}

/**
 * For the button an inline "are you sure?" replaced: `keep()` closes the question and marks the
 * button, which takes the focus back when it is rendered again (`ref`), so "Keep it" / "Cancel"
 * returns the keyboard user to where they were.
 */
export function createFocusReturn(): { keep: (close: () => void) => void; ref: (el: HTMLElement) => void } {
  let pending = false;
  return {
    keep(close) {
      pending = true;
      close();
    },
    ref(el) {
      if (!pending) return;
      pending = false;
      focusOnMount(el);
    },
  };
}
