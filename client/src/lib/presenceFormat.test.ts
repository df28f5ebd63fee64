import { describe, expect, it } from 'vitest';
import { AVATAR_COLORS, colorFor, initials, presenceSentence, presentUsers, readPresence, usersByCard } from './presenceFormat.ts';

const state = (id: string, name: string, extra: Record<string, unknown> = {}) => ({ user: { id, name }, viewing: null, editing: null, ...extra });

describe('readPresence', () => {
  it('rejects states without a user and drops bad positions', () => {
    expect(readPresence(null)).toBeNull();
    expect(readPresence({ user: { name: 'x' } })).toBeNull();
    expect(readPresence(state('u1', 'A', { position: { lat: 200, lng: 0 } }))?.position).toBeNull();
    expect(readPresence(state('u1', 'A', { position: { lat: 51.5, lng: -0.1, at: 5 } }))?.position).toEqual({ lat: 51.5, lng: -0.1, at: 5 });
  });
});

describe('initials and colours', () => {
  it('takes first and last initials', () => {
    expect(initials('Amira Haddad')).toBe('AH');
    expect(initials('  sam ')).toBe('S');
    expect(initials('Mary Jane Watson')).toBe('MW');
    expect(initials('')).toBe('?');
  });
  it('gives a user the same colour every time', () => {
    expect(colorFor('user-1')).toBe(colorFor('user-1'));
    expect(AVATAR_COLORS).toContain(colorFor('anything'));
  });
});

describe('presentUsers', () => {
  it('merges a user’s tabs, leaves me out, sorts by name', () => {
    const users = presentUsers(
      [
        [1, state('me', 'Me')],
        [2, state('s', 'Sam Okafor', { viewing: 'c1' })],
        [3, state('s', 'Sam Okafor', { viewing: 'c2', editing: 'c2' })],
        [4, state('a', 'Amira Haddad')],
        [5, { nothing: true }],
      ],
      'me',
    );
    expect(users.map((u) => u.name)).toEqual(['Amira Haddad', 'Sam Okafor']);
    expect(users[1]).toMatchObject({ viewing: ['c1', 'c2'], editing: ['c2'], initials: 'SO' });
  });
});

describe('usersByCard and presenceSentence', () => {
  it('lists editors first and says what they do', () => {
    const users = presentUsers(
      [
        [1, state('l', 'Lena Fischer', { viewing: 'c1' })],
        [2, state('s', 'Sam Okafor', { viewing: 'c1', editing: 'c1' })],
      ],
      null,
    );
    const c1 = usersByCard(users).get('c1')!;
    expect(c1.map((u) => u.name)).toEqual(['Sam Okafor', 'Lena Fischer']);
    // Sam types in the card, Lena only has it open: she is looking, not editing.
    expect(presenceSentence(c1, 'c1')).toBe('Sam Okafor is editing this card and Lena Fischer is looking at it');
    expect(presenceSentence([users[0]], 'c1')).toBe('Lena Fischer is looking at this card');
    expect(presenceSentence([users[1]], 'c1')).toBe('Sam Okafor is editing this card');
    expect(presenceSentence([], 'c1')).toBe('');
  });
  it('groups several editors and several viewers, each by what they do', () => {
    const users = presentUsers(
      [
        [1, state('l', 'Lena Fischer', { viewing: 'c1', editing: 'c1' })],
        [2, state('a', 'Amira Haddad', { viewing: 'c1' })],
        [3, state('s', 'Sam Okafor', { viewing: 'c1', editing: 'c1' })],
        [4, state('r', 'Rita Mendes', { viewing: 'c1' })],
        [5, state('v', 'Vic Lee', { viewing: 'c1' })],
        // Editing another card in another tab does not make her an editor of c1.
        [6, state('a', 'Amira Haddad', { viewing: 'c2', editing: 'c2' })],
      ],
      null,
    );
    const c1 = usersByCard(users).get('c1')!;
    expect(presenceSentence(c1, 'c1')).toBe('Lena Fischer and Sam Okafor are editing this card and Amira Haddad, Rita Mendes and Vic Lee are looking at it');
    expect(presenceSentence(c1.filter((u) => u.id !== 'l' && u.id !== 's'), 'c1')).toBe('Amira Haddad, Rita Mendes and Vic Lee are looking at this card');
  });
});
