/**
 * Setup (not measured): a coordinator account and board, one driver invite (maxUses = N, split over
 * several invites above the API's 10,000 cap), and N driver accounts that register and accept it.
 * Registration hashes passwords with argon2, so it runs a few at a time.
 */
import type { Agent } from 'node:http';
import { httpJson, mapLimit, sessionCookie } from './http.ts';

export interface Account {
  id: string;
  name: string;
  cookie: string;
}

const PASSWORD = 'correct horse battery staple';

export async function register(agent: Agent, baseUrl: string, name: string, tag: string): Promise<Account> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${tag}@bench.example.org`;
  const res = await httpJson(agent, baseUrl, 'POST', '/api/auth/register', { body: { email, password: PASSWORD, name } });
  if (res.status !== 201) throw new Error(`register ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.user.id, name, cookie: sessionCookie(res) };
}

export async function createBoard(agent: Agent, baseUrl: string, owner: Account, name: string): Promise<string> {
  const res = await httpJson(agent, baseUrl, 'POST', '/api/boards', { cookie: owner.cookie, body: { name } });
  if (res.status !== 201) throw new Error(`create board: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** Registers `count` drivers and adds them to the board through real invites. */
export async function addDrivers(agent: Agent, baseUrl: string, coordinator: Account, boardId: string, count: number, parallel = 6): Promise<Account[]> {
  const tokens: string[] = [];
  for (let left = count; left > 0; left -= 10_000) {
    const res = await httpJson(agent, baseUrl, 'POST', `/api/boards/${boardId}/invites`, {
      cookie: coordinator.cookie,
      body: { role: 'driver', maxUses: Math.min(left, 10_000) },
    });
    if (res.status !== 201) throw new Error(`create invite: ${res.status} ${JSON.stringify(res.body)}`);
    tokens.push(res.body.token);
  }
  const tag = Date.now().toString(36);
  return mapLimit(
    Array.from({ length: count }, (_, i) => i),
    parallel,
    async (i) => {
      const driver = await register(agent, baseUrl, `Driver ${String(i + 1).padStart(4, '0')}`, tag);
      const token = tokens[Math.floor(i / 10_000)]!;
      const res = await httpJson(agent, baseUrl, 'POST', `/api/invites/${token}/accept`, { cookie: driver.cookie });
      if (res.status !== 200 || res.body.role !== 'driver') throw new Error(`accept invite: ${res.status} ${JSON.stringify(res.body)}`);
      return driver;
    },
  );
}
