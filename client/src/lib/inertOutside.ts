/**
 * Makes the page outside `el` inert (no focus, no clicks, hidden from screen readers), as a modal
 * dialog's backdrop is: every sibling of `el` and of each of its ancestors up to <body>. Siblings
 * that `keep` accepts stay live: the toasts' live regions, which an inert ancestor would silence.
 * Returns the undo, which clears only what this call set.
 */
export function inertOutside(el: HTMLElement, keep: (sibling: HTMLElement) => boolean = () => false): () => void {
  const made: HTMLElement[] = [];
  for (let node: HTMLElement = el; node.parentElement && node !== document.body; node = node.parentElement) {
    for (const sibling of node.parentElement.children) {
      if (sibling === node || !(sibling instanceof HTMLElement) || sibling.inert || keep(sibling)) continue;
      sibling.inert = true;
      made.push(sibling);
    }
  }
  return () => {
    for (const sibling of made) sibling.inert = false;
  };
}
