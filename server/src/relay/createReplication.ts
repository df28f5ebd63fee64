/**
 * Everything a replica needs to run beside others (REDIS_URL set): the Redis relay for the sync
 * server and the rate limiter shared through the same Redis. One call for the entry point to make;
 * nothing here reads the environment.
 */
import type { Logger } from 'pino';
import { createMemoryRateLimiter, createRedisRateLimiter, type RateLimiter } from '../auth/rateLimiter.ts';
import { createRedisRelay, type RedisRelay } from './redisRelay.ts';

export interface Replication {
  relay: RedisRelay;
  rateLimiter: RateLimiter;
  /** For /readyz: Redis reachable on both relay connections. */
  isReady(): boolean;
}

export function createReplication(opts: { redisUrl: string; logger: Logger; replicaId?: string; prefix?: string }): Replication {
  const prefix = opts.prefix ?? 'dboard:';
  const relay = createRedisRelay({ url: opts.redisUrl, logger: opts.logger, replicaId: opts.replicaId, prefix });
  const rateLimiter = createRedisRateLimiter(relay.redis, { prefix: `${prefix}rl:`, fallback: createMemoryRateLimiter(), logger: opts.logger });
  return { relay, rateLimiter, isReady: () => relay.isReady() };
}
