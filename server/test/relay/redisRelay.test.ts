/**
 * The Redis relay on its own (local Redis, a fresh channel prefix per test): what one replica
 * publishes reaches the others, in order, and never comes back to itself.
 */
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createRedisRelay, type RedisRelay } from '../../src/relay/redisRelay.ts';
import type { RelayHandlers } from '../../src/sync/relay.ts';
import { silentLogger, waitFor } from '../helpers.ts';
import { REDIS_URL, requireRedis, testPrefix } from './harness.ts';

beforeAll(() => requireRedis());

/** A started relay and everything its handlers were given. */
async function replica(prefix: string, name: string) {
  const got: string[] = [];
  const handlers: RelayHandlers = {
    updates: (doc, updates, seqs) => got.push(`updates ${doc} ${updates.map((u) => u.join('.')).join(',')} @${seqs.join(',')}`),
    awareness: (doc, update) => got.push(`awareness ${doc} ${update.join('.')}`),
    awarenessQuery: (doc) => got.push(`query ${doc}`),
    access: (boardId, userId, role) => got.push(`access ${boardId} ${userId} ${role}`),
    resync: () => got.push('resync'),
  };
  const relay: RedisRelay = createRedisRelay({ url: REDIS_URL, logger: silentLogger, prefix, replicaId: name });
  onTestFinished(() => relay.close());
  relay.start(handlers);
  await relay.whenReady();
  await waitFor(() => got.includes('resync'), 2000, `${name} subscribed`);
  got.length = 0;
  return { relay, got };
}

describe('Redis relay', () => {
  it('delivers to the other replicas, in publish order, and drops its own echoes', async () => {
    const prefix = testPrefix();
    const a = await replica(prefix, 'a');
    const b = await replica(prefix, 'b');
    const c = await replica(prefix, 'c');
    await Promise.all([a, b].map((r) => r.relay.subscribe('board-1')));
    // c has not loaded board-1: it gets only what is not per document.

    a.relay.publishUpdates('board-1', [new Uint8Array([1]), new Uint8Array([2, 2])], [10, 11]);
    a.relay.publishAwareness('board-1', new Uint8Array([7]));
    a.relay.queryAwareness('board-1');
    a.relay.publishUpdates('board-1', [new Uint8Array([3])], [12]);
    a.relay.publishAccess('board-1', 'user-9', null);
    b.relay.publishAccess('board-1', 'user-8', 'viewer');

    const fromA = ['updates board-1 1,2.2 @10,11', 'awareness board-1 7', 'query board-1', 'updates board-1 3 @12', 'access board-1 user-9 null'];
    await waitFor(() => b.got.length === fromA.length && c.got.length === 2 && a.got.length === 1, 2000, 'all delivered');
    expect(b.got).toEqual(fromA);
    expect(c.got).toEqual(['access board-1 user-9 null', 'access board-1 user-8 viewer']);
    expect(a.got).toEqual(['access board-1 user-8 viewer']); // b's message only, never its own

    b.relay.unsubscribe('board-1');
    // UNSUBSCRIBE goes out on b's connection, the next PUBLISH on a's: wait until Redis has it.
    for (let i = 0; ; i++) {
      const [, count] = (await a.relay.redis.pubsub('NUMSUB', `${prefix}doc:board-1`)) as [string, number];
      if (Number(count) === 1) break;
      if (i > 100) throw new Error('b did not unsubscribe');
      await new Promise((r) => setTimeout(r, 20));
    }
    a.relay.publishUpdates('board-1', [new Uint8Array([4])], [13]);
    a.relay.publishAccess('board-1', 'user-7', 'driver'); // sent after the update: arrives after it
    await waitFor(() => b.got.length === fromA.length + 1, 2000, 'access after unsubscribe');
    expect(b.got.at(-1)).toBe('access board-1 user-7 driver'); // the update of an unloaded board did not come
  });
});
