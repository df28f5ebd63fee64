/** Configuration parsing: defaults, and refusals that would otherwise fail silently at run time. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.ts';
import { defaultLimits } from '../src/auth/rateLimiter.ts';

describe('parseConfig', () => {
  it('defaults to SQLite on port 8787 with no relay', () => {
    const c = parseConfig({});
    expect(c.port).toBe(8787);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.redisUrl).toBeUndefined();
    expect(c.allowedOrigins).toEqual([]);
  });

  it('refuses REDIS_URL without Postgres: SQLite is one replica', () => {
    expect(() => parseConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/DATABASE_URL/);
    const c = parseConfig({ REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://u@h/db', REPLICA_ID: 'a-1' });
    expect(c.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(c.replicaId).toBe('a-1');
  });

  it('takes rate limits from the environment, defaulting to defaultLimits', () => {
    expect(parseConfig({}).limits).toEqual(defaultLimits);
    const c = parseConfig({ REGISTER_LIMIT_PER_IP_PER_HOUR: '200', LOGIN_LIMIT_PER_IP_PER_MINUTE: '50', LOGIN_LIMIT_PER_ACCOUNT_PER_15_MIN: '5' });
    expect(c.limits).toEqual({ registerPerIpPerHour: 200, loginPerIpPerMinute: 50, loginPerAccountPer15Min: 5 });
    expect(() => parseConfig({ REGISTER_LIMIT_PER_IP_PER_HOUR: '0' })).toThrow(/REGISTER_LIMIT_PER_IP_PER_HOUR/);
  });

  it('rejects malformed values with a message naming the variable', () => {
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => parseConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/postgres/);
    expect(() => parseConfig({ ALLOWED_ORIGINS: 'https://a.example, https://b.example' }).allowedOrigins).not.toThrow();
  });
});
