// The dashboard's built files (dist/dashboard/): index.html at `/`, a fixed set of file kinds at /assets/<name>.
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';

/** Content types of the only files served; anything else is not found. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

// One flat folder: a name of safe characters, no separators, no leading dot, no "..".
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$/;

/**
 * The file `/assets/<name>` may serve, or null: the name must be a plain file name of a whitelisted kind,
 * resolve inside `dir`, and be a regular file (not a link). Pure apart from the final lstat.
 */
export function assetPath(dir: string, name: string): string | null {
  if (!ASSET_NAME.test(name) || name.includes('..')) return null;
  if (!Object.hasOwn(CONTENT_TYPES, extname(name).toLowerCase())) return null;
  const base = resolve(dir);
  const path = resolve(base, name);
  const rel = relative(base, path);
  if (rel === '' || rel.startsWith('..') || rel.includes(sep)) return null;
  try {
    return lstatSync(path).isFile() ? path : null;
  } catch {
    return null;
  }
}

/** dist/dashboard of this package, from the built server (dist/src/server) or from the sources (src/server). */
export function defaultDashboardDir(): string {
  const candidates = ['../../dashboard', '../../dist/dashboard'].map((rel) =>
    fileURLToPath(new URL(rel, import.meta.url)),
  );
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[0]!;
}

const MISSING_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>hybrid-trader: dashboard not built</title></head>
<body><h1>The dashboard is not built</h1>
<p>This server found no <code>dist/dashboard/index.html</code>. Build it with <code>npm run build</code>
and reload. The REST API answers meanwhile: <a href="/api/status">/api/status</a>,
<a href="/api/health">/api/health</a>, <a href="/metrics">/metrics</a>.</p></body></html>
`;

/** Serves the dashboard from `dashboardDir()` (looked up per request: a build after start is picked up). */
export function mountDashboard(app: Hono, dashboardDir: () => string): void {
  app.get('/', (c) => {
    const index = join(dashboardDir(), 'index.html');
    c.header('Cache-Control', 'no-cache');
    if (!existsSync(index)) return c.html(MISSING_PAGE, 503);
    return c.html(readFileSync(index, 'utf8'));
  });
  app.get('/assets/:name', (c) => {
    const dir = dashboardDir();
    if (!existsSync(join(dir, 'index.html')))
      return c.text('the dashboard is not built: run npm run build\n', 503);
    const path = assetPath(dir, c.req.param('name'));
    if (path === null) return c.text('not found\n', 404);
    c.header('Content-Type', CONTENT_TYPES[extname(path).toLowerCase()]!);
    c.header('Cache-Control', 'no-cache');
    return c.body(readFileSync(path));
  });
}
