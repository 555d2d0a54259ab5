// The replay's self-contained HTML report: equity curves with markers, the comparison and the leaderboard.
import type { ReplayResult } from '../replay.js';
import { escapeXml, renderEquityChart, renderLegend } from './equity-chart.js';

const pct = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(2)} %`);
const num = (x: number | null) => (x === null ? 'n/a' : x.toFixed(2));

/** One row per mode: return, Sharpe, max drawdown, deployments, promotions (the `--compare` table). */
export function comparisonRows(results: readonly ReplayResult[]): string[][] {
  return results.map((r) => [
    r.mode,
    pct(r.returnPct),
    num(r.sharpe),
    pct(r.maxDrawdownPct),
    String(r.deployments),
    String(r.promotions),
    String(r.refusals),
  ]);
}

export const COMPARISON_HEADER = [
  'mode',
  'return',
  'Sharpe',
  'max DD',
  'deployments',
  'promotions',
  'refused',
];

/** A fixed-width text table. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  return [header, ...rows]
    .map((row) =>
      row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '),
    )
    .join('\n');
}

/** The whole report page; `title` names the data and window. */
export function renderReplayReport(title: string, results: readonly ReplayResult[]): string {
  const sections = results.map(
    (
      r,
    ) => `<section><h2>${escapeXml(r.mode)}</h2>${renderEquityChart(r.series, r.markers)}${renderLegend(r.series)}
<details><summary>Decisions (${r.markers.length})</summary><ul>${r.markers
      .map((m) => `<li>${new Date(m.ts).toISOString()} ${escapeXml(m.label)}</li>`)
      .join('')}</ul></details>
<details><summary>Arena leaderboard at the end</summary><pre>${escapeXml(r.leaderboard)}</pre></details></section>`,
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(title)}</title><style>body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:1200px}table{border-collapse:collapse}td,th{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:right}td:first-child,th:first-child{text-align:left}pre{font-size:12px;overflow:auto}.legend{font-size:13px;color:#444}</style></head>
<body><h1>${escapeXml(title)}</h1>
<table><thead><tr>${COMPARISON_HEADER.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${comparisonRows(
    results,
  )
    .map((row) => `<tr>${row.map((c) => `<td>${escapeXml(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>
${sections.join('\n')}</body></html>
`;
}
