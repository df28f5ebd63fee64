import { describe, expect, it } from 'vitest';
import { parseList } from './cardFormat.ts';
import { listSpans, rebaseListDraft } from './rebaseListDraft.ts';

/** `text` with `|` marking the caret: the rebased text with the caret marked the same way. */
function rebase(marked: string, next: string[], separator = '\n'): string | null {
  const caret = marked.indexOf('|');
  const text = marked.replace('|', '');
  const r = rebaseListDraft(text, parseList(text), next, separator);
  if (!r) return null;
  const at = r.map(caret);
  return `${r.text.slice(0, at)}|${r.text.slice(at)}`;
}

describe('listSpans', () => {
  it('finds the entries parseList reads, with where each sits', () => {
    const text = ' rice ,\n\n oat milk,, ';
    expect(listSpans(text).map((s) => s.value)).toEqual(parseList(text));
    expect(listSpans(text).map((s) => text.slice(s.start, s.end))).toEqual(['rice', 'oat milk']);
  });
});

describe('rebaseListDraft', () => {
  it('an entry added elsewhere appears in place; the caret stays in the word being typed', () => {
    expect(rebase('rice\nbread (who|lemeal)', ['rice', 'bread (wholemeal)', 'dates'])).toBe('rice\nbread (who|lemeal)\ndates');
    expect(rebase('rice\nbread (who|lemeal)', ['dates', 'rice', 'bread (wholemeal)'])).toBe('dates\nrice\nbread (who|lemeal)');
  });

  it('a separator just typed stays where the next entry will go, after entries others added', () => {
    expect(rebase('rice\nbread\n|', ['brown rice', 'bread'])).toBe('brown rice\nbread\n|');
    expect(rebase('dry, |', ['dry', 'urgent'], ', ')).toBe('dry, urgent, |');
    expect(rebase('rice\n|', ['rice', 'eggs'])).toBe('rice\neggs\n|');
  });

  it("keeps the user's own separators, also around an entry someone else changed", () => {
    expect(rebase('rice, milk|', ['rice', 'oat milk'])).toBe('rice, oat milk|');
    expect(rebase('|rice,  milk, tea', ['rice', 'milk', 'green tea'])).toBe('|rice,  milk, green tea');
    expect(rebase('rice,  milk, tea|', ['rice', 'tea'])).toBe('rice, tea|');
  });

  it('a caret in an entry someone removed goes to where the text goes on', () => {
    expect(rebase('rice\nmi|lk\ntea', ['rice', 'tea'])).toBe('rice|\ntea');
    expect(rebase('mi|lk\ntea', ['tea'])).toBe('|tea');
    expect(rebase('mi|lk', [])).toBe('|');
  });

  it('fills an empty draft, and gives up on a draft that does not read as the list', () => {
    expect(rebase('|', ['eggs', 'milk'])).toBe('eggs\nmilk|');
    const text = 'food, Food';
    expect(rebaseListDraft(text, ['food'], ['food', 'cold'], ', ')).toBeNull();
  });
});
