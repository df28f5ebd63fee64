/**
 * Wire format of relay messages (lib0 encoding, binary, so Yjs updates travel without base64):
 *
 *   varuint version (1) | varuint kind | varstring replicaId | payload
 *
 * kind 0 updates, no seqs: varuint count, then count × varUint8Array. Sent by earlier releases;
 *                        still read (the receiver then holds no seqs and its catch-up re-reads them).
 * kind 1 awareness:      varUint8Array (y-protocols awareness update)
 * kind 2 awareness query (no payload)
 * kind 3 access:         varstring boardId, varstring userId, varstring role ('' = removed)
 * kind 4 updates:        varuint count, then count × (varuint seq, varUint8Array update): one stored
 *                        batch, in order, with the seqs the store gave them (so a receiver knows
 *                        what it holds and its catch-up reads only what it missed)
 * kind 5 session ended:  varstring sessionId (the store's id, the token's SHA-256, never the token):
 *                        signed out or replaced; its sockets close on every replica. Sent on the
 *                        access channel. A replica of an earlier release drops it (its sockets of
 *                        that session then stay open until they close or it is upgraded).
 *
 * New content gets a new kind, so replicas of two releases keep understanding each other during a
 * rolling deploy (an unknown kind is dropped; the catch-up from the database covers updates). The
 * version comes first for a change that cannot be made that way.
 */
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { ROLES, type Role } from '@delivery-board/schema/types';

const VERSION = 1;
const WIRE = { updatesWithoutSeqs: 0, awareness: 1, awarenessQuery: 2, access: 3, updates: 4, sessionEnded: 5 } as const;

export type RelayMessage =
  /** `seqs` is empty for a batch from a release that did not send them. */
  | { kind: 'updates'; from: string; updates: Uint8Array[]; seqs: number[] }
  | { kind: 'awareness'; from: string; update: Uint8Array }
  | { kind: 'awareness-query'; from: string }
  | { kind: 'access'; from: string; boardId: string; userId: string; role: Role | null }
  | { kind: 'session-ended'; from: string; sessionId: string };

export function encodeRelayMessage(msg: RelayMessage): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, VERSION);
  const header = (kind: number) => {
    encoding.writeVarUint(e, kind);
    encoding.writeVarString(e, msg.from);
  };
  switch (msg.kind) {
    case 'updates':
      if (msg.seqs.length !== msg.updates.length) throw new Error('one seq per update');
      header(WIRE.updates);
      encoding.writeVarUint(e, msg.updates.length);
      msg.updates.forEach((u, i) => {
        encoding.writeVarUint(e, msg.seqs[i]!);
        encoding.writeVarUint8Array(e, u);
      });
      break;
    case 'awareness':
      header(WIRE.awareness);
      encoding.writeVarUint8Array(e, msg.update);
      break;
    case 'awareness-query':
      header(WIRE.awarenessQuery);
      break;
    case 'access':
      header(WIRE.access);
      encoding.writeVarString(e, msg.boardId);
      encoding.writeVarString(e, msg.userId);
      encoding.writeVarString(e, msg.role ?? '');
      break;
    case 'session-ended':
      header(WIRE.sessionEnded);
      encoding.writeVarString(e, msg.sessionId);
      break;
  }
  return encoding.toUint8Array(e);
}

/** Reads only the header: lets a replica drop its own echoes without decoding the rest. */
export function relayMessageSender(bytes: Uint8Array): string {
  const d = decoding.createDecoder(bytes);
  if (decoding.readVarUint(d) !== VERSION) throw new Error('unknown relay message version');
  decoding.readVarUint(d);
  return decoding.readVarString(d);
}

/** Throws on anything malformed or of an unknown version. Payload arrays are views into `bytes`. */
export function decodeRelayMessage(bytes: Uint8Array): RelayMessage {
  const d = decoding.createDecoder(bytes);
  if (decoding.readVarUint(d) !== VERSION) throw new Error('unknown relay message version');
  const kind = decoding.readVarUint(d);
  const from = decoding.readVarString(d);
  switch (kind) {
    case WIRE.updates:
    case WIRE.updatesWithoutSeqs: {
      const withSeqs = kind === WIRE.updates;
      const count = decoding.readVarUint(d);
      const updates: Uint8Array[] = [];
      const seqs: number[] = [];
      for (let i = 0; i < count; i++) {
        if (withSeqs) seqs.push(decoding.readVarUint(d));
        updates.push(decoding.readVarUint8Array(d));
      }
      return { kind: 'updates', from, updates, seqs };
    }
    case WIRE.awareness:
      return { kind: 'awareness', from, update: decoding.readVarUint8Array(d) };
    case WIRE.awarenessQuery:
      return { kind: 'awareness-query', from };
    case WIRE.access: {
      const boardId = decoding.readVarString(d);
      const userId = decoding.readVarString(d);
      const role = decoding.readVarString(d);
      if (role !== '' && !(ROLES as readonly string[]).includes(role)) throw new Error('unknown role in relay message');
      return { kind: 'access', from, boardId, userId, role: role === '' ? null : (role as Role) };
    }
    case WIRE.sessionEnded:
      return { kind: 'session-ended', from, sessionId: decoding.readVarString(d) };
    default:
      throw new Error('unknown relay message kind');
  }
}
