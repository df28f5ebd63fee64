/**
 * Everything a replica needs to run beside others (REDIS_URL set): the Redis relay for the sync
 * server and the rate limiter shared through the same Redis. One call for the entry point to make;
 * nothing here reads the environment.
 */
import type { Logger } from 'pino';
import { createMemoryRateLimiter, createRedisRateLimiter, type RateLimiter } from '../auth/rateLimiter.ts';
import { createRedisRelay, makeReplicaId, type RedisRelay } from './redisRelay.ts';

export interface Replication {
  relay: RedisRelay;
  rateLimiter: RateLimiter;
  /** For /readyz: Redis reachable on both relay connections. */
  isReady(): boolean;
}

export interface ReplicationOptions {
  redisUrl: string;
  logger: Logger;
  /** Readable part of the replica id (e.g. REPLICA_ID, a machine id); a unique suffix is added. */
  replicaName?: string;
  /** Channel and key prefix (default `dboard:`), so deployments can share one Redis. */
  prefix?: string;
}

export function createReplication(opts: ReplicationOptions): Replication {
  const prefix = opts.prefix ?? 'dboard:';
  const relay = createRedisRelay({ url: opts.redisUrl, logger: opts.logger, replicaId: makeReplicaId(opts.replicaName), prefix });
  const rateLimiter = createRedisRateLimiter(relay.redis, { prefix: `${prefix}rl:`, fallback: createMemoryRateLimiter(), logger: opts.logger });
  return { relay, rateLimiter, isReady: () => relay.isReady() };
}
