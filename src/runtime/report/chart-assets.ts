// Finds the bundled chart script and stylesheets (dist/dashboard/, written by `npm run build`) that the
// replay report inlines, so the report draws the same chart as the dashboard and stays one offline file.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ChartAssets {
  /** report-chart.js: uPlot and the shared equity chart, as one classic script. */
  readonly script: string;
  /** uPlot's stylesheet and the shared chart styles. */
  readonly css: string;
}

export const REPORT_CHART_FILES = ['report-chart.js', 'uPlot.min.css', 'charts.css'] as const;

/**
 * dist/dashboard of this package: found by walking up from this module to the folder holding the
 * package's package.json (this file runs from dist/src/runtime/report/ once built, from src/ under tests).
 */
export function defaultChartAssetsDir(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'hybrid-trader')
          return join(dir, 'dist', 'dashboard');
      } catch {
        // an unreadable package.json is not ours: keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** The assets in `dir`, or the name of the first missing file (the caller falls back to a static chart). */
export function loadChartAssets(dir: string | null): ChartAssets | { missing: string } {
  if (dir === null) return { missing: 'dist/dashboard (package folder not found)' };
  for (const name of REPORT_CHART_FILES)
    if (!existsSync(join(dir, name))) return { missing: join(dir, name) };
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  return { script: read('report-chart.js'), css: `${read('uPlot.min.css')}\n${read('charts.css')}` };
}

/** Makes text safe inside an inline <script> or <style> element: nothing in it can close the element. */
export function inlineSafe(text: string): string {
  return text.replace(/<\/(script|style)/gi, '<\\/$1');
}
