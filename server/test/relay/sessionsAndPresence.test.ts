/**
 * Across replicas (main.ts processes on a fresh Postgres database and the local Redis): signing out
 * on replica A closes that session's sockets on replica B at once (4401), and what is sent on them
 * afterwards is never stored; a member on B cannot overwrite the presence of a client of A (whose
 * id B sees held by another replica). Plus the relay's wire format of the session-ended message.
 * Fails, never skips, without Postgres or Redis.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createCard } from '@delivery-board/schema/boardDoc';
import { CloseCode } from '@delivery-board/schema/types';
import { decodeRelayMessage, encodeRelayMessage, relayMessageSender, type RelayMessage } from '../../src/relay/messages.ts';
import { addMember, api, awarenessFrame, connectClient, createBoard, registerUser, waitFor, waitSynced, type TestClient } from '../helpers.ts';
import { rawClient, sleep } from '../bookings/harness.ts';
import { updateMessage } from '../bookings/yraw.ts';
import { awarenessNames, cardTitles, requireRedis, spawnReplicas, storedDoc, testPrefix, useTestDatabase } from './harness.ts';

beforeAll(() => requireRedis());
const database = useTestDatabase();

const stateOf = (c: TestClient, id: number) => c.provider.awareness.getStates().get(id) as Record<string, unknown> | undefined;

describe('sessions and presence across replicas', () => {
  it('the session-ended message round-trips', () => {
    const msg: RelayMessage = { kind: 'session-ended', from: 'r1-7-abc', sessionId: 'f'.repeat(64) };
    const bytes = encodeRelayMessage(msg);
    expect(relayMessageSender(bytes)).toBe('r1-7-abc');
    expect(decodeRelayMessage(bytes)).toEqual(msg);
  });

  it('signing out on replica A closes the session’s sockets on replica B at once; a write sent after is never stored', async () => {
    const [a, b] = await spawnReplicas(2, { databaseUrl: database.url, prefix: testPrefix() });
    const owner = await registerUser(a!.url, 'Olive Owner');
    const boardId = await createBoard(a!.url, owner);
    const board = connectClient(b!.url, boardId, owner);
    const bookings = connectClient(b!.url, `${boardId}/bookings`, owner);
    const raw = rawClient(b!.url, boardId, owner);
    await Promise.all([waitSynced(board), waitSynced(bookings), raw.opened]);
    createCard(board.doc, { title: 'before sign-out' }, owner.id);

    const t0 = Date.now();
    expect((await api(a!.url, owner, 'POST', '/api/auth/logout')).status).toBe(204);
    const late = new Y.Doc();
    createCard(late, { title: 'after sign-out' }, owner.id);
    raw.ws.send(updateMessage(Y.encodeStateAsUpdate(late)));

    expect((await raw.closed).code).toBe(CloseCode.noSession);
    await waitFor(() => board.closes.length > 0 && bookings.closes.length > 0, 1000, 'closed on B');
    expect(Date.now() - t0).toBeLessThan(1000);
    expect([...board.closes, ...bookings.closes].map((c) => c.code)).toEqual([CloseCode.noSession, CloseCode.noSession]);

    await sleep(300);
    expect(cardTitles(await storedDoc(database.url, boardId))).toEqual(['before sign-out']);
  });

  it("a member on replica B cannot overwrite the presence of a client of replica A", async () => {
    const [a, b] = await spawnReplicas(2, { databaseUrl: database.url, prefix: testPrefix() });
    const owner = await registerUser(a!.url, 'Olive Owner');
    const driver = await registerUser(a!.url, 'Dan Driver');
    const viewer = await registerUser(a!.url, 'Vic Viewer');
    const boardId = await createBoard(a!.url, owner);
    await addMember(a!.url, owner, boardId, driver, 'driver');
    await addMember(a!.url, owner, boardId, viewer, 'viewer');
    const dan = connectClient(a!.url, boardId, driver);
    const onA = connectClient(a!.url, boardId, owner);
    const onB = connectClient(b!.url, boardId, owner);
    await Promise.all([waitSynced(dan), waitSynced(onA), waitSynced(onB)]);
    const dansUser = { id: driver.id, name: 'Dan Driver', role: 'driver' };
    dan.provider.awareness.setLocalState({ user: dansUser, editing: 'card-1' });
    const danId = dan.doc.clientID;
    await waitFor(() => stateOf(onA, danId)?.editing === 'card-1' && stateOf(onB, danId)?.editing === 'card-1', 5000, "Dan's presence everywhere");

    const mallory = rawClient(b!.url, boardId, viewer);
    await mallory.opened;
    const clock = onB.provider.awareness.meta.get(danId)!.clock;
    mallory.ws.send(awarenessFrame([[danId, clock + 10, { user: { name: 'Dan' }, editing: 'hijacked' }]]));
    mallory.ws.send(awarenessFrame([[danId, clock + 11, null]]));
    mallory.ws.send(awarenessFrame([[777, 1, { user: { name: 'Vic' } }]])); // marker, on B and relayed to A
    await waitFor(() => awarenessNames(onA).includes('Vic Viewer') && awarenessNames(onB).includes('Vic Viewer'), 5000, 'marker everywhere');
    for (const c of [onA, onB]) expect(stateOf(c, danId)).toEqual({ user: dansUser, editing: 'card-1' });
    dan.provider.awareness.setLocalStateField('editing', 'card-2');
    await waitFor(() => stateOf(onA, danId)?.editing === 'card-2' && stateOf(onB, danId)?.editing === 'card-2', 5000, "Dan's change everywhere");
  });
});
