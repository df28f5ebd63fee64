import { describe, expect, it } from 'vitest';
import { ApiError } from './api.ts';
import { inviteErrorMessage } from './inviteErrorMessage.ts';

const NOT_VALID = 'This invite link is not valid. Check that you copied all of it, or ask for a new one.';

describe('inviteErrorMessage', () => {
  it('calls an unknown or malformed token a link that is not valid', () => {
    expect(inviteErrorMessage(new ApiError(404, 'not_found', 'No such invite'))).toBe(NOT_VALID);
    expect(inviteErrorMessage(new ApiError(400, 'invalid_input', 'Malformed token'))).toBe(NOT_VALID);
  });

  it('ends the reason a link is gone as a sentence before what to do', () => {
    expect(inviteErrorMessage(new ApiError(410, 'invite_revoked', 'This invite link was revoked'))).toBe(
      'This invite link was revoked. Ask a coordinator of the board for a new link.',
    );
    expect(inviteErrorMessage(new ApiError(410, 'invite_expired', 'This invite link has expired.'))).toBe(
      'This invite link has expired. Ask a coordinator of the board for a new link.',
    );
  });

  it('passes anything else through', () => {
    expect(inviteErrorMessage(new ApiError(0, 'offline', "Can't reach the server"))).toBe("Can't reach the server");
  });
});
