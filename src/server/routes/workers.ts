// GET /api/workers: the `worker` processes recorded in the studies of the storage (host, pid, trials, heartbeat).
import type { Hono } from 'hono';
import { type Problem, WorkersResponseSchema } from '../api-schemas.js';
import type { ApiContext } from '../context.js';
import { sendJson } from '../respond.js';
import { tryReadingAsync } from '../state-readers.js';
import { studyWorkers } from '../study-catalog.js';

export function registerWorkerRoutes(app: Hono, ctx: ApiContext): void {
  app.get('/api/workers', async (c) => {
    const problems: Problem[] = [];
    const workers = await tryReadingAsync(ctx.studies.file, problems, [], () =>
      ctx.studies.read([], (storage) => studyWorkers(storage, ctx.now())),
    );
    return sendJson(c, WorkersResponseSchema, { workers, problems });
  });
}
