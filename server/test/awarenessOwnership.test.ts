/**
 * Awareness (presence) is per client id, and y-protocols lets any sender set or remove any id with
 * a higher clock. The server lets a connection set or remove only the ids it announced and nobody
 * else holds: a member sending another member's id (to change their presence, fake a driver's
 * position, or remove them) is dropped and never reaches anyone, while stock clients, which echo
 * every state they receive, work as before. A state over MAX_AWARENESS_STATE_BYTES closes the
 * socket with 4413. Whatever a state says about its sender, the server sets its `user` to the
 * sender's own id, name and role (presenceIdentity.ts). Real server, stock y-websocket clients and
 * raw sockets.
 */
import { describe, expect, it } from 'vitest';
import { CloseCode } from '@delivery-board/schema/types';
import { MAX_AWARENESS_STATE_BYTES } from '../src/sync/awarenessOwners.ts';
import { awarenessFrame } from './helpers.ts';
import { api, boardWith, bootForTest, providerForTest, rawClient, sleep, waitFor } from './bookings/harness.ts';

type Provider = ReturnType<typeof providerForTest>;

const stateOf = (p: Provider, id: number) => p.provider.awareness.getStates().get(id) as Record<string, unknown> | undefined;
const clockOf = (p: Provider, id: number) => p.provider.awareness.meta.get(id)?.clock ?? 0;
const names = (p: Provider) =>
  [...p.provider.awareness.getStates().values()]
    .map((s) => (s.user as { name?: string } | undefined)?.name)
    .filter(Boolean)
    .sort();

/** A board with Cora (coordinator), Dan (driver) and Vic (viewer); Cora and Dan connected and synced. */
async function coordinatorDriverViewer() {
  const { url } = await bootForTest();
  const { coordinator, boardId, users } = await boardWith(url, {
    D: { name: 'Dan Driver', role: 'driver' },
    V: { name: 'Vic Viewer', role: 'viewer' },
  });
  const coord = providerForTest(url, boardId, coordinator);
  const dan = providerForTest(url, boardId, users.D);
  await waitFor(() => coord.provider.synced && dan.provider.synced, 5000, 'synced');
  return { url, coordinator, boardId, users, coord, dan, dansUser: { id: users.D.id, name: 'Dan Driver', role: 'driver' } };
}

describe('awareness: a connection sets only its own client ids, under its own name', () => {
  it("a member can neither overwrite nor remove another member's presence, nor take their id while they are away", async () => {
    const { url, coordinator, boardId, users, coord, dan, dansUser } = await coordinatorDriverViewer();
    dan.provider.awareness.setLocalState({ user: dansUser, editing: 'card-1' });
    const danId = dan.doc.clientID;
    await waitFor(() => stateOf(coord, danId)?.editing === 'card-1', 5000, "Dan's presence");

    // The viewer, on a raw socket: Dan's id with higher clocks (a change, a fake position, a
    // removal), then its own id as a marker. Frames of one socket are handled in order.
    const mallory = rawClient(url, boardId, users.V);
    await mallory.opened;
    const clock = clockOf(coord, danId);
    const malloryId = 4242;
    mallory.ws.send(awarenessFrame([[danId, clock + 10, { user: { name: 'Dan' }, editing: 'hijacked' }]]));
    mallory.ws.send(awarenessFrame([[danId, clock + 11, { user: { name: 'Dan' }, position: { lat: 1, lng: 2, at: 1 } }]]));
    mallory.ws.send(awarenessFrame([[danId, clock + 12, null]]));
    mallory.ws.send(awarenessFrame([[malloryId, 1, { user: { name: 'Vic' } }]]));
    await waitFor(() => names(coord).includes('Vic Viewer'), 5000, 'the marker');
    expect(stateOf(coord, danId)).toEqual({ user: dansUser, editing: 'card-1' });
    expect(clockOf(coord, danId)).toBe(clock);
    expect(mallory.isOpen()).toBe(true); // dropped quietly: honest clients echo others' ids all the time
    // Nobody was sent the forged entries, not even their sender.
    expect(mallory.frames.some((f) => f.includes(Buffer.from('hijacked')) || f.includes(Buffer.from('"lat"')))).toBe(false);
    // A client connecting now gets Dan's real state.
    const late = providerForTest(url, boardId, coordinator);
    await waitFor(() => stateOf(late, danId) !== undefined, 5000, 'late joiner greeted');
    expect(stateOf(late, danId)).toEqual({ user: dansUser, editing: 'card-1' });

    // Dan's own changes still go through (the forged clocks were not taken).
    dan.provider.awareness.setLocalStateField('editing', 'card-2');
    await waitFor(() => stateOf(coord, danId)?.editing === 'card-2', 5000, "Dan's change");

    // Dan goes away for a moment: his id is free on the wire, but stays his.
    dan.provider.disconnect();
    await waitFor(() => stateOf(coord, danId) === undefined, 5000, 'Dan gone');
    mallory.ws.send(awarenessFrame([[danId, clockOf(coord, danId) + 100, { user: { name: 'Dan' }, editing: 'squatted' }]]));
    mallory.ws.send(awarenessFrame([[malloryId, 2, { user: { name: 'Vic' }, round: 2 }]]));
    await waitFor(() => [...coord.provider.awareness.getStates().values()].some((s) => s.round === 2), 5000, 'second marker');
    expect(stateOf(coord, danId)).toBeUndefined();
    dan.provider.connect();
    await waitFor(() => dan.provider.synced, 5000, 'Dan reconnected');
    // Dan is visible again at once, from the state his client announces on connecting (his removal
    // had moved every clock for his id one past his own: the server lifts his re-announcement over
    // it), and his client now counts from that clock, so his next change goes through too.
    await waitFor(() => stateOf(coord, danId)?.editing === 'card-2', 2000, 'Dan back at once');
    await waitFor(() => clockOf(dan, danId) === clockOf(coord, danId), 2000, "Dan's client took the clock");
    dan.provider.awareness.setLocalStateField('editing', 'card-4');
    await waitFor(() => stateOf(coord, danId)?.editing === 'card-4', 5000, "Dan's next change");

    // The viewer's own presence is its to remove.
    mallory.ws.send(awarenessFrame([[malloryId, 3, null]]));
    await waitFor(() => !names(coord).includes('Vic Viewer'), 5000, 'viewer removed itself');
    expect(names(coord)).toEqual(['Dan Driver']);
  });

  it("a state says who sent it: the user's real id, name and role, whatever the client wrote", async () => {
    const { url, coordinator, boardId, users, coord, dan, dansUser } = await coordinatorDriverViewer();
    const danId = dan.doc.clientID;

    // Dan's client poses as the coordinator, sharing a position on the map: the rest of the state
    // goes through, under his own name and role.
    const position = { lat: 51.5, lng: -0.12, at: 1 };
    dan.provider.awareness.setLocalState({ user: { id: coordinator.id, name: 'Cora Coordinator', role: 'coordinator' }, viewing: 'card-1', position });
    await waitFor(() => stateOf(coord, danId)?.viewing === 'card-1', 5000, "Dan's presence");
    expect(stateOf(coord, danId)).toEqual({ user: dansUser, viewing: 'card-1', position });
    // An honest state is passed on as the client wrote it.
    dan.provider.awareness.setLocalState({ user: dansUser, viewing: 'card-2' });
    await waitFor(() => stateOf(coord, danId)?.viewing === 'card-2', 5000, "Dan's honest presence");
    expect(stateOf(coord, danId)).toEqual({ user: dansUser, viewing: 'card-2' });

    // Raw frames: no user at all, a user of the wrong shape, a state that is not an object.
    const vic = rawClient(url, boardId, users.V);
    await vic.opened;
    const vicsUser = { id: users.V.id, name: 'Vic Viewer', role: 'viewer' };
    vic.ws.send(awarenessFrame([[601, 1, { editing: 'card-3' }], [602, 1, { user: 'Cora Coordinator' }], [603, 1, 7]]));
    await waitFor(() => [601, 602, 603].every((id) => stateOf(coord, id)), 5000, "Vic's states");
    expect([601, 602, 603].map((id) => stateOf(coord, id))).toEqual([{ user: vicsUser, editing: 'card-3' }, { user: vicsUser }, { user: vicsUser }]);
    // A state that is not JSON is a bad frame: the socket closes (4400), nothing of it is applied.
    vic.ws.send(awarenessFrame([[604, 1, '{"editing":"card-4"}'], [605, 1, '{"user":']], { raw: true }));
    expect((await vic.closed).code).toBe(CloseCode.badFrame);
    await sleep(100);
    expect(stateOf(coord, 604)).toBeUndefined();

    // A new role shows as soon as it is given: Dan's socket closes (4001), his client reconnects
    // and announces itself again, now as a requester.
    expect((await api(url, coordinator, 'PATCH', `/api/boards/${boardId}/members/${users.D.id}`, { role: 'requester' })).status).toBe(200);
    await waitFor(() => (stateOf(coord, danId)?.user as { role?: string } | undefined)?.role === 'requester', 5000, "Dan's new role");
    expect(stateOf(coord, danId)).toEqual({ user: { ...dansUser, role: 'requester' }, viewing: 'card-2' });
  });

  it(`a state over ${MAX_AWARENESS_STATE_BYTES} bytes closes its socket with 4413 and reaches nobody; one under goes through`, async () => {
    const { url } = await bootForTest();
    const { coordinator, boardId, users } = await boardWith(url, { D: { name: 'Dan Driver', role: 'driver' } });
    const coord = providerForTest(url, boardId, coordinator);
    await waitFor(() => coord.provider.synced, 5000, 'synced');

    const fits = rawClient(url, boardId, users.D);
    const big = rawClient(url, boardId, users.D);
    await Promise.all([fits.opened, big.opened]);
    // The JSON of {"user":{"name":"Dan"},"note":"xxx…"} is 33 bytes plus the note.
    fits.ws.send(awarenessFrame([[501, 1, { user: { name: 'Dan' }, note: 'x'.repeat(MAX_AWARENESS_STATE_BYTES - 33) }]]));
    await waitFor(() => coord.provider.awareness.getStates().has(501), 5000, 'state at the limit');
    big.ws.send(awarenessFrame([[502, 1, { user: { name: 'Dan' }, note: 'x'.repeat(MAX_AWARENESS_STATE_BYTES - 32) }]]));
    expect((await big.closed).code).toBe(CloseCode.frameTooLarge);
    await sleep(100);
    expect(coord.provider.awareness.getStates().has(502)).toBe(false);
    expect(fits.isOpen()).toBe(true);
    expect(coord.provider.wsconnected).toBe(true);
  });
});
