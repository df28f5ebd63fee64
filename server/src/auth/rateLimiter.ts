/**
 * Fixed-window rate limiting. The interface is async so the Redis-backed limiter shared by replicas
 * (createRedisRateLimiter, used when REDIS_URL is set) replaces the in-memory one without touching
 * callers.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';

/** Attempts allowed per window before 429 on sign-in and registration (routes/auth.ts). */
export interface SignInLimits {
  loginPerIpPerMinute: number;
  loginPerAccountPer15Min: number;
  /** Per address: raise it when volunteers sign up together behind one office or venue address. */
  registerPerIpPerHour: number;
}

export const defaultLimits: SignInLimits = { loginPerIpPerMinute: 20, loginPerAccountPer15Min: 10, registerPerIpPerHour: 20 };

export interface RateLimitResult {
  allowed: boolean;
  /** Seconds until the window resets (for Retry-After). */
  retryAfter: number;
}

export interface RateLimiter {
  consume(key: string, limit: number, windowMs: number): Promise<RateLimitResult>;
}

export function createMemoryRateLimiter(now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, { count: number; resetAt: number }>();
  let sweepAt = 0;
  return {
    async consume(key, limit, windowMs) {
      const t = now();
      if (t >= sweepAt) {
        // Bounded memory: drop expired windows at most once a minute.
        for (const [k, w] of windows) if (w.resetAt <= t) windows.delete(k);
        sweepAt = t + 60_000;
      }
      let w = windows.get(key);
      if (!w || w.resetAt <= t) {
        w = { count: 0, resetAt: t + windowMs };
        windows.set(key, w);
      }
      w.count++;
      return { allowed: w.count <= limit, retryAfter: Math.max(1, Math.ceil((w.resetAt - t) / 1000)) };
    },
  };
}

/**
 * The atomic step of the shared limiter: count the hit and, for the first hit of a window, start
 * the window's expiry. One script, so no replica can see a counter without its expiry (a crash
 * between INCR and PEXPIRE would otherwise leave a key that never resets). The `ttl < 0` branch
 * also repairs such a key should one exist.
 */
const WINDOW_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}
`;
const WINDOW_SCRIPT_SHA = createHash('sha1').update(WINDOW_SCRIPT).digest('hex');

/** The few ioredis commands the limiter uses (an ioredis `Redis` satisfies it). */
export interface RedisScripting {
  evalsha(sha: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

export interface RedisRateLimiterOptions {
  /** Key prefix, e.g. `dboard:rl:`. */
  prefix?: string;
  /**
   * Used while Redis cannot answer: limits then hold per replica instead of across them, rather
   * than locking every user out (fail closed) or dropping brute-force protection (fail open).
   */
  fallback?: RateLimiter;
  logger?: Logger;
}

/**
 * Fixed-window limiter shared by every replica through Redis (one counter key per window, expiring
 * with it). Same semantics as the in-memory one: the `limit`-th hit of a window is allowed, the
 * next is not, until the window that began with the first hit ends.
 */
export function createRedisRateLimiter(redis: RedisScripting, opts: RedisRateLimiterOptions = {}): RateLimiter {
  const prefix = opts.prefix ?? 'dboard:rl:';
  const fallback = opts.fallback ?? createMemoryRateLimiter();
  let warnedAt = 0;
  const run = async (key: string, windowMs: number) => {
    try {
      return await redis.evalsha(WINDOW_SCRIPT_SHA, 1, key, windowMs);
    } catch (err) {
      // First use on this Redis (or after a restart or SCRIPT FLUSH): send the script itself.
      if (!String(err).includes('NOSCRIPT')) throw err;
      return redis.eval(WINDOW_SCRIPT, 1, key, windowMs);
    }
  };
  return {
    async consume(key, limit, windowMs) {
      let reply: unknown;
      try {
        reply = await run(prefix + key, windowMs);
      } catch (err) {
        if (Date.now() - warnedAt > 10_000) {
          warnedAt = Date.now();
          opts.logger?.warn({ err: String(err) }, 'rate limiter: Redis unavailable, limiting per replica meanwhile');
        }
        return fallback.consume(key, limit, windowMs);
      }
      const [count, ttl] = reply as [number, number];
      return { allowed: count <= limit, retryAfter: Math.max(1, Math.ceil(ttl / 1000)) };
    },
  };
}
