/**
 * The sync socket's messages: the y-websocket protocol's message types, our opt-in durable-state
 * extension, and the encoders the room and the sync core share.
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
/**
 * Our opt-in extension (the stock client never sends it, so it stays compatible): a client sends
 * [100, 0] to subscribe; the server answers [100, 1, stateVector] with the state vector of what it
 * has durably stored, at once and after every write, so the client can count its unconfirmed edits.
 */
export const MESSAGE_DURABLE = 100;
export const DURABLE_SUBSCRIBE = 0;
export const DURABLE_STATE = 1;
/** The awareness field in which drivers share their live position (client/src/lib/createPresence.ts). */
export const POSITION_FIELD = 'position';

export function carriesPosition(awareness: awarenessProtocol.Awareness, clients: number[]): boolean {
  const states = awareness.getStates();
  return clients.some((id) => states.get(id)?.[POSITION_FIELD] != null);
}

/**
 * An awareness message for `clients`; without `withPositions`, their states lose the position field
 * (drivers' live positions are for coordinators only, though awareness reaches every member).
 */
export function awarenessMessage(awareness: awarenessProtocol.Awareness, clients: number[], withPositions = true): Uint8Array {
  let states = awareness.getStates();
  if (!withPositions && carriesPosition(awareness, clients)) {
    states = new Map(states);
    for (const id of clients) {
      const state = states.get(id);
      if (state?.[POSITION_FIELD] == null) continue;
      const { [POSITION_FIELD]: _hidden, ...rest } = state!;
      states.set(id, rest);
    }
  }
  return encodeMessage(MESSAGE_AWARENESS, (e) => encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, clients, states)));
}

export function encodeMessage(type: number, write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  write(e);
  return encoding.toUint8Array(e);
}
