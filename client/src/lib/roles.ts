/** Roles in words: their names and what each may do, for people choosing or accepting one. */
import type { Role } from '@delivery-board/schema/types';

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  coordinator: 'Manages the board: edits cards, members and invites.',
  driver: 'Picks up and delivers; can edit cards.',
  requester: 'Posts delivery requests and edits cards.',
  viewer: 'Can see the board but not change it.',
};

export const ROLE_LABELS: Record<Role, string> = {
  coordinator: 'Coordinator',
  driver: 'Driver',
  requester: 'Requester',
  viewer: 'Viewer',
};
