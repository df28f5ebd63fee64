/** A read-only text (an invite link) with a Copy button; falls back to selecting the text where the clipboard API is unavailable (plain http). */
import { createSignal } from 'solid-js';

export function CopyField(props: { id: string; label: string; value: string; testid?: string }) {
  const [copied, setCopied] = createSignal<'idle' | 'copied' | 'manual'>('idle');
  let input!: HTMLInputElement;

  const copy = async () => {
    input.select();
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(props.value);
      setCopied('copied');
    } catch {
      // The text stays selected so the user can copy it by hand.
      setCopied(document.execCommand?.('copy') ? 'copied' : 'manual');
    }
    setTimeout(() => setCopied('idle'), 4000);
  };

  return (
    <div class="copy-field">
      <label for={props.id} class="field-label">
        {props.label}
      </label>
      <div class="copy-row">
        <input ref={input} id={props.id} type="text" readOnly value={props.value} data-testid={props.testid} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" class="btn" data-testid={props.testid ? `${props.testid}-copy` : undefined} onClick={copy}>
          {copied() === 'copied' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p class="field-hint" role="status">
        {copied() === 'copied' ? 'Link copied to the clipboard.' : copied() === 'manual' ? 'Press Ctrl+C (or ⌘C) to copy the selected link.' : ''}
      </p>
    </div>
  );
}
