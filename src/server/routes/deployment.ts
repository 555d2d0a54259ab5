// GET /api/deployment and /api/deployment/history: what is deployed, and every decision (paged).
import { join } from 'node:path';
import type { Hono } from 'hono';
import {
  DEPLOYMENT_HISTORY_FILE,
  DEPLOYMENT_STATE_FILE,
  DeploymentStateSchema,
  HistoryEntrySchema,
} from '../../lifecycle/deployer/index.js';
import { DeploymentResponseSchema, HistoryPageSchema, type Problem } from '../api-schemas.js';
import type { ApiContext } from '../context.js';
import { parsePage, slicePage } from '../paging.js';
import { sendJson } from '../respond.js';
import { readJournalEntries, readStateFile } from '../state-readers.js';

export const HISTORY_PAGE = { defaultLimit: 100, maxLimit: 1000 } as const;

export function registerDeploymentRoutes(app: Hono, ctx: ApiContext): void {
  app.get('/api/deployment', (c) => {
    const problems: Problem[] = [];
    const state = readStateFile(join(ctx.root, DEPLOYMENT_STATE_FILE), DeploymentStateSchema, problems);
    return sendJson(c, DeploymentResponseSchema, { state, problems });
  });

  app.get('/api/deployment/history', (c) => {
    const page = parsePage(c.req.query(), HISTORY_PAGE);
    const problems: Problem[] = [];
    const entries = readJournalEntries(join(ctx.root, DEPLOYMENT_HISTORY_FILE), HistoryEntrySchema, problems);
    return sendJson(c, HistoryPageSchema, { ...slicePage(entries, page), problems });
  });
}
