/** The relay's wire format (relay/messages.ts): every kind round-trips; anything else is refused. */
import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import { decodeRelayMessage, encodeRelayMessage, relayMessageSender, type RelayMessage } from '../../src/relay/messages.ts';

describe('relay messages', () => {
  const messages: RelayMessage[] = [
    // Seqs are Postgres bigint identities: beyond 32 bits must survive.
    { kind: 'updates', from: 'r1-42-abc', updates: [new Uint8Array([1, 2]), new Uint8Array([])], seqs: [7, 2 ** 40 + 3] },
    { kind: 'awareness', from: 'r2', update: new Uint8Array([9, 9, 9]) },
    { kind: 'awareness-query', from: 'r3' },
    { kind: 'access', from: 'r4', boardId: 'b1', userId: 'u1', role: 'driver' },
    { kind: 'access', from: 'r4', boardId: 'b1', userId: 'u1', role: null },
  ];

  it.each(messages)('$kind round-trips, and the sender reads from the header alone', (msg) => {
    const bytes = encodeRelayMessage(msg);
    expect(relayMessageSender(bytes)).toBe(msg.from);
    expect(decodeRelayMessage(bytes)).toEqual(msg);
  });

  it('an updates message needs one seq per update', () => {
    expect(() => encodeRelayMessage({ kind: 'updates', from: 'r', updates: [new Uint8Array([1])], seqs: [] })).toThrow();
  });

  it('reads the updates of an earlier release (kind 0, no seqs): the receiver then holds none', () => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 0);
    encoding.writeVarString(e, 'old-replica');
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint8Array(e, new Uint8Array([1]));
    encoding.writeVarUint8Array(e, new Uint8Array([2, 3]));
    expect(decodeRelayMessage(encoding.toUint8Array(e))).toEqual({
      kind: 'updates',
      from: 'old-replica',
      updates: [new Uint8Array([1]), new Uint8Array([2, 3])],
      seqs: [],
    });
  });

  it('refuses other versions, unknown kinds, unknown roles and truncated messages', () => {
    const header = (version: number, kind: number) => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, version);
      encoding.writeVarUint(e, kind);
      encoding.writeVarString(e, 'r');
      return e;
    };
    const v2 = header(2, 1);
    encoding.writeVarUint8Array(v2, new Uint8Array([1]));
    expect(() => decodeRelayMessage(encoding.toUint8Array(v2))).toThrow(/version/);
    expect(() => relayMessageSender(encoding.toUint8Array(v2))).toThrow(/version/);
    expect(() => decodeRelayMessage(encoding.toUint8Array(header(1, 9)))).toThrow(/kind/);
    const badRole = header(1, 3);
    for (const s of ['b', 'u', 'admin']) encoding.writeVarString(badRole, s);
    expect(() => decodeRelayMessage(encoding.toUint8Array(badRole))).toThrow(/role/);
    const full = encodeRelayMessage(messages[0]!);
    expect(() => decodeRelayMessage(full.subarray(0, full.length - 1))).toThrow();
  });
});
