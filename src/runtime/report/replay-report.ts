// The replay's self-contained HTML report: equity curves with markers, the comparison and the leaderboard.
// The charts are drawn by the dashboard's chart code (inlined from dist/dashboard/report-chart.js); when
// that bundle is missing the report says so and shows a static SVG chart instead.
import { describeInSample } from '../in-sample.js';
import type { ReplayResult } from '../replay.js';
import { type ChartAssets, defaultChartAssetsDir, inlineSafe, loadChartAssets } from './chart-assets.js';
import { replayChartData, scriptJson } from './chart-payload.js';
import { escapeXml, renderEquityChart, renderLegend } from './equity-chart.js';

const pct = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(2)} %`);
const num = (x: number | null) => (x === null ? 'n/a' : x.toFixed(2));

const prob = (x: number | null) => (x === null ? 'n/a' : x.toFixed(2));

/**
 * One row per mode (return, Sharpe with its PSR, max drawdown, deployments, promotions, refusals: the
 * `--compare` table), then one per benchmark over the same window (the arena's, from the first result that
 * has them: every mode runs on the same bars, so they are the same).
 */
export function comparisonRows(results: readonly ReplayResult[]): string[][] {
  const rows = results.map((r) => [
    r.mode,
    pct(r.returnPct),
    num(r.sharpe),
    prob(r.psr),
    pct(r.maxDrawdownPct),
    String(r.deployments),
    String(r.promotions),
    String(r.refusals),
    inSampleCell(r),
  ]);
  const benchmarks = results.find((r) => r.benchmarks.length > 0)?.benchmarks ?? [];
  for (const b of benchmarks)
    rows.push([
      `benchmark: ${b.name}`,
      pct(b.returnPct),
      num(b.sharpe),
      prob(b.psr),
      pct(b.maxDrawdownPct),
      '-',
      '-',
      '-',
      '-',
    ]);
  return rows;
}

/** "no", or how many of the replay's models were trained or validated on bars of its window. */
function inSampleCell(r: ReplayResult): string {
  return r.inSample.length === 0 ? 'no' : `${r.inSample.length} of ${r.models} models`;
}

/** The report's warning when the comparison is in-sample, naming each model; '' when it is not. */
function inSampleNote(results: readonly ReplayResult[]): string {
  const r = results.find((x) => x.inSample.length > 0);
  if (!r) return '';
  return `<div class="note in-sample">In-sample: ${r.inSample.length} of the ${r.models} models were trained or validated on bars of this window, so the figures below measure how well they fit data they saw, not how they would trade.<ul>${r.inSample
    .map((m) => `<li>${escapeXml(describeInSample(m))}</li>`)
    .join('')}</ul></div>`;
}

export const COMPARISON_HEADER = [
  'mode',
  'return',
  'Sharpe',
  'PSR',
  'max DD',
  'deployments',
  'promotions',
  'refused',
  'in-sample',
];

/** What the comparison's figures cover, for a table's caption: "2024-06-15T16:00Z .. 2024-09-23T16:00Z (2400 h)". */
export function windowLabel(window: { from: string; to: string; hours: number }): string {
  return `${window.from.replace(':00.000Z', 'Z')} .. ${window.to.replace(':00.000Z', 'Z')} (${window.hours} h)`;
}

/** The note under a comparison table: what each column measures. */
export const COMPARISON_NOTE =
  'return, Sharpe (annualised), PSR (probability that the true Sharpe is above 0, given the window) and max DD over the window above; deployments, promotions and refused candidates within it';

/** A fixed-width text table. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  return [header, ...rows]
    .map((row) =>
      row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '),
    )
    .join('\n');
}

export interface ReportOptions {
  /** Folder holding report-chart.js and the chart stylesheets; default the package's dist/dashboard. */
  readonly chartAssetsDir?: string | null;
}

// Inline scripts and styles only: the report never loads anything, from the network or from disk.
const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";
const PAGE_CSS =
  'body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:1200px;color:#1b1f24}table{border-collapse:collapse}td,th{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:right}td:first-child,th:first-child{text-align:left}pre{font-size:12px;overflow:auto}.legend,figcaption{font-size:13px;color:#57606a}.note{background:#fff4e5;border:1px solid #b35900;padding:.4rem .6rem}figure{margin:0}section{margin-top:2rem}@media (max-width:640px){body{margin:.6rem}}';

function chartFigure(r: ReplayResult, index: number, assets: ChartAssets | null): string {
  if (assets === null) return `${renderEquityChart(r.series, r.markers)}${renderLegend(r.series)}`;
  const id = `equity-data-${index}`;
  const arena = r.series.filter((s) => s.kind === 'arena').length;
  const benchmarks = r.series.filter((s) => s.kind === 'benchmark').length;
  return `<figure><div class="chart-host" data-equity-source="${id}"></div><script type="application/json" id="${id}">${scriptJson(
    replayChartData(r.series, r.markers),
  )}</script><figcaption>Paper trader (bold black), ${arena} arena models and ${benchmarks} benchmarks (dashed); ${r.markers.length} decisions marked.</figcaption></figure>`;
}

/** The whole report page; `title` names the data and window. */
export function renderReplayReport(
  title: string,
  results: readonly ReplayResult[],
  options: ReportOptions = {},
): string {
  const loaded = loadChartAssets(
    options.chartAssetsDir === undefined ? defaultChartAssetsDir() : options.chartAssetsDir,
  );
  const assets = 'missing' in loaded ? null : loaded;
  const note =
    'missing' in loaded
      ? `<p class="note">The interactive chart script was not found when this report was written (${escapeXml(loaded.missing)}; run <code>npm run build</code>), so the charts below are static.</p>`
      : '';
  const sections = results.map(
    (r, k) => `<section><h2>${escapeXml(r.mode)}</h2>${chartFigure(r, k, assets)}
<details><summary>Decisions (${r.markers.length})</summary><ul>${r.markers
      .map((m) => `<li>${new Date(m.ts).toISOString()} ${escapeXml(m.label)}</li>`)
      .join('')}</ul></details>
<details><summary>Arena leaderboard at the end</summary><pre>${escapeXml(r.leaderboard)}</pre></details></section>`,
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>${escapeXml(title)}</title><link rel="icon" href="data:,"><style>${PAGE_CSS}${assets ? `\n${inlineSafe(assets.css)}` : ''}</style></head>
<body><h1>${escapeXml(title)}</h1>${note}${inSampleNote(results)}${
    results[0]
      ? `<p>Over ${escapeXml(windowLabel(results[0].window))}: ${escapeXml(COMPARISON_NOTE)}.</p>`
      : ''
  }
<table><thead><tr>${COMPARISON_HEADER.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${comparisonRows(
    results,
  )
    .map((row) => `<tr>${row.map((c) => `<td>${escapeXml(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>
${sections.join('\n')}${assets ? `\n<script>${inlineSafe(assets.script)}</script>` : ''}</body></html>
`;
}
