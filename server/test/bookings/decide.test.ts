/** The pure state machine `decide` against the hand-written table (table.ts), cell by cell. */
import { describe, expect, it } from 'vitest';
import { decide, openBooking, type Actor, type Booking } from '@delivery-board/schema/bookings';
import type { Role } from '@delivery-board/schema/types';
import { CELLS, RESULT, STATE_STATUS, type RoleKey, type StateKey } from './table.ts';

const people = {
  D: { id: 'driver-d', name: 'Dana Driver' },
  E: { id: 'driver-e', name: 'Eli Other' },
  F: { id: 'driver-f', name: 'Fay Third' },
  R: { id: 'req-own', name: 'Rae Requester' },
  Q: { id: 'req-other', name: 'Quin Requester' },
  V: { id: 'viewer-v', name: 'Val Viewer' },
  C: { id: 'coord-c', name: 'Cora Coordinator' },
};

const actors: Record<RoleKey, Actor> = {
  viewer: { userId: people.V.id, name: people.V.name, role: 'viewer' },
  requester_own: { userId: people.R.id, name: people.R.name, role: 'requester' },
  requester_other: { userId: people.Q.id, name: people.Q.name, role: 'requester' },
  driver_me: { userId: people.D.id, name: people.D.name, role: 'driver' },
  driver_other: { userId: people.F.id, name: people.F.name, role: 'driver' },
  coordinator: { userId: people.C.id, name: people.C.name, role: 'coordinator' },
};

function booking(state: StateKey): Booking {
  const { status, holder } = STATE_STATUS[state];
  if (state === 'open') return openBooking('card-1');
  const h = holder ? people[holder] : null;
  // delivered keeps the driver on the booking, cancelled does not
  return { cardId: 'card-1', status, driverId: h?.id ?? null, driverName: h?.name ?? null, byId: h?.id ?? null, at: 1000, version: 3 };
}

const context = { cardCreatedBy: people.R.id, assignee: { id: people.D.id, name: people.D.name } };

describe('decide (pure state machine) matches the table', () => {
  it.each(CELLS)('$action by $role on $state → $expected', ({ action, role, state, expected }) => {
    const actor = actors[role];
    const d = decide(booking(state), action, actor, context);
    const got = d.ok ? 200 : d.kind === 'forbidden' ? 403 : 409;
    expect(got, d.ok ? 'ok' : d.message).toBe(expected);
    if (d.ok) {
      const r = RESULT[action];
      expect(d.status).toBe(r.status);
      const before = booking(state);
      const holderId = r.holder === 'actor' ? actor.userId : r.holder === 'D' ? people.D.id : r.holder === 'keep' ? before.driverId : null;
      expect(d.driverId).toBe(holderId);
    } else {
      expect(d.message.length).toBeGreaterThan(0);
    }
  });

  it('a card with no title cannot be claimed or assigned yet (409 card_untitled); everything else is as titled', () => {
    const untitled = { ...context, cardTitled: false };
    for (const action of ['claim', 'assign'] as const) {
      for (const role of ['driver_me', 'coordinator'] as const) {
        const d = decide(openBooking('c'), action, actors[role], untitled);
        if (action === 'assign' && role === 'driver_me') expect(d).toMatchObject({ ok: false, kind: 'forbidden' });
        else expect(d).toMatchObject({ ok: false, kind: 'conflict', code: 'card_untitled' });
      }
    }
    // A held card stays busy (who holds it matters more), and other actions do not need a title.
    expect(decide(booking('claimed_other'), 'claim', actors.driver_me, untitled)).toMatchObject({ ok: false, kind: 'conflict' });
    expect(decide(booking('claimed_other'), 'claim', actors.driver_me, untitled)).not.toHaveProperty('code');
    expect(decide(booking('claimed_me'), 'release', actors.driver_me, untitled).ok).toBe(true);
    expect(decide(openBooking('c'), 'cancel', actors.coordinator, untitled).ok).toBe(true);
  });

  it('assign without a driver member is refused, never a transition', () => {
    const d = decide(openBooking('c'), 'assign', actors.coordinator, { cardCreatedBy: null });
    expect(d.ok).toBe(false);
  });

  it('a requester who did not create the card cannot cancel it, even with no author known', () => {
    const d = decide(openBooking('c'), 'cancel', actors.requester_own, { cardCreatedBy: null });
    expect(d).toMatchObject({ ok: false, kind: 'forbidden' });
  });

  it('a driver who created the card still may not cancel it (only requesters and coordinators)', () => {
    const d = decide(openBooking('c'), 'cancel', actors.driver_me, { cardCreatedBy: people.D.id });
    expect(d).toMatchObject({ ok: false, kind: 'forbidden' });
  });

  it('a coordinator holding a card may pick it up and deliver it', () => {
    const held: Booking = { cardId: 'c', status: 'claimed', driverId: people.C.id, driverName: people.C.name, byId: people.C.id, at: 1, version: 1 };
    const p = decide(held, 'pickup', actors.coordinator, { cardCreatedBy: null });
    expect(p).toMatchObject({ ok: true, status: 'picked_up', driverId: people.C.id });
    const d = decide({ ...held, status: 'picked_up' }, 'deliver', actors.coordinator, { cardCreatedBy: null });
    expect(d).toMatchObject({ ok: true, status: 'delivered', driverId: people.C.id });
  });

  it('every role gets a decision for every action (no throw, no undefined)', () => {
    const roles: Role[] = ['coordinator', 'driver', 'requester', 'viewer'];
    for (const role of roles)
      for (const cell of CELLS) expect(decide(booking(cell.state), cell.action, { userId: 'x', name: 'X', role }, context)).toBeDefined();
  });
});
