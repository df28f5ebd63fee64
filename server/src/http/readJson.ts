/** Reads and validates a JSON body: 415 without a JSON content type, 400 for bad JSON or bad fields. */
import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from './errors.ts';

export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the body as application/json');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await c.req.text());
  } catch {
    throw new ApiError(400, 'invalid_json', 'The body is not valid JSON');
  }
  return validate(schema, raw);
}

/** Validates any input (body, params, query) and turns the first issue into a readable 400. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new ApiError(400, 'invalid_input', `${where}${issue?.message ?? 'invalid input'}`);
  }
  return result.data;
}
