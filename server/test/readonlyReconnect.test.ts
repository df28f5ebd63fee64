/**
 * Read-only connections (everyone on the bookings document, viewers on the board document) send
 * their whole delete set in every sync step 2, because Yjs always does. After any deletion (every
 * booking change replaces a map value; a deleted card) that set is non-empty on every reconnect of
 * an honest stock client, and once made each of them a "security" warning. Only updates that would
 * change the server's document count as write attempts: the reconnects log nothing and the counter
 * (SyncServer.security.droppedWrites, /metrics) stays 0, while forged deletions and forged content
 * are still dropped and reported. Real server, real websockets.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { boardRoots, readCards } from '@delivery-board/schema/boardDoc';
import type { Booking } from '@delivery-board/schema/bookings';
import { bookingsMap } from '../src/bookings/bookingService.ts';
import { boardWith, bootForTest, createCards, deleteCards, memoryLogger, must, providerForTest, rawClient, sleep, waitFor } from './bookings/harness.ts';
import { step1Message, updateMessage } from './bookings/yraw.ts';

type Provider = ReturnType<typeof providerForTest>;

const securityEvents = (log: ReturnType<typeof memoryLogger>) => log.entries().filter((e) => String(e.event ?? '').startsWith('security.'));

async function droppedMetric(url: string, doc: 'board' | 'bookings'): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`dboard_sync_dropped_writes_total{doc="${doc}"} `));
  if (!line) throw new Error(`no dropped-writes sample for ${doc} in /metrics`);
  return Number(line.split(' ')[1]);
}

/**
 * Reconnects a stock client and waits until the server has handled what it sent on connecting
 * (its sync step 2 included): an awareness change sent after it on the same socket has reached
 * `observer` (frames of one socket are handled in order).
 */
async function reconnect(client: Provider, observer: Provider, round: string) {
  client.provider.disconnect();
  client.provider.connect();
  await waitFor(() => client.provider.synced && client.provider.wsconnected, 5000, 'reconnected and synced');
  client.provider.awareness.setLocalStateField('round', round);
  const id = client.doc.clientID;
  await waitFor(() => observer.provider.awareness.getStates().get(id)?.round === round, 5000, `round ${round} seen`);
}

describe('read-only connections and their delete sets', () => {
  it('stock clients reconnecting after deletions are not reported; forged deletions and content still are, and never applied', async () => {
    const log = memoryLogger();
    const { url, server } = await bootForTest({ logger: log.logger });
    const { coordinator, boardId, users } = await boardWith(url, {
      D: { name: 'Dan Driver', role: 'driver' },
      V: { name: 'Vera Viewer', role: 'viewer' },
    });
    const { D, V } = users;
    const bookingsRoom = `${boardId}/bookings`;
    const [soup, bread, gone] = (await createCards(url, boardId, coordinator, ['Soup', 'Bread', 'Gone'])) as [string, string, string];
    // Deletions in both documents: every booking change replaces the card's value in the bookings
    // map, and a card is deleted from the board.
    await must(url, D, boardId, soup, 'claim');
    await must(url, D, boardId, soup, 'release');
    await must(url, D, boardId, soup, 'claim');
    await must(url, D, boardId, bread, 'claim');
    await deleteCards(url, boardId, coordinator, [gone]);

    const boardObserver = providerForTest(url, boardId, coordinator);
    const bookingsObserver = providerForTest(url, bookingsRoom, coordinator);
    const driverBookings = providerForTest(url, bookingsRoom, D);
    const viewerBoard = providerForTest(url, boardId, V);
    const viewerBookings = providerForTest(url, bookingsRoom, V);
    const all = [boardObserver, bookingsObserver, driverBookings, viewerBoard, viewerBookings];
    await waitFor(() => all.every((p) => p.provider.synced), 5000, 'all synced');
    await waitFor(() => (bookingsMap(driverBookings.doc).get(soup) as Booking | undefined)?.version === 3, 5000, 'bookings loaded');
    // The clients do hold deletions, which their sync step 2 carries in full.
    for (const p of [driverBookings, viewerBoard, viewerBookings]) {
      expect(Y.decodeUpdate(Y.encodeStateAsUpdate(p.doc, Y.encodeStateVector(p.doc))).ds.clients.size).toBeGreaterThan(0);
    }

    // A page reload or coming back online, twice each.
    for (const round of ['1', '2']) {
      await reconnect(driverBookings, bookingsObserver, round);
      await reconnect(viewerBookings, bookingsObserver, round);
      await reconnect(viewerBoard, boardObserver, round);
    }
    expect(securityEvents(log)).toEqual([]);
    expect(server.sync.security.droppedWrites).toEqual({ board: 0, bookings: 0 });
    expect(await droppedMetric(url, 'bookings')).toBe(0);
    expect(await droppedMetric(url, 'board')).toBe(0);

    // Forgeries: a deletion alone (no structs: what the old check and the new one both must catch),
    // and new content. Built on a copy of what the clients legitimately hold.
    const forge = (from: Provider, change: (doc: Y.Doc) => void) => {
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(from.doc));
      const before = Y.encodeStateVector(copy);
      change(copy);
      return Y.encodeStateAsUpdate(copy, before);
    };
    const deleteBooking = forge(driverBookings, (doc) => bookingsMap(doc).delete(soup));
    expect(Y.decodeUpdate(deleteBooking).structs).toEqual([]);
    const deleteCard = forge(viewerBoard, (doc) => boardRoots(doc).cards.delete(bread));
    expect(Y.decodeUpdate(deleteCard).structs).toEqual([]);
    const addBooking = forge(driverBookings, (doc) => bookingsMap(doc).set(gone, { cardId: gone, status: 'claimed', driverId: D.id, driverName: D.name, byId: D.id, at: 1, version: 9 }));

    const rawDriver = rawClient(url, bookingsRoom, D);
    const rawViewer = rawClient(url, boardId, V);
    await Promise.all([rawDriver.opened, rawViewer.opened]);
    rawDriver.ws.send(updateMessage(deleteBooking));
    rawDriver.ws.send(updateMessage(addBooking));
    rawViewer.ws.send(updateMessage(deleteCard));
    await waitFor(() => securityEvents(log).length >= 3, 5000, 'forgeries reported');
    const events = securityEvents(log);
    expect(events.filter((e) => e.event === 'security.bookings_write_dropped' && e.userId === D.id)).toHaveLength(2);
    expect(events.filter((e) => e.event === 'security.readonly_write_dropped' && e.userId === V.id)).toHaveLength(1);
    expect(server.sync.security.droppedWrites).toEqual({ board: 1, bookings: 2 });
    expect(await droppedMetric(url, 'bookings')).toBe(2);
    expect(await droppedMetric(url, 'board')).toBe(1);

    // Never applied: the server's answers to a sync request sent after them still hold everything.
    for (const raw of [rawDriver, rawViewer]) raw.ws.send(step1Message(new Y.Doc()));
    const stateFrom = (frames: Buffer[]) => {
      const doc = new Y.Doc();
      for (const f of frames) {
        const d = decoding.createDecoder(new Uint8Array(f));
        if (decoding.readVarUint(d) !== 0 || decoding.readVarUint(d) !== 1) continue; // sync step 2 only
        Y.applyUpdate(doc, decoding.readVarUint8Array(d));
      }
      return doc;
    };
    await waitFor(() => bookingsMap(stateFrom(rawDriver.frames)).has(soup), 5000, 'bookings answer');
    await waitFor(() => readCards(stateFrom(rawViewer.frames)).some((c) => c.id === bread), 5000, 'board answer');
    expect(bookingsMap(stateFrom(rawDriver.frames)).has(gone)).toBe(false);
    await sleep(100);
    expect(bookingsMap(bookingsObserver.doc).has(soup)).toBe(true);
    expect(bookingsMap(bookingsObserver.doc).has(gone)).toBe(false);
    expect(boardRoots(boardObserver.doc).cards.has(bread)).toBe(true);
    expect(rawDriver.isOpen() && rawViewer.isOpen()).toBe(true);
  });
});
