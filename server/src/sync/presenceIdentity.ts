/**
 * Who a presence (awareness) state says it is, set by the server. Every member's client shows the
 * others' `user` (name, role, colour from the id) in the avatars, in "who has this card open" and,
 * for coordinators, next to drivers' shared positions on the map. y-protocols leaves that field to
 * the sender: without this, a driver could appear as "Sam (coordinator)", or share a position as
 * another driver. awarenessOwners.ts already stops a connection from setting someone else's client
 * id; this makes what it says about itself true.
 *
 * Every state a local connection sets gets `user` replaced by the connection's own, from its session
 * and membership: `{ id, name, role }`, exactly what our client announces (client/src/lib/createPresence.ts),
 * so honest states keep their meaning. The rest of the state is the client's. A removal (`null`) is
 * left as it is; a state that is not an object (no client of ours sends one) becomes `{ user }`.
 * Only states that come in on a connection are stamped: what arrives through the relay was stamped
 * by the replica that holds that connection.
 */
import type { Role } from '@delivery-board/schema/types';
import type { AwarenessEntry } from './awarenessOwners.ts';

export interface PresenceIdentity {
  id: string;
  name: string;
  role: Role;
}

const utf8Decoder = new TextDecoder();
const utf8Encoder = new TextEncoder();

/** The entries with each state's `user` set to `identity` (new entries; the given ones are unchanged). */
export function stampPresenceIdentity(entries: readonly AwarenessEntry[], identity: PresenceIdentity): AwarenessEntry[] {
  const user = { id: identity.id, name: identity.name, role: identity.role };
  return entries.map((entry) => {
    const state: unknown = JSON.parse(utf8Decoder.decode(entry.state));
    if (state === null) return entry;
    const stamped = typeof state === 'object' && !Array.isArray(state) ? { ...state, user } : { user };
    return { ...entry, state: utf8Encoder.encode(JSON.stringify(stamped)) };
  });
}
