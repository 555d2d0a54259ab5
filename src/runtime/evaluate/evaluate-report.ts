// The evaluation's tables (text and HTML): each arm's distribution over the windows, how often each mode
// beat each other arm, every window's returns, and each window's decisions one click away. Pure.
import { escapeXml } from '../report/equity-chart.js';
import { textTable, windowLabel } from '../report/replay-report.js';
import type { ArmRow, EvaluationReport } from './evaluate.js';
import type { Spread } from './summary.js';

const f = (x: number | null, digits = 2) => (x === null ? '-' : x.toFixed(digits));
const signed = (x: number | null) => (x === null ? '-' : `${x > 0 ? '+' : ''}${x.toFixed(2)}`);
/** median [q1, q3], and over how many windows when some had no value (a Sharpe in all cash). */
const spread = (s: Spread, windows: number, digits = 2) =>
  s.n === 0
    ? '-'
    : `${f(s.median, digits)} [${f(s.q1, digits)}, ${f(s.q3, digits)}]${s.n < windows ? ` (${s.n} of ${windows})` : ''}`;

export const DISTRIBUTION_HEADER = [
  'arm',
  'return % median [q1, q3]',
  'worst',
  'Sharpe median [q1, q3]',
  'worst',
  'max DD % median',
  'worst',
  'swaps median',
  'max',
];

/** One row per arm: median [quartiles] and worst of return, Sharpe, max drawdown and swaps over the windows. */
export function distributionRows(arms: readonly ArmRow[]): string[][] {
  return arms.map((a) => {
    const s = a.summary;
    const bench = a.kind !== 'mode';
    return [
      a.kind === 'benchmark' ? `benchmark: ${a.name}` : a.name,
      spread(s.returnPct, a.results.length),
      f(s.returnPct.worst),
      spread(s.sharpe, a.results.length),
      f(s.sharpe.worst),
      f(s.maxDrawdownPct.median),
      f(s.maxDrawdownPct.worst),
      bench ? '-' : f(s.swaps.median, 1),
      bench ? '-' : f(s.swaps.worst, 0),
    ];
  });
}

/**
 * Rows: modes; columns: every other arm; cells: windows the row's mode returned more, of those compared,
 * and the windows with equal returns when there are any (a mode that never trades ties cash).
 */
export function beatsTable(report: Pick<EvaluationReport, 'arms' | 'beats'>): {
  header: string[];
  rows: string[][];
} {
  const others = report.arms.map((a) => a.name);
  const header = ['mode beat ... in', ...others];
  const rows = report.arms
    .filter((a) => a.kind === 'mode')
    .map((a) => [
      a.name,
      ...others.map((o) => {
        const b = report.beats.find((x) => x.arm === a.name && x.other === o);
        return b ? `${b.wins}/${b.windows}${b.ties > 0 ? ` (${b.ties} tied)` : ''}` : '-';
      }),
    ]);
  return { header, rows };
}

/** Every window's return per arm. */
export function windowRows(report: Pick<EvaluationReport, 'arms' | 'windows'>): {
  header: string[];
  rows: string[][];
} {
  const header = ['window', 'from .. to (return %)', ...report.arms.map((a) => a.name)];
  const rows = report.windows.map((w, k) => [
    String(k + 1),
    `${w.window.from.slice(0, 13)} .. ${w.window.to.slice(0, 13)}`,
    ...report.arms.map((a) => signed(a.results[k]?.returnPct ?? null)),
  ]);
  return { header, rows };
}

/** What the evaluation covers, in one line. */
export function evaluationTitle(report: EvaluationReport): string {
  const w = report.windows;
  const span =
    w.length > 0 ? `${w[0]!.window.from.slice(0, 16)}Z .. ${w[w.length - 1]!.window.to.slice(0, 16)}Z` : '';
  return `hybrid-trader evaluate: ${w.length} windows of ${report.windowHours} h (${span}), each replayed by models trained only on the ${report.trainHours} h before it (${report.data})`;
}

/** The plain-language conclusion: the best mode by median return, against the benchmarks and cash. */
export function conclusion(report: EvaluationReport): string {
  const modes = report.arms.filter((a) => a.kind === 'mode');
  const best = [...modes].sort(
    (a, b) =>
      (b.summary.returnPct.median ?? Number.NEGATIVE_INFINITY) -
      (a.summary.returnPct.median ?? Number.NEGATIVE_INFINITY),
  )[0];
  if (!best) return '';
  const against = report.arms
    .filter((a) => a !== best)
    .map((a) => {
      const b = report.beats.find((x) => x.arm === best.name && x.other === a.name);
      return b ? `${a.name} in ${b.wins} of ${b.windows}` : null;
    })
    .filter((x) => x !== null);
  return `Over ${report.windows.length} windows, ${best.name} had the highest median return (${f(best.summary.returnPct.median)} %, worst ${f(best.summary.returnPct.worst)} %); it returned more than ${against.join(', ')} windows.`;
}

/** The whole text report. */
export function renderEvaluationText(report: EvaluationReport): string {
  const beats = beatsTable(report);
  const windows = windowRows(report);
  return [
    evaluationTitle(report),
    '',
    'Over the windows (each figure over its window; benchmarks on the same bars with the same costs and caps; "(n of N)": the figure exists in n windows only, e.g. no Sharpe in all cash):',
    textTable(DISTRIBUTION_HEADER, distributionRows(report.arms)),
    '',
    `How often each mode returned more than each other arm (windows won / windows):`,
    textTable(beats.header, beats.rows),
    '',
    textTable(windows.header, windows.rows),
    '',
    conclusion(report),
    '',
  ].join('\n');
}

const CSS =
  'body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:1300px;color:#1b1f24}table{border-collapse:collapse;margin:.5rem 0}td,th{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:right}td:first-child,th:first-child{text-align:left}details{margin:.3rem 0}summary{cursor:pointer}ul{font-size:13px}.neg{color:#b42318}.pos{color:#067647}';

function htmlTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (c: string) => {
    const cls = /^-\d/.test(c) ? ' class="neg"' : /^\+\d/.test(c) ? ' class="pos"' : '';
    return `<td${cls}>${escapeXml(c)}</td>`;
  };
  return `<table><thead><tr>${header.map((h) => `<th>${escapeXml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map(cell).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/**
 * The HTML report: the tables, then one collapsed section per window (one click: its figures per mode and
 * benchmark and every decision of every mode, with a link to the window's own replay report).
 * `windowReportHref(k)` gives the link to window k's report.html (relative to where the report is written).
 */
export function renderEvaluationHtml(
  report: EvaluationReport,
  windowReportHref: (k: number) => string | null,
): string {
  const beats = beatsTable(report);
  const windows = windowRows(report);
  const sections = report.windows.map((w, k) => {
    const rows = [
      ...w.modes.map((m) => [
        m.mode,
        signed(m.returnPct),
        f(m.sharpe),
        f(m.psr),
        f(m.maxDrawdownPct),
        String(m.deployments),
        String(m.promotions),
        String(m.refusals),
      ]),
      ...w.benchmarks.map((b) => [
        `benchmark: ${b.name}`,
        signed(b.returnPct),
        f(b.sharpe),
        f(b.psr),
        f(b.maxDrawdownPct),
        '-',
        '-',
        '-',
      ]),
    ];
    const decisions = w.modes
      .map(
        (m) =>
          `<details><summary>${escapeXml(m.mode)}: ${m.decisions.length} decisions, ${escapeXml(m.deployed ?? 'nothing')} deployed at the end</summary><ul>${m.decisions
            .map((d) => `<li>${new Date(d.ts).toISOString().slice(0, 16)}Z ${escapeXml(d.label)}</li>`)
            .join('')}</ul></details>`,
      )
      .join('');
    const href = windowReportHref(k);
    const link = href ? ` <a href="${escapeXml(href)}">equity curves and leaderboards</a>` : '';
    return `<details id="window-${k + 1}"><summary>Window ${k + 1}: ${escapeXml(windowLabel(w.window))}, trained on ${escapeXml(windowLabel(w.trainWindow))} (${w.training.complete} models)</summary>${link}${htmlTable(
      ['arm', 'return %', 'Sharpe', 'PSR', 'max DD %', 'deployments', 'promotions', 'refused'],
      rows,
    )}${decisions}</details>`;
  });
  const title = evaluationTitle(report);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeXml(title)}</title><link rel="icon" href="data:,"><style>${CSS}</style></head>
<body><h1>${escapeXml(title)}</h1>
<p>${escapeXml(conclusion(report))}</p>
<h2>Over the windows</h2><p>Each figure over its window; benchmarks on the same bars with the same costs and caps; swaps = deployments + promotions.</p>
${htmlTable(DISTRIBUTION_HEADER, distributionRows(report.arms))}
<h2>How often each mode returned more (windows won / windows)</h2>
${htmlTable(beats.header, beats.rows)}
<h2>Each window</h2>
${htmlTable(windows.header, windows.rows)}
<p>Click a window for its figures and every decision of every mode.</p>
${sections.join('\n')}
</body></html>
`;
}
