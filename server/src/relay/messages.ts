/**
 * Wire format of relay messages (lib0 encoding, binary, so Yjs updates travel without base64):
 *
 *   varuint version (1) | varuint kind | varstring replicaId | payload
 *
 * kind 0 updates:        varuint count, then count × (varuint seq, varUint8Array update): one stored
 *                        batch, in order, with the seqs the store gave it (so a receiver knows
 *                        what it holds and its catch-up reads only what it missed)
 * kind 1 awareness:      varUint8Array (y-protocols awareness update)
 * kind 2 awareness query (no payload)
 * kind 3 access:         varstring boardId, varstring userId, varstring role ('' = removed)
 *
 * The version comes first so that a rolling deploy with a changed format can drop what it does not
 * understand instead of misreading it.
 */
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { ROLES, type Role } from '@delivery-board/schema/types';

const VERSION = 2;

export type RelayMessage =
  | { kind: 'updates'; from: string; updates: Uint8Array[]; seqs: number[] }
  | { kind: 'awareness'; from: string; update: Uint8Array }
  | { kind: 'awareness-query'; from: string }
  | { kind: 'access'; from: string; boardId: string; userId: string; role: Role | null };

const KINDS = ['updates', 'awareness', 'awareness-query', 'access'] as const;

export function encodeRelayMessage(msg: RelayMessage): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, VERSION);
  encoding.writeVarUint(e, KINDS.indexOf(msg.kind));
  encoding.writeVarString(e, msg.from);
  switch (msg.kind) {
    case 'updates':
      if (msg.seqs.length !== msg.updates.length) throw new Error('one seq per update');
      encoding.writeVarUint(e, msg.updates.length);
      msg.updates.forEach((u, i) => {
        encoding.writeVarUint(e, msg.seqs[i]!);
        encoding.writeVarUint8Array(e, u);
      });
      break;
    case 'awareness':
      encoding.writeVarUint8Array(e, msg.update);
      break;
    case 'awareness-query':
      break;
    case 'access':
      encoding.writeVarString(e, msg.boardId);
      encoding.writeVarString(e, msg.userId);
      encoding.writeVarString(e, msg.role ?? '');
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
  const kind = KINDS[decoding.readVarUint(d)];
  const from = decoding.readVarString(d);
  switch (kind) {
    case 'updates': {
      const count = decoding.readVarUint(d);
      const updates: Uint8Array[] = [];
      const seqs: number[] = [];
      for (let i = 0; i < count; i++) {
        seqs.push(decoding.readVarUint(d));
        updates.push(decoding.readVarUint8Array(d));
      }
      return { kind, from, updates, seqs };
    }
    case 'awareness':
      return { kind, from, update: decoding.readVarUint8Array(d) };
    case 'awareness-query':
      return { kind, from };
    case 'access': {
      const boardId = decoding.readVarString(d);
      const userId = decoding.readVarString(d);
      const role = decoding.readVarString(d);
      if (role !== '' && !(ROLES as readonly string[]).includes(role)) throw new Error('unknown role in relay message');
      return { kind, from, boardId, userId, role: role === '' ? null : (role as Role) };
    }
    default:
      throw new Error('unknown relay message kind');
  }
}
