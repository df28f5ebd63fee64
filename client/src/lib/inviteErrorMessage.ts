import { ApiError, errorMessage } from './api.ts';

/**
 * What to tell someone whose invite link can't be used. A token the server doesn't know (404) and
 * one that can't be a token at all (400: cut short, or a full stop pasted with it from a sentence)
 * both mean the link was mangled; the server's "Malformed token" would not tell a volunteer that.
 */
export function inviteErrorMessage(err: unknown): string {
  if (err instanceof ApiError && (err.status === 404 || (err.status === 400 && err.code === 'invalid_input'))) {
    return 'This invite link is not valid. Check that you copied all of it, or ask for a new one.';
  }
  if (err instanceof ApiError && err.status === 410) return `${sentence(err.message)} Ask a coordinator of the board for a new link.`;
  return errorMessage(err);
}

const sentence = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);
