/**
 * Writing a decoded update (`Y.decodeUpdate`) back as bytes, for the checks that change part of
 * what a client sent before it is applied (cardRemovals.ts, commentAuthors.ts). Yjs exports the
 * decoder but not the writer; this writes the V1 format the way `Y.mergeUpdates` does: per client,
 * its struct count, id and first clock, then each struct's own `write`.
 */
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';

type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;
type DeleteRanges = Map<number, Array<{ clock: number; len: number }>>;

/** A V1 delete set as Yjs writes it (clients in the given order, each with its ranges). */
export function encodeDeleteSet(clients: DeleteRanges): Uint8Array {
  const e = encoding.createEncoder();
  writeDeleteSet(e, clients);
  return encoding.toUint8Array(e);
}

function writeDeleteSet(e: encoding.Encoder, clients: DeleteRanges) {
  encoding.writeVarUint(e, clients.size);
  for (const [client, ranges] of clients) {
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, ranges.length);
    for (const { clock, len } of ranges) {
      encoding.writeVarUint(e, clock);
      encoding.writeVarUint(e, len);
    }
  }
}

/**
 * `parsed` as a V1 update: its structs (as they are now, contents included) and its delete set.
 * Throws if a client's structs do not follow each other (see below): the caller refuses the update.
 */
export function encodeUpdate(parsed: DecodedUpdate): Uint8Array {
  const byClient = new Map<number, Array<Y.Item | Y.GC | Y.AbstractStruct>>();
  for (const s of parsed.structs) {
    let list = byClient.get(s.id.client);
    if (!list) byClient.set(s.id.client, (list = []));
    // Readers number a client's structs from its first clock on, so a gap or overlap (a hand-made
    // update listing one client twice) would be written back at other clocks than the checks saw.
    const last = list.at(-1);
    if (last && last.id.clock + last.length !== s.id.clock) throw new Error(`structs of client ${s.id.client} are not contiguous`);
    list.push(s);
  }
  const encoder = new Y.UpdateEncoderV1();
  encoding.writeVarUint(encoder.restEncoder, byClient.size);
  for (const [client, structs] of byClient) {
    // decodeUpdate gives each client's structs in clock order, gaps filled with Skip structs.
    encoding.writeVarUint(encoder.restEncoder, structs.length);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, structs[0]!.id.clock);
    for (const s of structs) (s as Y.Item).write(encoder, 0);
  }
  writeDeleteSet(encoder.restEncoder, parsed.ds.clients);
  return encoder.toUint8Array();
}
