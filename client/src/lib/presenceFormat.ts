/**
 * Pure rules for presence (who is on the board, who has which card open): awareness states read
 * defensively (they come from other clients; only their `user` is the server's, set to the
 * sender's own: server/src/sync/presenceIdentity.ts), grouped per user (one person may have two tabs),
 * initials and a stable colour per user. No DOM, no Yjs: unit-tested in presenceFormat.test.ts.
 */

/** A driver's shared position (opt-in, awareness only, never stored). */
export interface SharedPosition {
  lat: number;
  lng: number;
  /** When the device measured it (ms). */
  at: number;
}

/** What one client publishes in its awareness state. */
export interface PresenceState {
  user: { id: string; name: string; role?: string };
  /** The card open in this client's editor, or null. */
  viewing: string | null;
  /** The card this client is typing in (focus inside the editor), or null. */
  editing: string | null;
  position: SharedPosition | null;
}

/** One person on the board now, all their tabs merged. */
export interface PresentUser {
  id: string;
  name: string;
  role: string | null;
  initials: string;
  color: string;
  /** Cards open in any of their tabs. */
  viewing: string[];
  /** Cards they are editing in any of their tabs. */
  editing: string[];
  position: SharedPosition | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 && v.length <= 200 ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** One client's awareness state, or null when it carries no usable user. */
export function readPresence(raw: unknown): PresenceState | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  const u = r.user as Record<string, unknown> | undefined;
  const id = str(u?.id);
  if (!id) return null;
  const p = r.position as Record<string, unknown> | null | undefined;
  const lat = num(p?.lat);
  const lng = num(p?.lng);
  const position = lat !== null && lng !== null && Math.abs(lat) <= 90 && Math.abs(lng) <= 180 ? { lat, lng, at: num(p?.at) ?? 0 } : null;
  return {
    user: { id, name: str(u?.name) ?? 'Someone', role: str(u?.role) ?? undefined },
    viewing: str(r.viewing),
    editing: str(r.editing),
    position,
  };
}

/** "Amira Haddad" → "AH", "sam" → "S", "" → "?". */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '?';
  const first = [...parts[0]][0] ?? '';
  const last = parts.length > 1 ? ([...parts[parts.length - 1]][0] ?? '') : '';
  return (first + last).toUpperCase();
}

/** Avatar colours: all give white text at least 4.5:1. */
export const AVATAR_COLORS = ['#0f6b63', '#1d4f91', '#7a3e9d', '#a4161a', '#8a4b00', '#2f6b1f', '#6b4f00', '#00607a'] as const;

/** A colour that stays the same for a user across sessions and devices. */
export function colorFor(userId: string): string {
  let h = 2166136261;
  for (let i = 0; i < userId.length; i++) h = Math.imul(h ^ userId.charCodeAt(i), 16777619);
  return AVATAR_COLORS[(h >>> 0) % AVATAR_COLORS.length];
}

/**
 * Everyone present except `meId`, one entry per user (tabs merged), sorted by name. `states` is
 * awareness' `getStates()`: client id → raw state.
 */
export function presentUsers(states: Iterable<[number, unknown]>, meId: string | null): PresentUser[] {
  const byUser = new Map<string, PresentUser>();
  for (const [, raw] of states) {
    const s = readPresence(raw);
    if (!s || s.user.id === meId) continue;
    let u = byUser.get(s.user.id);
    if (!u) {
      u = { id: s.user.id, name: s.user.name, role: s.user.role ?? null, initials: initials(s.user.name), color: colorFor(s.user.id), viewing: [], editing: [], position: null };
      byUser.set(s.user.id, u);
    }
    if (s.viewing && !u.viewing.includes(s.viewing)) u.viewing.push(s.viewing);
    if (s.editing && !u.editing.includes(s.editing)) u.editing.push(s.editing);
    if (s.position && (!u.position || s.position.at > u.position.at)) u.position = s.position;
  }
  return [...byUser.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** Who has each card open: card id → users (editing ones first). */
export function usersByCard(users: readonly PresentUser[]): Map<string, PresentUser[]> {
  const out = new Map<string, PresentUser[]>();
  for (const u of users) {
    for (const cardId of new Set([...u.editing, ...u.viewing])) {
      const list = out.get(cardId) ?? [];
      list.push(u);
      out.set(cardId, list);
    }
  }
  for (const [cardId, list] of out) list.sort((a, b) => Number(b.editing.includes(cardId)) - Number(a.editing.includes(cardId)));
  return out;
}

/** "Sam Okafor", "Sam Okafor and Lena Fischer", "A, B and C". */
function nameList(users: readonly PresentUser[]): string {
  const names = users.map((u) => u.name);
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * "Sam Okafor is editing this card", "Sam Okafor and Lena Fischer are looking at this card",
 * "Lena Fischer is editing this card and Amira Haddad is looking at it". Each person is described
 * by what they themselves do: one editor does not make everyone who has the card open an editor.
 */
export function presenceSentence(users: readonly PresentUser[], cardId: string): string {
  const editors = users.filter((u) => u.editing.includes(cardId));
  const viewers = users.filter((u) => !u.editing.includes(cardId));
  const clause = (group: readonly PresentUser[], doing: string, what: string) => `${nameList(group)} ${group.length === 1 ? 'is' : 'are'} ${doing} ${what}`;
  if (editors.length === 0) return viewers.length === 0 ? '' : clause(viewers, 'looking at', 'this card');
  const editing = clause(editors, 'editing', 'this card');
  return viewers.length === 0 ? editing : `${editing} and ${clause(viewers, 'looking at', 'it')}`;
}
