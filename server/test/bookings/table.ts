/**
 * The expected outcome of every action × state × role, written out by hand from docs/api.md
 * ("Bookings, audit, private details, tracking") and ARCHITECTURE.md ("Who decides what").
 * Both the HTTP table test and the unit test of `decide` read it; neither derives it from `decide`.
 *
 * States (the holder is named): `claimed_me` / `picked_up` / `delivered` are held (or were) by the
 * driver under test D, `claimed_other` by another driver E.
 * Roles: `viewer`; `requester_own` created the card, `requester_other` did not; `driver_me` is D;
 * `driver_other` is a third driver F who never holds the card; `coordinator` holds nothing.
 * `assign` always names D as the driver.
 */
import type { BookingAction, BookingStatus } from '@delivery-board/schema/bookings';

export const STATES = ['open', 'claimed_me', 'claimed_other', 'picked_up', 'delivered', 'cancelled'] as const;
export type StateKey = (typeof STATES)[number];

export const ROLES = ['viewer', 'requester_own', 'requester_other', 'driver_me', 'driver_other', 'coordinator'] as const;
export type RoleKey = (typeof ROLES)[number];

export const ACTIONS = ['claim', 'assign', 'release', 'pickup', 'deliver', 'cancel', 'reopen'] as const satisfies readonly BookingAction[];

/** The status a card in each state has, and who holds it. */
export const STATE_STATUS: Record<StateKey, { status: BookingStatus; holder: 'D' | 'E' | null }> = {
  open: { status: 'open', holder: null },
  claimed_me: { status: 'claimed', holder: 'D' },
  claimed_other: { status: 'claimed', holder: 'E' },
  picked_up: { status: 'picked_up', holder: 'D' },
  delivered: { status: 'delivered', holder: 'D' },
  cancelled: { status: 'cancelled', holder: null },
};

/** What a successful action leads to; `holder` 'actor' = the caller, 'D' = the assignee, 'keep' = unchanged. */
export const RESULT: Record<BookingAction, { status: BookingStatus; holder: 'actor' | 'D' | 'keep' | null }> = {
  claim: { status: 'claimed', holder: 'actor' },
  assign: { status: 'claimed', holder: 'D' },
  release: { status: 'open', holder: null },
  pickup: { status: 'picked_up', holder: 'keep' },
  deliver: { status: 'delivered', holder: 'keep' },
  cancel: { status: 'cancelled', holder: null },
  reopen: { status: 'open', holder: null },
};

type Code = 200 | 403 | 409;
//                         open claimed_me claimed_other picked_up delivered cancelled
type Row = [Code, Code, Code, Code, Code, Code];

const F: Row = [403, 403, 403, 403, 403, 403];

export const EXPECTED: Record<BookingAction, Record<RoleKey, Row>> = {
  // driver, coordinator: open → claimed (by the caller)
  claim: {
    viewer: F,
    requester_own: F,
    requester_other: F,
    driver_me: [200, 409, 409, 409, 409, 409],
    driver_other: [200, 409, 409, 409, 409, 409],
    coordinator: [200, 409, 409, 409, 409, 409],
  },
  // coordinator only: open → claimed (by the named driver)
  assign: {
    viewer: F,
    requester_own: F,
    requester_other: F,
    driver_me: F,
    driver_other: F,
    coordinator: [200, 409, 409, 409, 409, 409],
  },
  // the holding driver, coordinator: claimed, picked_up → open
  release: {
    viewer: F,
    requester_own: F,
    requester_other: F,
    driver_me: [409, 200, 409, 200, 409, 409],
    driver_other: [409, 409, 409, 409, 409, 409],
    coordinator: [409, 200, 200, 200, 409, 409],
  },
  // the holding driver: claimed → picked_up (a coordinator could hold a card, so not 403)
  pickup: {
    viewer: F,
    requester_own: F,
    requester_other: F,
    driver_me: [409, 200, 409, 409, 409, 409],
    driver_other: [409, 409, 409, 409, 409, 409],
    coordinator: [409, 409, 409, 409, 409, 409],
  },
  // the holding driver: picked_up → delivered
  deliver: {
    viewer: F,
    requester_own: F,
    requester_other: F,
    driver_me: [409, 409, 409, 200, 409, 409],
    driver_other: [409, 409, 409, 409, 409, 409],
    coordinator: [409, 409, 409, 409, 409, 409],
  },
  // coordinator, the requester who created the card: anything but delivered → cancelled
  // (cancelled → cancelled is not a transition: 409)
  cancel: {
    viewer: F,
    requester_own: [200, 200, 200, 200, 409, 409],
    requester_other: F,
    driver_me: F,
    driver_other: F,
    coordinator: [200, 200, 200, 200, 409, 409],
  },
  // coordinator: cancelled → open
  reopen: {
    viewer: F,
    requester_own: F,
    requester_other: F,
    driver_me: F,
    driver_other: F,
    coordinator: [409, 409, 409, 409, 409, 200],
  },
};

export interface Cell {
  action: BookingAction;
  role: RoleKey;
  state: StateKey;
  expected: Code;
}

export const CELLS: Cell[] = ACTIONS.flatMap((action) =>
  ROLES.flatMap((role) => STATES.map((state, i) => ({ action, role, state, expected: EXPECTED[action][role][i]! }))),
);
