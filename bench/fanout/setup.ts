/**
 * Per-target board setup. Ours: accounts and boards through the REST API (docs/api.md) of replica 1
 * (with several replicas the sessions and boards are in the shared database); every
 * client of a board shares its coordinator's session cookie. The server allows 20 registrations per
 * IP per hour by default (REGISTER_LIMIT_PER_IP_PER_HOUR, left at its default here; with Redis the
 * count is shared by the replicas under the run's REDIS_PREFIX, which is fresh per run), so at most
 * 20 accounts are registered and, beyond 20 boards, an account owns several boards. The reference server has no auth: rooms are the board names.
 */
import { defaultLimits } from '../../server/src/auth/rateLimiter.ts';
import type { RunningTarget } from './servers.ts';

export interface BoardTarget {
  name: string;
  /** Room name for y-websocket. */
  room: string;
  cookie: string | null;
  /** The coordinator the cookie signs in; null without auth. */
  userId: string | null;
}

export const boardName = (b: number) => `bench-board-${b}`;

async function post(url: string, body: unknown, cookie?: string): Promise<{ status: number; json: any; setCookie: string | null }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, setCookie: res.headers.get('set-cookie') };
}

export async function setupBoards(target: RunningTarget, boards: number): Promise<BoardTarget[]> {
  if (target.name === 'reference') {
    return Array.from({ length: boards }, (_, b) => ({ name: boardName(b), room: boardName(b), cookie: null, userId: null }));
  }
  const accounts = Math.min(boards, defaultLimits.registerPerIpPerHour);
  const stamp = Date.now();
  const accountsMade: Array<{ cookie: string; userId: string }> = [];
  for (let u = 0; u < accounts; u++) {
    const res = await post(`${target.httpUrl}/api/auth/register`, {
      email: `bench.coordinator.${u}.${stamp}@example.org`,
      password: 'bench password 1234',
      name: `Bench coordinator ${u}`,
    });
    if (res.status !== 201 || !res.setCookie) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.json)}`);
    accountsMade.push({ cookie: res.setCookie.split(';')[0]!, userId: res.json.user.id });
  }
  const out: BoardTarget[] = [];
  for (let b = 0; b < boards; b++) {
    const { cookie, userId } = accountsMade[b % accounts]!;
    const res = await post(`${target.httpUrl}/api/boards`, { name: boardName(b) }, cookie);
    if (res.status !== 201) throw new Error(`create board failed: ${res.status} ${JSON.stringify(res.json)}`);
    out.push({ name: boardName(b), room: res.json.id, cookie, userId });
  }
  return out;
}
