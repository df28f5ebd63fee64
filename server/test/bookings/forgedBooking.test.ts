/**
 * The bookings document is written by the server alone: a member's raw y-protocols client that
 * writes a booking into it is ignored (nobody sees it, nothing is stored), logged as
 * `security.bookings_write_dropped`, and keeps its socket.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { bookingsMap } from '../../src/bookings/bookingService.ts';
import { allAudit, boardWith, bootForTest, createCards, memoryLogger, must, providerForTest, rawClient, sleep, waitFor, type TestUser } from './harness.ts';
import { applyFrames, step1Message, step2Message, updateMessage } from './yraw.ts';

function forgedDoc(cardId: string, who: TestUser) {
  const doc = new Y.Doc();
  doc.getMap('bookings').set(cardId, { cardId, status: 'claimed', driverId: who.id, driverName: who.name, at: Date.now(), version: 99 });
  return doc;
}

describe('forged writes to the bookings document', () => {
  it('are dropped and logged; the socket stays open; nobody sees them; the database is unchanged', async () => {
    const log = memoryLogger();
    const { url, server } = await bootForTest({ logger: log.logger, env: { DOC_IDLE_MS: '100' } });
    const { coordinator, boardId, users } = await boardWith(url, {
      M: { name: 'Mallory Driver', role: 'driver' },
      D: { name: 'Dana Driver', role: 'driver' },
    });
    const { M, D } = users;
    const [cardId, card2] = (await createCards(url, boardId, coordinator, ['Groceries to Elm St', 'Second'])) as [string, string];
    const bookingsRoom = `${boardId}/bookings`;

    // An honest observer of the bookings document, connected before the forgery.
    const observer = providerForTest(url, bookingsRoom, coordinator);
    await waitFor(() => observer.provider.synced, 5000, 'observer synced');

    // Mallory (a driver member) and the coordinator both try, with a plain update and a step 2.
    for (const forger of [M, coordinator]) {
      const raw = rawClient(url, bookingsRoom, forger);
      await raw.opened;
      const forged = forgedDoc(cardId, forger);
      raw.ws.send(updateMessage(Y.encodeStateAsUpdate(forged)));
      raw.ws.send(step2Message(forgedDoc(card2, forger)));
      // Then ask for the server's state: the reply comes after the forged frames were handled.
      raw.ws.send(step1Message(new Y.Doc()));
      await waitFor(() => raw.frames.length >= 2, 5000, 'server reply');
      const seen = new Y.Doc();
      await waitFor(() => applyFrames(seen, raw.frames) >= 1, 5000, 'step 2 from the server');
      expect(bookingsMap(seen).has(cardId)).toBe(false);
      expect(bookingsMap(seen).has(card2)).toBe(false);
      await sleep(100);
      expect(raw.isOpen(), 'the forger keeps the socket').toBe(true);
      raw.ws.close();
      await raw.closed;
    }

    // Logged, every time, with who did it.
    await waitFor(() => log.entries().filter((e) => e.event === 'security.bookings_write_dropped').length >= 4, 5000, 'security log');
    const dropped = log.entries().filter((e) => e.event === 'security.bookings_write_dropped');
    expect(dropped.filter((e) => e.userId === M.id)).toHaveLength(2);
    expect(dropped.filter((e) => e.userId === coordinator.id)).toHaveLength(2);
    for (const e of dropped) expect(e.doc).toBe(bookingsRoom);

    // The observer never saw it.
    await sleep(300);
    expect(bookingsMap(observer.doc).size).toBe(0);
    observer.provider.destroy();

    // Once the room has left memory, a fresh client loads it from the database: still nothing.
    await waitFor(() => server.sync.peekRoom(bookingsRoom) === undefined, 5000, 'bookings room to idle out');
    const fresh = providerForTest(url, bookingsRoom, D);
    await waitFor(() => fresh.provider.synced, 5000, 'fresh synced');
    await sleep(200);
    expect(bookingsMap(fresh.doc).size).toBe(0);

    // The database knows nothing of it: no booking audit rows, and a real claim is version 1.
    expect((await allAudit(url, coordinator, boardId)).filter((r) => r.action.startsWith('booking.'))).toEqual([]);
    const real = await must(url, D, boardId, cardId, 'claim');
    expect(real).toMatchObject({ status: 'claimed', driverId: D.id, version: 1 });
    await waitFor(() => bookingsMap(fresh.doc).get(cardId)?.driverId === D.id, 5000, 'real claim in the bookings document');
    expect(bookingsMap(fresh.doc).get(cardId)).toEqual(real);
    expect(bookingsMap(fresh.doc).has(card2)).toBe(false);
  });

  it('a viewer forging into the bookings document is dropped the same way', async () => {
    const log = memoryLogger();
    const { url } = await bootForTest({ logger: log.logger });
    const { coordinator, boardId, users } = await boardWith(url, { V: { name: 'Val Viewer', role: 'viewer' } });
    const [cardId] = await createCards(url, boardId, coordinator, ['x']);
    const raw = rawClient(url, `${boardId}/bookings`, users.V);
    await raw.opened;
    raw.ws.send(updateMessage(Y.encodeStateAsUpdate(forgedDoc(cardId!, users.V))));
    await waitFor(() => log.entries().some((e) => e.event === 'security.bookings_write_dropped' && e.userId === users.V.id), 5000, 'security log');
    expect(raw.isOpen()).toBe(true);
    const observer = providerForTest(url, `${boardId}/bookings`, coordinator);
    await waitFor(() => observer.provider.synced, 5000, 'observer synced');
    expect(bookingsMap(observer.doc).size).toBe(0);
  });
});
