/**
 * Who may set which awareness (presence) client id. y-protocols lets any sender set or remove any
 * id with a higher clock; the room applies a local connection's entries only for ids it holds or
 * may take. A connection takes an id when it announces it with a state and no other member holds
 * it: not a connection here (one of the same user's may: a reconnecting client whose old socket
 * has not closed yet, the id moves), not a client of another replica (in the states, held by no
 * local connection), not someone else who held it here before (an id stays with its user while the
 * room is loaded, so nobody takes it while its owner drops for a moment). The others are dropped
 * without a word: stock clients echo every state they receive back to the server.
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';

/**
 * The largest awareness state a client may set: the UTF-8 bytes of its JSON. A member's presence
 * (name, colour, the card being edited, a position) is a few hundred bytes; every state is sent to
 * every member and renewed every 15 s, so a large one costs everyone. Over it, the socket closes
 * with 4413.
 */
export const MAX_AWARENESS_STATE_BYTES = 4096;

/** One client's entry in an awareness update (y-protocols encoding); `state` is its JSON, as UTF-8. */
export interface AwarenessEntry {
  id: number;
  clock: number;
  state: Uint8Array;
}

/** A connection as far as ownership goes: the ids it holds. */
interface Holder {
  awarenessIds: Set<number>;
}

const utf8 = new TextDecoder();

export class AwarenessOwners<C extends Holder> {
  /** Who announced each id here: the connection holding it (null once it left or timed out) and its user. */
  private readonly holders = new Map<number, { conn: C | null; userId: string }>();

  /**
   * The entries of a local connection's awareness update that it may apply, now held by it; or
   * 'too-large' (nothing taken) if a state it may set is over MAX_AWARENESS_STATE_BYTES. Throws on a
   * malformed update before changing anything.
   */
  admit(awareness: awarenessProtocol.Awareness, conn: C, userId: string, update: Uint8Array): AwarenessEntry[] | 'too-large' {
    const states = awareness.getStates();
    const kept: AwarenessEntry[] = [];
    for (const entry of decodeAwarenessEntries(update)) {
      const holder = this.holders.get(entry.id);
      // Parsed only when it matters: a holder's own renewals (most messages) are passed on as bytes.
      let parsed: boolean | undefined;
      const removes = () => (parsed ??= JSON.parse(utf8.decode(entry.state)) === null);
      if (holder?.conn !== conn) {
        if (holder && holder.userId !== userId) continue; // another member's
        if (!holder?.conn && states.has(entry.id)) continue; // a client of another replica
        if (removes()) continue; // removing what it does not hold
      }
      if (entry.state.byteLength > MAX_AWARENESS_STATE_BYTES) return 'too-large';
      // A client back after its socket closed (or timed out): y-protocols removed its state with a
      // clock one past the client's own, so the re-announcement, at the same clock, would be ignored
      // here and by every member until a renewal overtook it (up to 30 s invisible). It goes out one
      // past that clock instead; the client takes the higher clock from its own echo, so its
      // renewals count on from there.
      const known = awareness.meta.get(entry.id)?.clock;
      if (known !== undefined && entry.clock <= known && !states.has(entry.id) && !removes()) entry.clock = known + 1;
      kept.push(entry);
    }
    for (const { id } of kept) {
      const holder = this.holders.get(id);
      if (holder?.conn === conn) continue;
      holder?.conn?.awarenessIds.delete(id); // the same user's older socket
      this.holders.set(id, { conn, userId });
      conn.awarenessIds.add(id);
    }
    return kept;
  }

  /** The id's state went (its connection closed, it timed out): held by nobody, it stays with its user. */
  released(id: number, only?: C): void {
    const holder = this.holders.get(id);
    if (!holder?.conn || (only && holder.conn !== only)) return;
    holder.conn.awarenessIds.delete(id);
    holder.conn = null;
  }

  /** Held by a local connection: another replica has no say over it. */
  heldHere(id: number): boolean {
    return !!this.holders.get(id)?.conn;
  }
}

/** varuint count, then count × (varuint clientID, varuint clock, varstring JSON state). */
export function decodeAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
  const d = decoding.createDecoder(update);
  const entries: AwarenessEntry[] = [];
  // A varstring is a varUint8Array of UTF-8: read as bytes, so sizes are measured without decoding.
  for (let n = decoding.readVarUint(d); n > 0; n--) entries.push({ id: decoding.readVarUint(d), clock: decoding.readVarUint(d), state: decoding.readVarUint8Array(d) });
  return entries;
}

export function encodeAwarenessEntries(entries: AwarenessEntry[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, entries.length);
  for (const { id, clock, state } of entries) {
    encoding.writeVarUint(e, id);
    encoding.writeVarUint(e, clock);
    encoding.writeVarUint8Array(e, state);
  }
  return encoding.toUint8Array(e);
}
