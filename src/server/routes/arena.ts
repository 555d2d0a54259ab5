// GET /api/arena, /api/arena/leaderboard, /api/arena/candidate: the arena's state, ranking and candidate.

import type { Hono } from 'hono';
import { ArenaStateSchema, arenaPaths, PromotionCandidateSchema } from '../../lifecycle/arena/index.js';
import { readLeaderboard } from '../../runtime/workspace-status.js';
import {
  ArenaResponseSchema,
  CandidateResponseSchema,
  LeaderboardResponseSchema,
  type Problem,
} from '../api-schemas.js';
import type { ApiContext } from '../context.js';
import { benchmarkRows, leaderRows } from '../leaderboard-rows.js';
import { sendJson } from '../respond.js';
import { readStateFile, tryReading } from '../state-readers.js';

export function registerArenaRoutes(app: Hono, ctx: ApiContext): void {
  app.get('/api/arena', (c) => {
    const problems: Problem[] = [];
    const state = readStateFile(arenaPaths(ctx.root).state, ArenaStateSchema, problems);
    return sendJson(c, ArenaResponseSchema, { state, problems });
  });

  app.get('/api/arena/leaderboard', (c) => {
    const problems: Problem[] = [];
    const state = readStateFile(arenaPaths(ctx.root).state, ArenaStateSchema, problems);
    const text = tryReading(arenaPaths(ctx.root).leaderboard, problems, null, () =>
      readLeaderboard(ctx.root),
    );
    return sendJson(c, LeaderboardResponseSchema, {
      text,
      rows: leaderRows(state),
      benchmarks: benchmarkRows(state),
      problems,
    });
  });

  app.get('/api/arena/candidate', (c) => {
    const problems: Problem[] = [];
    const candidate = readStateFile(arenaPaths(ctx.root).candidate, PromotionCandidateSchema, problems);
    return sendJson(c, CandidateResponseSchema, { candidate, problems });
  });
}
