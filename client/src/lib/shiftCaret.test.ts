import { describe, expect, it } from 'vitest';
import { shiftCaret } from './shiftCaret.ts';

describe('shiftCaret', () => {
  it('keeps a caret before the change where it is', () => {
    expect(shiftCaret('Hello world', 'Hello world!', 5)).toBe(5);
  });
  it('moves a caret after the change by the length difference', () => {
    expect(shiftCaret('Hello world', 'Note: Hello world', 5)).toBe(11);
    expect(shiftCaret('Note: Hello world', 'Hello world', 11)).toBe(5);
  });
  it('puts a caret inside a replaced span after the new text', () => {
    expect(shiftCaret('abcdef', 'abXYZef', 3)).toBe(5);
  });
});
