/** Types shared by server and client: the external contract's shapes. */

export const ROLES = ['coordinator', 'driver', 'requester', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Roles whose sync connections may write the board document. */
export const WRITER_ROLES: readonly Role[] = ['coordinator', 'driver', 'requester'];

/** Roles that may claim, pick up and deliver (schema/bookings.ts `decide`). */
export const DELIVERY_ROLES: readonly Role[] = ['driver', 'coordinator'];

/** Higher may do more. Following an invite never lowers a member's role (docs/api.md). */
export const ROLE_RANK: Record<Role, number> = { viewer: 0, requester: 1, driver: 2, coordinator: 3 };

export interface PublicUser {
  id: string;
  email: string;
  name: string;
}

export interface BoardSummary {
  id: string;
  name: string;
  role: Role;
}

export interface Member {
  userId: string;
  name: string;
  email: string;
  role: Role;
  joinedAt: number;
}

/** A member as the Members page lists them: with how many deliveries they hold (claimed or picked up). */
export interface MemberListing extends Member {
  holding: number;
}

export interface InviteInfo {
  id: string;
  role: Role;
  expiresAt: number;
  maxUses: number | null;
  uses: number;
  createdAt: number;
}

export interface ApiErrorBody {
  error: { code: string; message: string };
}

/** Websocket close codes used by the sync endpoints (mirroring HTTP statuses). */
export const CloseCode = {
  badFrame: 4400,
  noSession: 4401,
  forbidden: 4403,
  unknownBoard: 4404,
  frameTooLarge: 4413,
  /** The member's role changed; the client reconnects (outside 4400-4499) and re-reads its role. */
  roleChanged: 4001,
  /** Server shutting down or restarting; clients reconnect. */
  goingAway: 1012,
} as const;
