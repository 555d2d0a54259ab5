// GET /api/positions and /api/trades: the paper trader's portfolio and its fills (paged).
import type { Hono } from 'hono';
import { PaperStateSchema, paperPaths, TradeLineSchema } from '../../lifecycle/paper/index.js';
import { PositionsResponseSchema, type Problem, TradesPageSchema } from '../api-schemas.js';
import type { ApiContext } from '../context.js';
import { parsePage, slicePage } from '../paging.js';
import { sendJson } from '../respond.js';
import { readJournalEntries, readStateFile } from '../state-readers.js';

export const TRADES_PAGE = { defaultLimit: 100, maxLimit: 1000 } as const;

export function registerPaperRoutes(app: Hono, ctx: ApiContext): void {
  app.get('/api/positions', (c) => {
    const problems: Problem[] = [];
    const state = readStateFile(paperPaths(ctx.root).state, PaperStateSchema, problems);
    return sendJson(c, PositionsResponseSchema, { state, problems });
  });

  app.get('/api/trades', (c) => {
    const page = parsePage(c.req.query(), TRADES_PAGE);
    const problems: Problem[] = [];
    const entries = readJournalEntries(paperPaths(ctx.root).trades, TradeLineSchema, problems);
    return sendJson(c, TradesPageSchema, { ...slicePage(entries, page), problems });
  });
}
