/**
 * Presence on one board through the board provider's awareness (y-protocols): who is here, which
 * card each has open (`viewing`) or is typing in (`editing`), and drivers' positions when they
 * chose to share them. Nothing of it is stored: awareness lives as long as the connection. The
 * rules are pure (presenceFormat.ts); this module only publishes our state and listens.
 */
import { createMemo, createSignal, onCleanup, type Accessor } from 'solid-js';
import type { Awareness } from 'y-protocols/awareness';
import { presentUsers, usersByCard, type PresentUser, type SharedPosition } from './presenceFormat.ts';

export interface Presence {
  /** Everyone else on the board now (one entry per person). */
  users: Accessor<PresentUser[]>;
  /** Card id → people who have it open, editors first. */
  byCard: Accessor<Map<string, PresentUser[]>>;
  /** The card open in this tab's editor. */
  setViewing(cardId: string | null): void;
  /** The card this tab is typing in (focus inside the editor). */
  setEditing(cardId: string | null): void;
  /** This device's position, or null to stop sharing it. */
  setPosition(position: SharedPosition | null): void;
}

/**
 * Publishes `me` on the awareness and tracks the others; listeners are removed with the owner.
 * While `connected()` is false nobody else is shown: the states last received say who was here,
 * not who is (a socket can take half a minute to notice the network went, and keeps them till then).
 */
export function createPresence(
  awareness: Awareness,
  me: { id: string; name: string; role?: string } | null,
  connected: Accessor<boolean>,
): Presence {
  const local = (field: string, value: unknown) => {
    if (awareness.getLocalState()?.[field] !== value) awareness.setLocalStateField(field, value);
  };
  if (me) awareness.setLocalStateField('user', { id: me.id, name: me.name, ...(me.role ? { role: me.role } : {}) });
  local('viewing', null);
  local('editing', null);

  const [states, setStates] = createSignal<[number, unknown][]>([]);
  const read = () => setStates([...awareness.getStates().entries()].filter(([id]) => id !== awareness.clientID));
  read();
  // `change` fires only when a state really changed (not for the periodic keep-alive renewals).
  awareness.on('change', read);
  onCleanup(() => awareness.off('change', read));

  const users = createMemo(() => (connected() ? presentUsers(states(), me?.id ?? null) : []));
  const byCard = createMemo(() => usersByCard(users()));

  return {
    users,
    byCard,
    setViewing: (cardId) => local('viewing', cardId),
    setEditing: (cardId) => local('editing', cardId),
    setPosition: (position) => local('position', position),
  };
}
