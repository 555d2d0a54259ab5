// The server's Hono app: REST API, /metrics and the dashboard, without a socket (tests use app.request).
import { resolve } from 'node:path';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { allowHosts } from './auth.js';
import type { ApiContext } from './context.js';
import { httpFailure } from './http-errors.js';
import { sendError } from './respond.js';
import { registerArenaRoutes } from './routes/arena.js';
import { registerControlRoutes } from './routes/control.js';
import { registerDeploymentRoutes } from './routes/deployment.js';
import { registerEquityRoutes } from './routes/equity.js';
import { registerEventRoutes } from './routes/events.js';
import { registerMetricsRoute } from './routes/metrics.js';
import { registerPaperRoutes } from './routes/paper.js';
import { registerStudyRoutes } from './routes/studies.js';
import { registerWorkerRoutes } from './routes/workers.js';
import { registerWorkspaceRoutes } from './routes/workspace.js';
import { defaultDashboardDir, mountDashboard } from './static.js';
import { DEFAULT_STORAGE_URL, StudyCatalog } from './study-catalog.js';

/** Largest body any request may carry (the control endpoints allow 16 KiB; reads need none). */
export const REQUEST_BODY_LIMIT_BYTES = 16 * 1024;

export interface AppOptions {
  /** The workspace root; resolved to an absolute path. */
  readonly root: string;
  /** Reported by /api/health and the hybrid_trader_info metric. */
  readonly version: string;
  /** Bearer token of the mutating endpoints (the CLI reads HYBRID_TRADER_API_TOKEN); none: they answer 403. */
  readonly token?: string;
  /** Clock, epoch ms (default Date.now). */
  readonly now?: () => number;
  /** Study storage URL (default sqlite:///studies.db under the root). */
  readonly storage?: string;
  /**
   * The study storage to read, when the caller owns it (startServer closes its own with the server); by
   * default one is made from `storage` (a PostgreSQL one then stays open for the app's life).
   */
  readonly studies?: StudyCatalog;
  /** Folder of the built dashboard (default this package's dist/dashboard). */
  readonly dashboardDir?: string;
  /** Host names accepted in the Host header (startServer sets the loopback names); default any. */
  readonly allowedHosts?: readonly string[];
  /** How often /api/events polls the state files (default 1000 ms). */
  readonly eventsPollMs?: number;
  /** Receives errors answered with a 5xx (the caller's logger); the client only sees a short message. */
  readonly onError?: (error: unknown, request: { method: string; path: string }) => void;
}

/** The app for one workspace. Pure of sockets: serve it with startServer, or call `app.request` in tests. */
export function createApp(options: AppOptions): Hono {
  const now = options.now ?? Date.now;
  const ctx: ApiContext = {
    root: resolve(options.root),
    version: options.version,
    token: options.token || undefined,
    now,
    startedAt: now(),
    studies:
      options.studies ?? new StudyCatalog(resolve(options.root), options.storage ?? DEFAULT_STORAGE_URL),
    eventsPollMs: options.eventsPollMs ?? 1000,
  };
  const app = new Hono();
  if (options.allowedHosts) app.use('*', allowHosts(options.allowedHosts));
  app.use(
    '*',
    secureHeaders({
      strictTransportSecurity: false, // plain HTTP on this machine; HSTS would only confuse a later setup
      // the dashboard loads its own script and styles only; no inline script, no framing
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
      },
    }),
  );
  app.use(
    '*',
    bodyLimit({
      maxSize: REQUEST_BODY_LIMIT_BYTES,
      onError: (c) => sendError(c, 413, `the body must not exceed ${REQUEST_BODY_LIMIT_BYTES} bytes`),
    }),
  );

  registerWorkspaceRoutes(app, ctx);
  registerDeploymentRoutes(app, ctx);
  registerPaperRoutes(app, ctx);
  registerArenaRoutes(app, ctx);
  registerStudyRoutes(app, ctx);
  registerWorkerRoutes(app, ctx);
  registerEquityRoutes(app, ctx);
  registerControlRoutes(app, ctx);
  registerEventRoutes(app, ctx);
  registerMetricsRoute(app, ctx);
  const dashboardDir = options.dashboardDir;
  mountDashboard(app, dashboardDir === undefined ? defaultDashboardDir : () => dashboardDir);

  app.notFound((c) =>
    c.req.path.startsWith('/api/') ? sendError(c, 404, 'not found') : c.text('not found\n', 404),
  );
  app.onError((error, c) => {
    const failure = httpFailure(error);
    if (failure.log) options.onError?.(error, { method: c.req.method, path: c.req.path });
    return sendError(c, failure.status, failure.message);
  });
  return app;
}
