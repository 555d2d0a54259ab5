// GET /api/studies and /api/studies/:name/trials: the study storage, read-only.
import type { Hono } from 'hono';
import { HybridTraderError } from '../../core/errors.js';
import { type Problem, StudiesResponseSchema, TrialsPageSchema } from '../api-schemas.js';
import type { ApiContext } from '../context.js';
import { parsePage, slicePage } from '../paging.js';
import { sendError, sendJson } from '../respond.js';
import { tryReading } from '../state-readers.js';
import { listStudies, storageFile, studyTrials, withStudyStorage } from '../study-catalog.js';

export const TRIALS_PAGE = { defaultLimit: 500, maxLimit: 5000 } as const;

export function registerStudyRoutes(app: Hono, ctx: ApiContext): void {
  app.get('/api/studies', (c) => {
    const problems: Problem[] = [];
    const studies = tryReading(storageFile(ctx.root, ctx.storageUrl), problems, [], () =>
      withStudyStorage(ctx.root, ctx.storageUrl, [], listStudies),
    );
    return sendJson(c, StudiesResponseSchema, { studies, problems });
  });

  app.get('/api/studies/:name/trials', (c) => {
    const name = c.req.param('name');
    // only ever a bound SQL parameter; the bound keeps absurd requests cheap
    if (name.length === 0 || name.length > 200)
      return sendError(c, 400, 'study name must have 1 to 200 characters');
    const page = parsePage(c.req.query(), TRIALS_PAGE);
    let trials: ReturnType<typeof studyTrials>;
    try {
      trials = withStudyStorage(ctx.root, ctx.storageUrl, null, (storage) => studyTrials(storage, name));
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
