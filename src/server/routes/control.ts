// POST /api/control/* (token, body limit, validated body): queue an operator request; GET one by id.
import type { Context, Hono } from 'hono';
import type { z } from 'zod';
import { formatIssues } from '../../core/schema-issues.js';
import { ArenaStateSchema, arenaPaths, isActive } from '../../lifecycle/arena/index.js';
import {
  type ControlAction,
  enqueueControlRequest,
  isValidControlId,
  readControlRequest,
} from '../../lifecycle/control/index.js';
import { lockHolder } from '../../runtime/run-lock.js';
import {
  ControlAcceptedSchema,
  ControlStatusSchema,
  type Problem,
  PromoteBodySchema,
  ReasonBodySchema,
  ServiceBodySchema,
} from '../api-schemas.js';
import { requireToken } from '../auth.js';
import type { ApiContext } from '../context.js';
import { sendError, sendJson } from '../respond.js';
import { readStateFile } from '../state-readers.js';

type Parsed<S extends z.ZodType> = { ok: true; value: z.infer<S> } | { ok: false; response: Response };

/** The JSON body validated by `schema` (an empty body is `{}`), or the 4xx answer naming what is wrong. */
async function readBody<S extends z.ZodType>(c: Context, schema: S): Promise<Parsed<S>> {
  const text = await c.req.text();
  let raw: unknown = {};
  if (text.trim() !== '') {
    if (!/^application\/json\b/i.test(c.req.header('content-type') ?? ''))
      return {
        ok: false,
        response: sendError(c, 415, 'the body must be JSON (Content-Type: application/json)'),
      };
    try {
      raw = JSON.parse(text);
    } catch {
      return { ok: false, response: sendError(c, 400, 'the body is not valid JSON') };
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { ok: false, response: sendError(c, 400, formatIssues(parsed.error, raw)) };
  return { ok: true, value: parsed.data };
}

/** Why `modelId` cannot be promoted from the arena's current state, or null when it is an active challenger. */
function promotionObstacle(ctx: ApiContext, modelId: string): string | null {
  const problems: Problem[] = [];
  const arena = readStateFile(arenaPaths(ctx.root).state, ArenaStateSchema, problems);
  if (problems.length > 0) return `the arena state cannot be read: ${problems[0]!.error}`;
  const member = arena?.models.find((m) => m.modelId === modelId && isActive(m.status));
  if (!member) return `${modelId} is not an active arena member`;
  if (member.role === 'champion-shadow') return `${modelId} is the deployed model (the champion's shadow)`;
  return null;
}

export function registerControlRoutes(app: Hono, ctx: ApiContext): void {
  // the app's body limit (16 KiB) applies to every request; the token is checked before the body is read
  const guard = requireToken(ctx.token);

  const accept = (c: Context, input: Parameters<typeof enqueueControlRequest>[1]) => {
    const request = enqueueControlRequest(ctx.root, input, ctx.now());
    c.header('Location', `/api/control/${request.id}`);
    return sendJson(
      c,
      ControlAcceptedSchema,
      { request, supervisorRunning: lockHolder(ctx.root) !== null },
      202,
    );
  };

  for (const action of ['pause', 'resume'] as const satisfies readonly ControlAction[])
    app.post(`/api/control/${action}`, guard, async (c) => {
      const body = await readBody(c, ServiceBodySchema);
      if (!body.ok) return body.response;
      return accept(c, {
        action,
        service: body.value.service,
        reason: body.value.reason,
        requestedBy: 'api',
      });
    });

  app.post('/api/control/promote', guard, async (c) => {
    const body = await readBody(c, PromoteBodySchema);
    if (!body.ok) return body.response;
    // The deployer re-checks when it applies the request; this answers an obvious mistake at once.
    const obstacle = promotionObstacle(ctx, body.value.modelId);
    if (obstacle !== null) return sendError(c, 409, obstacle);
    return accept(c, {
      action: 'promote',
      modelId: body.value.modelId,
      reason: body.value.reason,
      requestedBy: 'api',
    });
  });

  for (const action of ['demote', 'rollback'] as const satisfies readonly ControlAction[])
    app.post(`/api/control/${action}`, guard, async (c) => {
      const body = await readBody(c, ReasonBodySchema);
      if (!body.ok) return body.response;
      return accept(c, { action, reason: body.value.reason, requestedBy: 'api' });
    });

  app.get('/api/control/:id', (c) => {
    const id = c.req.param('id');
    // checked before it becomes part of a file name
    if (!isValidControlId(id))
      return sendError(c, 400, 'a control request id has 8 to 64 letters, digits or -');
    const found = readControlRequest(ctx.root, id);
    if (found === null) return sendError(c, 404, `no control request ${id}`);
    return sendJson(c, ControlStatusSchema, found);
  });
}
