// GET /api/equity: the paper trader's, each active arena member's and the benchmarks' curves, with markers.
import { join } from 'node:path';
import type { Hono } from 'hono';
import { ArenaStateSchema, arenaPaths } from '../../lifecycle/arena/index.js';
import { DEPLOYMENT_HISTORY_FILE, HistoryEntrySchema } from '../../lifecycle/deployer/index.js';
import { EquityLineSchema, paperPaths } from '../../lifecycle/paper/index.js';
import { EquityResponseSchema, type Problem } from '../api-schemas.js';
import type { ApiContext } from '../context.js';
import { buildEquitySeries } from '../equity-series.js';
import { parsePage } from '../paging.js';
import { sendJson } from '../respond.js';
import { readJournalEntries, readStateFile } from '../state-readers.js';
import { inferTimeframeMs } from '../timeframe.js';

export const EQUITY_POINTS = { defaultLimit: 5000, maxLimit: 100_000 } as const;

export function registerEquityRoutes(app: Hono, ctx: ApiContext): void {
  app.get('/api/equity', (c) => {
    const { limit } = parsePage({ limit: c.req.query('limit') }, EQUITY_POINTS);
    const problems: Problem[] = [];
    const paper = readJournalEntries(paperPaths(ctx.root).equity, EquityLineSchema, problems);
    const arena = readStateFile(arenaPaths(ctx.root).state, ArenaStateSchema, problems);
    const history = readJournalEntries(join(ctx.root, DEPLOYMENT_HISTORY_FILE), HistoryEntrySchema, problems);
    const timeframeMs = inferTimeframeMs(
      arena,
      paper.slice(0, 50).map((l) => l.ts),
    );
    const series = buildEquitySeries({ paper, arena, history, timeframeMs, limit });
    return sendJson(c, EquityResponseSchema, { ...series, problems });
  });
}
