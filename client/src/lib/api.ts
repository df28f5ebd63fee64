/**
 * The REST client: one `request` wrapper that speaks the server's JSON contract (docs/api.md) and
 * turns every failure into an `ApiError`, plus one typed method per endpoint. Components get an
 * instance through `ApiContext` (see apiContext.ts), never by importing a singleton, so tests and
 * other hosts can hand in their own.
 */
import type { BoardSummary, InviteInfo, Member, MemberListing, PublicUser, Role } from '@delivery-board/schema/types';
import type { Booking, BookingAction, BookingStatus } from '@delivery-board/schema/bookings';

/** A failed API call: the server's `{error: {code, message}}`, or a local stand-in for it. */
export class ApiError extends Error {
  /** HTTP status; 0 when the server could not be reached at all. */
  readonly status: number;
  readonly code: string;
  /** The whole error body, for answers that carry more than the message (a 409's current `booking`). */
  readonly body: unknown;

  constructor(status: number, code: string, message: string, body?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.body = body;
  }

  /** The current booking sent with a 409 from the transitions endpoint, if any. */
  get booking(): Booking | null {
    const b = (this.body as { booking?: unknown } | null)?.booking;
    return b && typeof b === 'object' ? (b as Booking) : null;
  }

  /** True when the request never got an answer (offline, server down, DNS...). */
  get isNetwork(): boolean {
    return this.status === 0;
  }
}

export interface Me {
  user: PublicUser;
  boards: BoardSummary[];
}

export interface BoardInfo {
  board: { id: string; name: string; createdAt: number };
  role: Role;
}

export interface CreatedInvite {
  id: string;
  token: string;
  url: string;
  role: Role;
  expiresAt: number;
  maxUses: number | null;
}

export interface InvitePreview {
  boardName: string;
  role: Role;
  expiresAt: number;
  /** The signed-in caller's role on that board already, or null. */
  memberRole: Role | null;
}

export interface TransitionRequest {
  action: BookingAction;
  intentId: string;
  note?: string;
  driverId?: string;
}

export interface TimelineEntry {
  id: number;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  actorName: string | null;
  /** The driver holding the card after a booking transition (who it was assigned to), else null. */
  driverName?: string | null;
  note: string | null;
  at: number;
}

export interface PrivateDetails {
  recipientName: string;
  phone: string;
  accessNotes: string;
  updatedBy: string | null;
  updatedAt: number | null;
}

export interface TrackingLink {
  id: string;
  createdAt: number;
}

export interface TrackingInfo {
  title: string;
  status: BookingStatus;
  /** The driver's first name, or null. */
  driver: string | null;
  updatedAt: number | null;
  /** Oldest first. */
  timeline: { status: BookingStatus; at: number; driver: string | null }[];
}

export type Fetch = typeof globalThis.fetch;

function networkError(): ApiError {
  return new ApiError(0, 'network_error', "Can't reach the server. Check your connection and try again.");
}

async function errorFrom(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON (a proxy's error page, an empty body): fall through to the generic message.
  }
  const err = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (err && typeof err.code === 'string' && typeof err.message === 'string') {
    return new ApiError(res.status, err.code, err.message, body);
  }
  // A proxy or load balancer answering for a server that is down: as good as no network, so the
  // app falls back to its device copies (session cache, boards in IndexedDB).
  if (res.status === 502 || res.status === 503 || res.status === 504) return networkError();
  return new ApiError(res.status, 'http_error', `The server answered with an error (${res.status}). Please try again.`);
}

/**
 * Builds the API client. `base` is prepended to every path (empty: same origin); `fetchImpl`
 * defaults to the global fetch, bound late so tests can swap it.
 */
export function makeApi(base = '', fetchImpl?: Fetch) {
  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const init: RequestInit = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
    if (body !== undefined) {
      init.headers = { ...init.headers, 'Content-Type': 'application/json' };
      init.body = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await (fetchImpl ?? globalThis.fetch)(base + path, init);
    } catch {
      throw networkError();
    }
    if (!res.ok) throw await errorFrom(res);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  const enc = encodeURIComponent;
  const cardPath = (boardId: string, cardId: string) => `/api/boards/${enc(boardId)}/cards/${enc(cardId)}`;

  return {
    request,

    register: (input: { email: string; password: string; name: string }) =>
      request<{ user: PublicUser }>('POST', '/api/auth/register', input),
    login: (input: { email: string; password: string }) => request<{ user: PublicUser }>('POST', '/api/auth/login', input),
    logout: () => request<void>('POST', '/api/auth/logout'),
    me: () => request<Me>('GET', '/api/me'),

    createBoard: (name: string) => request<BoardSummary>('POST', '/api/boards', { name }),
    board: (boardId: string) => request<BoardInfo>('GET', `/api/boards/${enc(boardId)}`),

    members: (boardId: string) => request<{ members: MemberListing[] }>('GET', `/api/boards/${enc(boardId)}/members`),
    setMemberRole: (boardId: string, userId: string, role: Role) =>
      request<{ member: Member }>('PATCH', `/api/boards/${enc(boardId)}/members/${enc(userId)}`, { role }),
    removeMember: (boardId: string, userId: string) =>
      request<void>('DELETE', `/api/boards/${enc(boardId)}/members/${enc(userId)}`),

    invites: (boardId: string) => request<{ invites: InviteInfo[] }>('GET', `/api/boards/${enc(boardId)}/invites`),
    createInvite: (boardId: string, input: { role: Role; expiresInHours?: number; maxUses?: number }) =>
      request<CreatedInvite>('POST', `/api/boards/${enc(boardId)}/invites`, input),
    revokeInvite: (boardId: string, inviteId: string) =>
      request<void>('DELETE', `/api/boards/${enc(boardId)}/invites/${enc(inviteId)}`),

    invite: (token: string) => request<InvitePreview>('GET', `/api/invites/${enc(token)}`),
    acceptInvite: (token: string) => request<{ boardId: string; role: Role }>('POST', `/api/invites/${enc(token)}/accept`),

    transition: (boardId: string, cardId: string, body: TransitionRequest) =>
      request<{ booking: Booking }>('POST', `${cardPath(boardId, cardId)}/transitions`, body),
    timeline: (boardId: string, cardId: string) => request<{ timeline: TimelineEntry[] }>('GET', `${cardPath(boardId, cardId)}/timeline`),
    privateDetails: (boardId: string, cardId: string) => request<{ details: PrivateDetails }>('GET', `${cardPath(boardId, cardId)}/private`),
    savePrivateDetails: (boardId: string, cardId: string, input: { recipientName?: string; phone?: string; accessNotes?: string }) =>
      request<{ details: PrivateDetails }>('PUT', `${cardPath(boardId, cardId)}/private`, input),
    trackingLinks: (boardId: string, cardId: string) => request<{ links: TrackingLink[] }>('GET', `${cardPath(boardId, cardId)}/tracking`),
    createTrackingLink: (boardId: string, cardId: string) =>
      request<{ id: string; token: string; url: string; createdAt?: number }>('POST', `${cardPath(boardId, cardId)}/tracking`),
    revokeTrackingLink: (boardId: string, cardId: string, linkId: string) =>
      request<void>('DELETE', `${cardPath(boardId, cardId)}/tracking/${enc(linkId)}`),
    track: (token: string) => request<TrackingInfo>('GET', `/api/track/${enc(token)}`),
  };
}

export type Api = ReturnType<typeof makeApi>;

/** The message to show for any thrown value (ApiError or not). */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error && err.message) return err.message;
  return 'Something went wrong. Please try again.';
}
