// Every JSON answer goes through here: validated by its zod schema on the way out, errors as {error}.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { InvariantError } from '../core/errors.js';
import { formatIssues } from '../core/schema-issues.js';
import type { ErrorBody } from './api-schemas.js';

/**
 * Answers `body` as JSON after validating it with `schema` (the parsed value is sent, so nothing outside
 * the schema leaks). A body that fails is a bug: InvariantError, which the app answers with a 500.
 */
export function sendJson<S extends z.ZodType>(
  c: Context,
  schema: S,
  body: z.input<S>,
  status: ContentfulStatusCode = 200,
): Response {
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new InvariantError(
      'API_RESPONSE_INVALID',
      `${c.req.method} ${c.req.path}: response ${formatIssues(parsed.error, body)}`,
      { path: c.req.path },
    );
  return c.json(parsed.data as object, status);
}

/** An error answer `{error}` with a message meant for the client. */
export function sendError(c: Context, status: ContentfulStatusCode, message: string): Response {
  const body: ErrorBody = { error: message };
  return c.json(body, status);
}
