/**
 * The one place errors become responses: handlers throw `ApiError` (or let zod/JSON failures be
 * turned into one by `readJson`), and `errorHandler` renders `{error: {code, message}}`.
 * Anything unexpected is logged with the request id and answered with a generic 500.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const unauthenticated = () => new ApiError(401, 'unauthenticated', 'Sign in to continue');
export const forbidden = (message = 'Your role does not allow this') => new ApiError(403, 'forbidden', message);
export const notFound = (what = 'Resource') => new ApiError(404, 'not_found', `${what} not found`);

export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}

export function makeErrorHandler(logger: Logger) {
  return (err: Error, c: Context) => {
    if (err instanceof ApiError) {
      for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
      return c.json(errorBody(err.code, err.message), err.status);
    }
    // Hono's own HTTPException (e.g. from bodyLimit) carries a status; keep it, give it a code.
    const status = (err as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return c.json(errorBody('bad_request', err.message || 'Bad request'), status as ContentfulStatusCode);
    }
    logger.error({ err, requestId: c.get('requestId') }, 'unhandled error');
    return c.json(errorBody('internal', 'Something went wrong on our side'), 500);
  };
}
