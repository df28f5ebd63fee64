/** Hono environment shared by the routes: what middleware puts on the context. */
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { UserRecord } from '../stores/types.ts';

export interface AppEnv {
  Variables: {
    requestId: string;
    user: UserRecord | null;
    sessionToken: string | null;
    maxBodyBytes: number;
  };
}

/** The caller's IP for rate limiting; behind a trusted proxy, the address that proxy saw. */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for');
    const last = forwarded?.split(',').at(-1)?.trim();
    if (last) return last;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // in-process requests (tests) have no socket
  }
}

export function isHttps(c: Context, trustProxy: boolean): boolean {
  if (trustProxy && c.req.header('x-forwarded-proto') === 'https') return true;
  return new URL(c.req.url).protocol === 'https:';
}
