/**
 * Minimal JSON-over-HTTP client on node:http with a keep-alive Agent (cheaper per request than
 * fetch, so the load generator stays light). Each request carries its own session cookie, so many
 * drivers share one connection pool. Every request has a timeout.
 */
import { Agent, request } from 'node:http';

export interface JsonResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

export function keepAliveAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'fifo' });
}

export function httpJson(
  agent: Agent,
  baseUrl: string,
  method: string,
  path: string,
  opts: { cookie?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<JsonResponse> {
  const url = new URL(path, baseUrl);
  const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
  const headers: Record<string, string | number> = { accept: 'application/json' };
  if (opts.cookie) headers.cookie = opts.cookie;
  if (payload) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = payload.length;
  }
  return new Promise((resolve, reject) => {
    const req = request(
      { agent, host: url.hostname, port: url.port, method, path: url.pathname + url.search, headers, timeout: opts.timeoutMs ?? 15_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${opts.timeoutMs ?? 15_000} ms: ${method} ${path}`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** `session=...` from a Set-Cookie header. */
export function sessionCookie(res: JsonResponse): string {
  const raw = res.headers['set-cookie'];
  const first = (Array.isArray(raw) ? raw : raw ? [raw] : []).find((c) => c.startsWith('session='));
  if (!first) throw new Error('no session cookie in response');
  return first.split(';')[0]!;
}

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}
