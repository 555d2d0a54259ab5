// GET /api/studies and /api/studies/:name/trials: the study storage, read-only.
import type { Hono } from 'hono';
import { HybridTraderError } from '../../core/errors.js';
import { type Problem, StudiesResponseSchema, TrialsPageSchema } from '../api-schemas.js';
import type { ApiContext } from '../context.js';
import { parsePage, slicePage } from '../paging.js';
import { sendError, sendJson } from '../respond.js';
import { tryReadingAsync } from '../state-readers.js';
import { listStudies, studyTrials } from '../study-catalog.js';

export const TRIALS_PAGE = { defaultLimit: 500, maxLimit: 5000 } as const;

export function registerStudyRoutes(app: Hono, ctx: ApiContext): void {
  app.get('/api/studies', async (c) => {
    const problems: Problem[] = [];
    const studies = await tryReadingAsync(ctx.studies.file, problems, [], () =>
      ctx.studies.read([], listStudies),
    );
    return sendJson(c, StudiesResponseSchema, { studies, problems });
  });

  app.get('/api/studies/:name/trials', async (c) => {
    const name = c.req.param('name');
    // only ever a bound SQL parameter; the bound keeps absurd requests cheap
    if (name.length === 0 || name.length > 200)
      return sendError(c, 400, 'study name must have 1 to 200 characters');
    const page = parsePage(c.req.query(), TRIALS_PAGE);
    let trials: Awaited<ReturnType<typeof studyTrials>>;
    try {
      trials = await ctx.studies.read(null, (storage) => studyTrials(storage, name));
    } catch (error) {
      if (error instanceof HybridTraderError)
        return sendError(c, 503, `study storage cannot be read: ${error.message}`);
      throw error;
    }
    if (trials === null) return sendError(c, 404, `no study named ${JSON.stringify(name)}`);
    const { entries, ...rest } = slicePage(trials, page);
    return sendJson(c, TrialsPageSchema, { ...rest, trials: entries });
  });
}
