/**
 * Early form feedback with the shared zod validators (schema/validators.ts): the same rules the
 * server enforces, turned into one message per field before anything is sent.
 */
import type { z } from 'zod';

export type FieldErrors = Record<string, string>;

export type Validated<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/**
 * Validates `input` with `schema`. Errors are keyed by the top-level field; the first issue per
 * field wins. `messages` replaces zod's wording for a field (for rules whose default text reads
 * like a developer message).
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown, messages: Record<string, string> = {}): Validated<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '_');
    errors[field] ??= messages[field] ?? issue.message;
  }
  return { ok: false, errors };
}
