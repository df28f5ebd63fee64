/** y-protocols messages built by hand (no y-websocket), for raw websocket clients. */
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';

export const MESSAGE_SYNC = 0;

const sync = (write: (e: encoding.Encoder) => void) => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  write(e);
  return encoding.toUint8Array(e);
};

/** sync/update (the message a client sends for every local change). */
export const updateMessage = (update: Uint8Array) => sync((e) => syncProtocol.writeUpdate(e, update));
/** sync/step 2 with the whole of `doc` (a client's answer to the server's step 1). */
export const step2Message = (doc: Y.Doc) => sync((e) => syncProtocol.writeSyncStep2(e, doc));
/** sync/step 1: asks the server for everything `doc` is missing. */
export const step1Message = (doc: Y.Doc) => sync((e) => syncProtocol.writeSyncStep1(e, doc));

/**
 * Applies the sync messages among `frames` to `doc` (what a client would see), ignoring awareness;
 * returns how many step-2 messages were among them.
 */
export function applyFrames(doc: Y.Doc, frames: Uint8Array[]): number {
  let step2 = 0;
  for (const frame of frames) {
    const d = decoding.createDecoder(frame);
    if (decoding.readVarUint(d) !== MESSAGE_SYNC) continue;
    const sub = decoding.readVarUint(d);
    if (sub === syncProtocol.messageYjsSyncStep2 || sub === syncProtocol.messageYjsUpdate) {
      Y.applyUpdate(doc, decoding.readVarUint8Array(d), 'remote');
      if (sub === syncProtocol.messageYjsSyncStep2) step2++;
    }
  }
  return step2;
}
