// GET /api/health and /api/status: is the workspace alive and readable, and what does it hold.
import type { Hono } from 'hono';
import { workspaceConfigCheck } from '../../config/workspace-config.js';
import { readHeartbeat } from '../../runtime/heartbeat.js';
import { readWorkspaceStatus } from '../../runtime/workspace-status.js';
import { HealthSchema, WorkspaceStatusSchema } from '../api-schemas.js';
import type { ApiContext } from '../context.js';
import { sendJson } from '../respond.js';

export function registerWorkspaceRoutes(app: Hono, ctx: ApiContext): void {
  app.get('/api/health', (c) => {
    const nowMs = ctx.now();
    const status = readWorkspaceStatus(ctx.root, nowMs, { config: workspaceConfigCheck(ctx.root) });
    const beat = status.problems.length === 0 ? readHeartbeat(ctx.root) : null;
    const age = status.heartbeatAgeSeconds;
    // A running supervisor must show a heartbeat; on a live feed one younger than two bars, with no
    // service failed or stalled. Without a supervisor nothing is expected.
    const fresh =
      beat !== null && age !== null && (beat.feed === 'replay' || age * 1000 <= 2 * beat.timeframeMs);
    const servicesOk = status.services.every((s) => s.state !== 'failed' && s.state !== 'stalled');
    const alive = status.supervisorPid === null || (fresh && servicesOk);
    return sendJson(c, HealthSchema, {
      ok: status.problems.length === 0 && alive,
      version: ctx.version,
      uptimeSeconds: Math.max(0, (nowMs - ctx.startedAt) / 1000),
      heartbeatAgeSeconds: age,
      lastBarTs: status.lastBarTs,
      supervisorPid: status.supervisorPid,
      problems: status.problems,
    });
  });

  app.get('/api/status', (c) => {
    return sendJson(
      c,
      WorkspaceStatusSchema,
      readWorkspaceStatus(ctx.root, ctx.now(), { config: workspaceConfigCheck(ctx.root) }),
    );
  });
}
