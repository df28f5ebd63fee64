/**
 * Every action × state × role through the HTTP API of a real server, against the hand-written table
 * in table.ts (not against `decide`). One card per cell: its state is built with API calls, then the
 * cell's single request is made and its status and body checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Booking, BookingAction } from '@delivery-board/schema/bookings';
import { bookingsMap } from '../../src/bookings/bookingService.ts';
import { CELLS, RESULT, STATE_STATUS, type RoleKey, type StateKey } from './table.ts';
import { boardWith, bootServer, createCards, must, openProvider, pool, transition, waitFor, type Booted, type TestUser } from './harness.ts';

let boot: Booted;
let boardId: string;
let coordinator: TestUser;
let people: Record<'D' | 'E' | 'F' | 'R' | 'Q' | 'V', TestUser>;
let actorOf: Record<RoleKey, TestUser>;
/** cell index → card id, and the booking the card had before the cell's request */
const cardOf: string[] = [];
const before: Booking[] = [];
/** cell index → the reply to the cell's request */
const replies: { status: number; body: any }[] = [];

/** API calls that put a fresh card into `state`. */
async function build(state: StateKey, cardId: string): Promise<Booking> {
  const { url } = boot;
  const steps: [TestUser, BookingAction][] = {
    open: [],
    claimed_me: [[people.D, 'claim']],
    claimed_other: [[people.E, 'claim']],
    picked_up: [[people.D, 'claim'], [people.D, 'pickup']],
    delivered: [[people.D, 'claim'], [people.D, 'pickup'], [people.D, 'deliver']],
    cancelled: [[coordinator, 'cancel']],
  }[state] as [TestUser, BookingAction][];
  let b: Booking = { cardId, status: 'open', driverId: null, driverName: null, byId: null, at: 0, version: 0 };
  for (const [user, action] of steps) b = await must(url, user, boardId, cardId, action);
  return b;
}

beforeAll(async () => {
  boot = await bootServer();
  const board = await boardWith(boot.url, {
    D: { name: 'Dana Driver', role: 'driver' },
    E: { name: 'Eli Otherdriver', role: 'driver' },
    F: { name: 'Fay Thirddriver', role: 'driver' },
    R: { name: 'Rae Requester', role: 'requester' },
    Q: { name: 'Quin Requester', role: 'requester' },
    V: { name: 'Val Viewer', role: 'viewer' },
  });
  ({ boardId, coordinator } = board);
  people = board.users;
  actorOf = {
    viewer: people.V,
    requester_own: people.R,
    requester_other: people.Q,
    driver_me: people.D,
    driver_other: people.F,
    coordinator,
  };
  // The requester R creates every card, through their own y-websocket client.
  const ids = await createCards(
    boot.url,
    boardId,
    people.R,
    CELLS.map((c, i) => `#${i} ${c.action}/${c.role}/${c.state}`),
  );
  ids.forEach((id, i) => (cardOf[i] = id));
  const built = await pool(CELLS, 16, (cell, i) => build(cell.state, cardOf[i]!));
  built.forEach((b, i) => (before[i] = b));
}, 60_000);

afterAll(() => boot?.stop());

describe('transition table over HTTP (action × state × role)', () => {
  it('the states were built as the table names them', () => {
    CELLS.forEach((cell, i) => {
      const want = STATE_STATUS[cell.state];
      expect(before[i]!.status).toBe(want.status);
      if (want.holder) expect(before[i]!.driverId).toBe(people[want.holder].id);
    });
  });

  it.each(CELLS.map((c, i) => ({ ...c, i })))('$action by $role on $state → $expected', async ({ action, role, state, expected, i }) => {
    const actor = actorOf[role];
    const cardId = cardOf[i]!;
    const res = await transition(boot.url, actor, boardId, cardId, action, action === 'assign' ? { driverId: people.D.id } : {});
    replies[i] = res;
    expect(res.status, JSON.stringify(res.body)).toBe(expected);
    const prior = before[i]!;
    if (expected === 200) {
      const r = RESULT[action];
      const holder = r.holder === 'actor' ? actor : r.holder === 'D' ? people.D : r.holder === 'keep' ? people[STATE_STATUS[state].holder!] : null;
      expect(res.body.booking).toMatchObject({
        cardId,
        status: r.status,
        driverId: holder?.id ?? null,
        driverName: holder?.name ?? null,
        version: prior.version + 1,
      });
      expect(res.body.booking!.at).toBeGreaterThanOrEqual(prior.at);
    } else if (expected === 409) {
      expect(res.body.error?.code).toBe('conflict');
      expect(typeof res.body.error?.message).toBe('string');
      // the current booking: who holds it, since when
      expect(res.body.booking).toEqual(prior);
    } else {
      expect(res.body.error?.code).toBe('forbidden');
      expect(res.body.booking).toBeUndefined();
    }
  });

  it('the bookings document agrees with every outcome (refusals changed nothing)', async () => {
    const client = openProvider(boot.url, `${boardId}/bookings`, coordinator);
    try {
      const map = bookingsMap(client.doc);
      const want = CELLS.map((cell, i) => {
        const ok = replies[i]?.status === 200;
        return ok ? replies[i]!.body.booking : before[i]!;
      });
      await waitFor(
        () => client.provider.synced && want.every((b, i) => (b.version === 0 ? !map.has(cardOf[i]!) : map.get(cardOf[i]!)?.version === b.version)),
        10_000,
        'bookings document to converge',
      );
      want.forEach((b, i) => {
        if (b.version === 0) return;
        expect(map.get(cardOf[i]!), `cell #${i}`).toEqual(b);
      });
    } finally {
      client.destroy();
    }
  });
});
