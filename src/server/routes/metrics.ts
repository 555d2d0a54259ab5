// GET /metrics: the Prometheus text exposition, read from the state files at scrape time.
import type { Hono } from 'hono';
import type { ApiContext } from '../context.js';
import { createMetrics, METRICS_CONTENT_TYPE } from '../metrics.js';
import { readMetricsSnapshot } from '../metrics-snapshot.js';

export function registerMetricsRoute(app: Hono, ctx: ApiContext): void {
  const metrics = createMetrics(ctx.version);
  app.get('/metrics', async (c) => {
    const text = await metrics.render(await readMetricsSnapshot(ctx.root, ctx.studies, ctx.now()));
    c.header('Content-Type', METRICS_CONTENT_TYPE);
    c.header('Cache-Control', 'no-store');
    return c.body(text);
  });
}
