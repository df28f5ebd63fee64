/** Server configuration from environment variables: parsed once, at the entry point. */
import { z } from 'zod';
import { resolve } from 'node:path';
import { defaultLimits } from './auth/rateLimiter.ts';

const int = (def: number) => z.coerce.number().int().positive().default(def);
const bool = z
  .enum(['true', 'false', '1', '0', ''])
  .default('false')
  .transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  /** postgres://... selects Postgres (several replicas); unset or empty keeps SQLite in DATA_DIR. */
  DATABASE_URL: z.union([z.literal(''), z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')]).optional(),
  /** redis:// or rediss://: replicas relay sync traffic and share rate limits through it. */
  REDIS_URL: z.union([z.literal(''), z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')]).optional(),
  /** Readable name of this replica in logs and relay messages; a unique suffix is added. */
  REPLICA_ID: z.string().regex(/^[\w.-]{1,64}$/, 'letters, digits, _ . - only').optional(),
  REDIS_PREFIX: z.string().default('dboard:'),
  SYNC_CATCH_UP_MS: int(5000),
  PUBLIC_URL: z.url().optional(),
  /** MapLibre style URL for the map's basemap; unset: the built-in offline style (no tiles). */
  MAP_STYLE_URL: z.url().optional(),
  /** Nominatim-compatible geocoder base URL; unset: no address lookup. */
  GEOCODER_URL: z.url().optional(),
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean)),
  TRUST_PROXY: bool,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MAX_FRAME_BYTES: int(1024 * 1024),
  MAX_BODY_BYTES: int(64 * 1024),
  /** Largest board document (encoded); a 5,000-card board is about 3 MiB. */
  MAX_DOC_BYTES: int(32 * 1024 * 1024),
  DOC_IDLE_MS: int(30_000),
  COMPACT_EVERY_UPDATES: int(500),
  COMPACT_EVERY_MS: int(60_000),
  SHUTDOWN_TIMEOUT_MS: int(10_000),
  /**
   * Attempts allowed before 429 (with REDIS_URL counted across all replicas, else per process).
   * Registrations are counted per address: raise it when volunteers sign up together behind one
   * office or venue address.
   */
  REGISTER_LIMIT_PER_IP_PER_HOUR: int(defaultLimits.registerPerIpPerHour),
  LOGIN_LIMIT_PER_IP_PER_MINUTE: int(defaultLimits.loginPerIpPerMinute),
  LOGIN_LIMIT_PER_ACCOUNT_PER_15_MIN: int(defaultLimits.loginPerAccountPer15Min),
});

export type ServerConfig = ReturnType<typeof parseConfig>;

export function parseConfig(env: Record<string, string | undefined>) {
  const e = envSchema.parse(env);
  // SQLite is one replica: two SQLite replicas joined by a relay would split the data silently.
  if (e.REDIS_URL && !e.DATABASE_URL) throw new Error('REDIS_URL needs DATABASE_URL (Postgres): SQLite serves one replica');
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL || undefined,
    redisUrl: e.REDIS_URL || undefined,
    replicaId: e.REPLICA_ID,
    redisPrefix: e.REDIS_PREFIX,
    catchUpMs: e.SYNC_CATCH_UP_MS,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    client: { mapStyleUrl: e.MAP_STYLE_URL ?? null, geocoderUrl: e.GEOCODER_URL ?? null },
    allowedOrigins: e.ALLOWED_ORIGINS,
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    maxFrameBytes: e.MAX_FRAME_BYTES,
    maxBodyBytes: e.MAX_BODY_BYTES,
    maxDocBytes: e.MAX_DOC_BYTES,
    docIdleMs: e.DOC_IDLE_MS,
    compactEveryUpdates: e.COMPACT_EVERY_UPDATES,
    compactEveryMs: e.COMPACT_EVERY_MS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    limits: {
      registerPerIpPerHour: e.REGISTER_LIMIT_PER_IP_PER_HOUR,
      loginPerIpPerMinute: e.LOGIN_LIMIT_PER_IP_PER_MINUTE,
      loginPerAccountPer15Min: e.LOGIN_LIMIT_PER_ACCOUNT_PER_15_MIN,
    },
  };
}
