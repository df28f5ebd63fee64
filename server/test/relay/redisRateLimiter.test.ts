/** The Redis-backed rate limiter: one fixed window shared by every replica (local Redis). */
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { Redis } from 'ioredis';
import { createMemoryRateLimiter, createRedisRateLimiter } from '../../src/auth/rateLimiter.ts';
import { REDIS_URL, requireRedis, startPrivateRedis, testPrefix } from './harness.ts';

function connect(url = REDIS_URL) {
  const r = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: (n) => Math.min(n * 50, 200) });
  r.on('error', () => {});
  onTestFinished(() => r.disconnect());
  return new Promise<Redis>((resolve) => r.once('ready', () => resolve(r)));
}

beforeAll(() => requireRedis());

describe('Redis rate limiter', () => {
  it('counts hits of one key across replicas (two connections) within one window', async () => {
    const prefix = testPrefix();
    const one = createRedisRateLimiter(await connect(), { prefix });
    const two = createRedisRateLimiter(await connect(), { prefix });
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await (i % 2 ? two : one).consume('login:1.2.3.4', 4, 60_000));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, true, false, false]);
    expect(results[5]!.retryAfter).toBeGreaterThan(55);
    expect(results[5]!.retryAfter).toBeLessThanOrEqual(60);
    // Another key has its own window.
    expect((await two.consume('login:5.6.7.8', 4, 60_000)).allowed).toBe(true);
  });

  it('the window resets when it expires, and concurrent hits are counted exactly', async () => {
    const limiter = createRedisRateLimiter(await connect(), { prefix: testPrefix() });
    const burst = await Promise.all(Array.from({ length: 50 }, () => limiter.consume('k', 20, 300)));
    expect(burst.filter((r) => r.allowed)).toHaveLength(20);
    await new Promise((r) => setTimeout(r, 350));
    expect((await limiter.consume('k', 20, 300)).allowed).toBe(true);
  });

  it('keys carry the prefix and expire with their window', async () => {
    const redis = await connect();
    const prefix = testPrefix();
    await createRedisRateLimiter(redis, { prefix }).consume('register:9.9.9.9', 5, 10_000);
    const ttl = await redis.pttl(`${prefix}register:9.9.9.9`);
    expect(ttl).toBeGreaterThan(9000);
    expect(ttl).toBeLessThanOrEqual(10_000);
  });

  it('works again after Redis lost its script cache (NOSCRIPT)', async () => {
    const privateRedis = await startPrivateRedis(); // a fresh server has no scripts at all
    const fresh = createRedisRateLimiter(await connect(privateRedis.url), { prefix: testPrefix() });
    expect((await fresh.consume('x', 1, 60_000)).allowed).toBe(true);
    expect((await fresh.consume('x', 1, 60_000)).allowed).toBe(false);
  });

  it('falls back to a per-replica limit while Redis is unreachable, and back to Redis after', async () => {
    const privateRedis = await startPrivateRedis();
    const redis = await connect(privateRedis.url);
    const limiter = createRedisRateLimiter(redis, { prefix: testPrefix(), fallback: createMemoryRateLimiter() });
    expect((await limiter.consume('k', 2, 60_000)).allowed).toBe(true);
    await privateRedis.stop();
    const down = [];
    for (let i = 0; i < 3; i++) down.push((await limiter.consume('k', 2, 60_000)).allowed);
    expect(down).toEqual([true, true, false]); // still limited, by the fallback
    await privateRedis.start();
    await new Promise<void>((resolve) => (redis.status === 'ready' ? resolve() : redis.once('ready', () => resolve())));
    // Redis restarted empty: its window starts over.
    expect((await limiter.consume('k', 2, 60_000)).allowed).toBe(true);
  });
});
