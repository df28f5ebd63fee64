import { describe, expect, it, vi } from 'vitest';

// Node resolves solid-js to its server build, where signals do not propagate: use the browser build.
// @ts-expect-error the file has no type declarations of its own (same API as 'solid-js')
vi.mock('solid-js', () => import('solid-js/dist/solid.js'));

import { createRoot } from 'solid-js';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import type { WebsocketProvider } from 'y-websocket';
import { createDurableState, durableSubscribeFrame, MESSAGE_DURABLE, storedUnconfirmed } from './createDurableState.ts';
import { memoryStorage } from '../testing/memoryStorage.ts';

/** Just enough of a y-websocket provider: handlers, status events, a socket that records frames. */
function fakeProvider() {
  const listeners = new Map<string, Set<(arg: any) => void>>();
  const sent: Uint8Array[] = [];
  const p = {
    messageHandlers: [] as ((e: encoding.Encoder, d: decoding.Decoder, ...rest: unknown[]) => void)[],
    wsconnected: false,
    synced: false,
    ws: { readyState: 1, OPEN: 1, send: (b: Uint8Array) => sent.push(b) },
    on: (ev: string, fn: (arg: any) => void) => void (listeners.get(ev) ?? listeners.set(ev, new Set()).get(ev)!).add(fn),
    off: (ev: string, fn: (arg: any) => void) => void listeners.get(ev)?.delete(fn),
    emit: (ev: string, arg: unknown) => listeners.get(ev)?.forEach((fn) => fn(arg)),
  };
  /** Delivers `[100, 1, stateVector]` as the server would. */
  const notice = (sv: Uint8Array) => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE_DURABLE);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(e, sv);
    const d = decoding.createDecoder(encoding.toUint8Array(e));
    decoding.readVarUint(d);
    p.messageHandlers[MESSAGE_DURABLE](encoding.createEncoder(), d);
  };
  return { p, sent, notice };
}

describe('createDurableState', () => {
  it('counts changes, not keystrokes: typing a note offline is one change, another card another', async () => {
    const { createCard, setCardField } = await import('@delivery-board/schema/boardDoc');
    createRoot((dispose) => {
      const doc = new Y.Doc();
      const { p } = fakeProvider();
      const state = createDurableState({ doc, provider: p as unknown as WebsocketProvider, synced: () => p.synced, storeName: 'board:b4', storage: memoryStorage() });
      const a = createCard(doc, {}, 'u1');
      const b = createCard(doc, {}, 'u1');
      expect(state.unconfirmed()).toBe(2);
      let typed = '';
      for (const ch of 'Leave with the neighbour at 4B') {
        typed += ch;
        setCardField(doc, a, 'notes', typed);
      }
      setCardField(doc, a, 'notes', typed.slice(0, -2)); // two backspaces
      expect(state.unconfirmed()).toBe(3); // a's notes follow b's creation: one more change
      setCardField(doc, a, 'notes', typed);
      expect(state.unconfirmed()).toBe(3);
      setCardField(doc, b, 'title', 'Bread');
      expect(state.unconfirmed()).toBe(4);
      dispose();
    });
  });

  it('counts an edit made a moment ago on the device, before its batched write is due', () => {
    vi.useFakeTimers();
    const storage = memoryStorage();
    createRoot((dispose) => {
      const doc = new Y.Doc();
      const { p } = fakeProvider();
      createDurableState({ doc, provider: p as unknown as WebsocketProvider, synced: () => p.synced, storeName: 'board:b3', storage });
      doc.getMap('cards').set('a', 1);
      expect(storage.length).toBe(0); // not written yet (batched)
      expect(storedUnconfirmed(storage)).toBe(1);
      dispose();
    });
    vi.useRealTimers();
  });

  it('says which comments this device has not got to the server, also after a reload', async () => {
    const { addComment } = await import('@delivery-board/schema/boardDoc');
    const { readCommentItemIds } = await import('./readComments.ts');
    vi.useFakeTimers();
    const storage = memoryStorage();
    const server = new Y.Doc();
    const first = new Y.Doc();
    const comment = (doc: Y.Doc, text: string) => addComment(doc, 'card1', { userId: 'u1', name: 'Amira', text, at: 1 }, text);
    const unsentTexts = (doc: Y.Doc, isUnsent: (id: Y.ID) => boolean) =>
      [...readCommentItemIds(doc, 'card1')].filter(([, id]) => isUnsent(id)).map(([text]) => text);
    createRoot((dispose) => {
      const { p, notice } = fakeProvider();
      const state = createDurableState({ doc: first, provider: p as unknown as WebsocketProvider, synced: () => p.synced, storeName: 'board:b2', storage });
      comment(first, 'sent');
      Y.applyUpdate(server, Y.encodeStateAsUpdate(first));
      comment(first, 'offline one');
      comment(first, 'offline two');
      // Another member's comment, received from the server, was never this device's to send.
      const other = new Y.Doc();
      Y.applyUpdate(other, Y.encodeStateAsUpdate(server));
      comment(other, 'theirs');
      Y.applyUpdate(server, Y.encodeStateAsUpdate(other));
      Y.applyUpdate(first, Y.encodeStateAsUpdate(other));
      expect(unsentTexts(first, state.isUnsent).sort()).toEqual(['offline one', 'offline two', 'sent']);
      notice(Y.encodeStateVector(server));
      expect(unsentTexts(first, state.isUnsent).sort()).toEqual(['offline one', 'offline two']);
      vi.advanceTimersByTime(300); // marks written to the device
      dispose();
    });
    // Reopened on the same device with no connection: the stored marks still tell.
    createRoot((dispose) => {
      const reopened = new Y.Doc();
      Y.applyUpdate(reopened, Y.encodeStateAsUpdate(first)); // its device copy (IndexedDB)
      const { p, notice } = fakeProvider();
      const state = createDurableState({ doc: reopened, provider: p as unknown as WebsocketProvider, synced: () => p.synced, storeName: 'board:b2', storage });
      expect(unsentTexts(reopened, state.isUnsent).sort()).toEqual(['offline one', 'offline two']);
      Y.applyUpdate(server, Y.encodeStateAsUpdate(reopened));
      notice(Y.encodeStateVector(server));
      expect(unsentTexts(reopened, state.isUnsent)).toEqual([]);
      dispose();
    });
    vi.useRealTimers();
  });

  it('subscribes on connect, counts local edits until the server stores them, and survives a reload', () => {
    vi.useFakeTimers();
    const storage = memoryStorage();
    const server = new Y.Doc();
    const first = new Y.Doc();
    createRoot((dispose) => {
      const doc = first;
      const { p, sent, notice } = fakeProvider();
      const state = createDurableState({ doc, provider: p as unknown as WebsocketProvider, synced: () => p.synced, storeName: 'board:b1', storage });
      p.wsconnected = true;
      p.emit('status', { status: 'connected' });
      expect(sent).toEqual([durableSubscribeFrame()]);

      doc.getMap('cards').set('a', 1);
      doc.getMap('cards').set('b', 2);
      expect(state.unconfirmed()).toBe(2);
      Y.applyUpdate(server, Y.encodeStateAsUpdate(doc));
      doc.getMap('cards').set('c', 3);
      notice(Y.encodeStateVector(server));
      expect(state.unconfirmed()).toBe(1);
      expect(state.lastSyncedAt()).not.toBeNull();
      vi.advanceTimersByTime(300); // marks written to the device
      dispose();
    });
    // A new session (new client id) adopts the unconfirmed mark, until the server has it.
    createRoot((dispose) => {
      const doc = new Y.Doc();
      const { p, notice } = fakeProvider();
      const state = createDurableState({ doc, provider: p as unknown as WebsocketProvider, synced: () => p.synced, storeName: 'board:b1', storage });
      expect(state.unconfirmed()).toBe(1);
      expect(state.lastSyncedAt()).not.toBeNull();
      notice(Y.encodeStateVector(server));
      expect(state.unconfirmed()).toBe(1); // the server still lacks 'c'
      Y.applyUpdate(server, Y.encodeStateAsUpdate(first));
      notice(Y.encodeStateVector(server));
      expect(state.unconfirmed()).toBe(0);
      expect([...Array(storage.length).keys()].map((i) => storage.key(i)).filter((k) => k?.startsWith('delivery-board:unconfirmed:'))).toEqual([]);
      dispose();
    });
    vi.useRealTimers();
  });
});
