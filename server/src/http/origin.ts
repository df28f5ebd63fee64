/**
 * Origin checks against cross-site request forgery, for REST and websocket upgrades alike.
 * A request whose Origin is the origin of the Host it was sent to is always allowed; others only
 * when listed. A request without Origin is not from a browser page (browsers send it on every
 * state-changing request and every websocket), so it cannot be a forged cross-site request.
 */
import type { MiddlewareHandler } from 'hono';
import { ApiError } from './errors.ts';

export function isOriginAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (!origin) return true;
  if (allowed.includes(origin)) return true;
  try {
    const url = new URL(origin);
    // What a browser sends is a bare origin: http(s), no user, no path. Either scheme, because
    // behind a TLS-terminating proxy the page is https while this server sees http.
    const bare = (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === origin.toLowerCase();
    return bare && host !== undefined && url.host === host.toLowerCase();
  } catch {
    return false;
  }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function originCheck(allowed: readonly string[]): MiddlewareHandler {
  return async (c, next) => {
    if (!SAFE.has(c.req.method) && !isOriginAllowed(c.req.header('origin'), c.req.header('host') ?? new URL(c.req.url).host, allowed)) {
      throw new ApiError(403, 'bad_origin', 'Cross-site request refused');
    }
    await next();
  };
}
