/**
 * A `ref` that focuses the element once it is in the document. For controls that replace the one
 * a keyboard user just pressed (an inline "are you sure?"): without it the focus falls back to
 * the page and the next Tab starts from the top.
 */
export function focusOnMount(el: HTMLElement): void {
  // The ref runs before the element is attached; focus() on a detached element does nothing.
  queueMicrotask(() => el.focus());
}
