/**
 * Drivers' shared live positions travel in awareness (never stored) and reach coordinators only:
 * the server removes the position from every awareness state it sends to anyone else, whether in
 * a live change, the greeting of a new connection or the answer to an awareness query, and a
 * coordinator who is demoted is reconnected so that they stop receiving positions.
 */
import { describe, expect, it } from 'vitest';
import { api, boardWith, bootForTest, providerForTest, rawClient, waitFor } from './harness.ts';

const LAT = 51.4872913;
const LNG = -0.1204637;
const has = (frames: Buffer[], s: string) => frames.some((f) => f.includes(Buffer.from(s, 'utf8')));
const statesOf = (p: ReturnType<typeof providerForTest>) => [...p.provider.awareness.getStates().values()] as Record<string, unknown>[];

describe('shared driver positions', () => {
  it('reach coordinators, and nobody else, by any awareness path', async () => {
    const { url } = await bootForTest();
    const { coordinator, boardId, users } = await boardWith(url, {
      C2: { name: 'Cato Coordinator', role: 'coordinator' },
      D: { name: 'Dana Driver', role: 'driver' },
      E: { name: 'Eli Driver', role: 'driver' },
      R: { name: 'Rae Requester', role: 'requester' },
      V: { name: 'Val Viewer', role: 'viewer' },
    });
    const { C2, D, E, R, V } = users;

    // Before the driver shares: a viewer and a requester (raw frames), a coordinator and a
    // fellow driver (stock clients), and a second coordinator whose role will change.
    const early = [rawClient(url, boardId, V), rawClient(url, boardId, R)];
    const coord = providerForTest(url, boardId, coordinator);
    const fellow = providerForTest(url, boardId, E);
    const demoted = rawClient(url, boardId, C2);
    await Promise.all([...early, demoted].map((c) => c.opened));
    await waitFor(() => coord.provider.synced && fellow.provider.synced, 5000, 'synced');

    const driver = providerForTest(url, boardId, D);
    await waitFor(() => driver.provider.synced, 5000, 'driver synced');
    driver.provider.awareness.setLocalStateField('user', { id: D.id, name: 'Dana Driver' });
    driver.provider.awareness.setLocalStateField('position', { lat: LAT, lng: LNG, at: Date.now() });

    // The coordinators get it...
    await waitFor(() => statesOf(coord).some((s) => (s.position as { lat?: number } | undefined)?.lat === LAT), 5000, 'coordinator sees the position');
    await waitFor(() => has(demoted.frames, String(LAT)), 5000, 'second coordinator sees it');
    // ...the others see the driver present, without the position.
    await waitFor(() => statesOf(fellow).some((s) => (s.user as { name?: string } | undefined)?.name === 'Dana Driver'), 5000, 'driver sees presence');
    await waitFor(() => early.every((c) => has(c.frames, 'Dana Driver')), 5000, 'raw clients see presence');
    expect(statesOf(fellow).some((s) => 'position' in s)).toBe(false);

    // A later arrival's greeting, and an explicit awareness query (message type 3).
    const late = rawClient(url, boardId, V);
    await late.opened;
    await waitFor(() => has(late.frames, 'Dana Driver'), 5000, 'greeting');
    const queried = early[1]!;
    const before = queried.frames.length;
    queried.ws.send(Uint8Array.of(3));
    await waitFor(() => queried.frames.length > before && has(queried.frames.slice(before), 'Dana Driver'), 5000, 'query answer');
    for (const c of [...early, late]) {
      expect(has(c.frames, String(LAT))).toBe(false);
      expect(has(c.frames, String(LNG))).toBe(false);
      expect(has(c.frames, '"position"')).toBe(false);
    }

    // Demoting a coordinator to driver keeps write access, but not positions: reconnect (4001).
    const res = await api(url, coordinator, 'PATCH', `/api/boards/${boardId}/members/${C2.id}`, { role: 'driver' });
    expect(res.status).toBe(200);
    expect((await demoted.closed).code).toBe(4001);
    const again = rawClient(url, boardId, C2);
    await again.opened;
    await waitFor(() => has(again.frames, 'Dana Driver'), 5000, 'greeting after the role change');
    expect(has(again.frames, String(LAT))).toBe(false);
  });
});
