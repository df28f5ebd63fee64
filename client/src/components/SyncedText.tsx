/**
 * A text input or textarea bound to a live document value. Local typing is written through
 * `onValue` at once; a remote change replaces the text while keeping the user's caret and
 * selection where they were relative to the surrounding text (the edit is located by diffing).
 */
import { createEffect, splitProps, type JSX } from 'solid-js';
import { shiftCaret } from '../lib/shiftCaret.ts';
import { placeholderFor } from './Field.tsx';

type Common = {
  ref?: (el: HTMLInputElement & HTMLTextAreaElement) => void;
  value: string;
  onValue: (next: string) => void;
  multiline?: boolean;
};

export type SyncedTextProps = Common &
  Omit<JSX.InputHTMLAttributes<HTMLInputElement> & JSX.TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onInput' | 'ref'>;

export function SyncedText(props: SyncedTextProps) {
  const [own, rest] = splitProps(props, ['value', 'onValue', 'multiline', 'ref', 'placeholder']);
  const placeholder = () => placeholderFor(own.placeholder, rest.disabled);
  let el!: HTMLInputElement | HTMLTextAreaElement;
  const setRef = (e: HTMLInputElement | HTMLTextAreaElement) => {
    el = e;
    own.ref?.(e as HTMLInputElement & HTMLTextAreaElement);
  };

  createEffect(() => {
    const next = own.value;
    if (el.value === next) return; // our own keystroke coming back from the doc
    if (document.activeElement !== el || el.selectionStart === null) {
      el.value = next;
      return;
    }
    const prev = el.value;
    const start = shiftCaret(prev, next, el.selectionStart);
    const end = shiftCaret(prev, next, el.selectionEnd ?? el.selectionStart);
    el.value = next;
    el.setSelectionRange(start, end);
  });

  const onInput = (event: InputEvent & { currentTarget: HTMLInputElement | HTMLTextAreaElement }) =>
    own.onValue(event.currentTarget.value);

  return own.multiline ? (
    <textarea ref={setRef} {...(rest as JSX.TextareaHTMLAttributes<HTMLTextAreaElement>)} placeholder={placeholder()} onInput={onInput} />
  ) : (
    <input ref={setRef} type="text" {...(rest as JSX.InputHTMLAttributes<HTMLInputElement>)} placeholder={placeholder()} onInput={onInput} />
  );
}
