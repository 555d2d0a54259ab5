// The static equity chart as inline SVG: the report's fallback when the bundled chart script is missing.

export interface ChartSeries {
  readonly name: string;
  readonly kind: 'paper' | 'arena' | 'benchmark';
  /** [ts (epoch ms), equity] in time order. */
  readonly points: readonly (readonly [number, number])[];
}

export interface ChartMarker {
  readonly ts: number;
  readonly label: string;
  readonly kind: 'deploy' | 'promote' | 'refuse';
}

const WIDTH = 1100;
const HEIGHT = 460;
const PAD = { left: 70, right: 20, top: 20, bottom: 40 };
const ARENA_COLOURS = [
  '#8e9aaf',
  '#b8c0cc',
  '#9fb4c7',
  '#a3a3c2',
  '#c2b8a3',
  '#a8c5b0',
  '#c9a9a6',
  '#b3b3b3',
  '#9ab8b8',
];
const MARKER_COLOURS = { deploy: '#1f77b4', promote: '#2ca02c', refuse: '#d62728' };

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Renders the series and markers; the paper trader is drawn last and thickest, benchmarks dashed. */
export function renderEquityChart(series: readonly ChartSeries[], markers: readonly ChartMarker[]): string {
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return '<p>No equity data.</p>';
  const t0 = Math.min(...all.map((p) => p[0]));
  const t1 = Math.max(...all.map((p) => p[0]));
  const lo = Math.min(...all.map((p) => p[1]));
  const hi = Math.max(...all.map((p) => p[1]));
  const x = (ts: number) => PAD.left + ((ts - t0) / Math.max(1, t1 - t0)) * (WIDTH - PAD.left - PAD.right);
  const y = (v: number) =>
    PAD.top + (1 - (v - lo) / Math.max(1e-9, hi - lo)) * (HEIGHT - PAD.top - PAD.bottom);
  const ordered = [...series].sort((a, b) => rank(a.kind) - rank(b.kind));
  let arena = 0;
  const lines = ordered.map((s) => {
    const colour =
      s.kind === 'paper'
        ? '#111'
        : s.kind === 'benchmark'
          ? '#e377c2'
          : ARENA_COLOURS[arena++ % ARENA_COLOURS.length];
    const d = s.points
      .map((p, k) => `${k === 0 ? 'M' : 'L'}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`)
      .join('');
    const style =
      s.kind === 'paper'
        ? 'stroke-width="2.5"'
        : s.kind === 'benchmark'
          ? 'stroke-width="1.5" stroke-dasharray="6 4"'
          : 'stroke-width="1"';
    return `<path d="${d}" fill="none" stroke="${colour}" ${style}><title>${escapeXml(s.name)}</title></path>`;
  });
  const marks = markers.map(
    (m) =>
      `<g><line x1="${x(m.ts).toFixed(1)}" x2="${x(m.ts).toFixed(1)}" y1="${PAD.top}" y2="${HEIGHT - PAD.bottom}" stroke="${MARKER_COLOURS[m.kind]}" stroke-opacity="0.6"/><title>${escapeXml(m.label)}</title></g>`,
  );
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const v = lo + f * (hi - lo);
    const ts = t0 + f * (t1 - t0);
    return `<text x="${PAD.left - 6}" y="${y(v).toFixed(1)}" text-anchor="end" font-size="11">${v.toFixed(0)}</text><text x="${x(ts).toFixed(1)}" y="${HEIGHT - 15}" text-anchor="middle" font-size="11">${new Date(ts).toISOString().slice(0, 10)}</text>`;
  });
  return `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" role="img" aria-label="equity curves" xmlns="http://www.w3.org/2000/svg"><rect x="${PAD.left}" y="${PAD.top}" width="${WIDTH - PAD.left - PAD.right}" height="${HEIGHT - PAD.top - PAD.bottom}" fill="#fafafa" stroke="#ddd"/>${ticks.join('')}${marks.join('')}${lines.join('')}</svg>`;
}

function rank(kind: ChartSeries['kind']): number {
  return kind === 'arena' ? 0 : kind === 'benchmark' ? 1 : 2;
}

/** A one-line legend for the chart. */
export function renderLegend(series: readonly ChartSeries[]): string {
  const names = (kind: ChartSeries['kind']) =>
    series.filter((s) => s.kind === kind).map((s) => escapeXml(s.name));
  return `<p class="legend"><b>black</b>: paper trader (${names('paper').join(', ')}); <b>grey</b>: arena models (${names('arena').length}); <b>pink dashed</b>: benchmarks (${names('benchmark').join(', ')}); vertical lines: <span style="color:#1f77b4">deployment</span>, <span style="color:#2ca02c">promotion</span>, <span style="color:#d62728">refused candidate</span></p>`;
}

export { escapeXml };
