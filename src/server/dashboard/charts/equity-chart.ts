// The equity chart shared by the dashboard and the replay report: uPlot with the paper trader bold, arena
// models thin, benchmarks dashed, a vertical labelled line at every decision, and a legend that toggles.
import uPlot from 'uplot';
import type {
  EquityChartData,
  EquityMarker,
  EquityMarkerKind,
  EquitySeriesKind,
} from '../../../runtime/report/equity-data.js';
import { seriesSummary } from '../../../runtime/report/equity-data.js';
import { axisNumber, chartSize, followWidth, zoomedRange } from './chart-frame.js';

export const MARKER_COLOURS: Readonly<Record<EquityMarkerKind, string>> = {
  deploy: '#1f5fbf',
  promote: '#1a7f37',
  manual: '#b35900',
  refuse: '#c62828',
};

const MARKER_NAMES: Readonly<Record<EquityMarkerKind, string>> = {
  deploy: 'deployment',
  promote: 'promotion',
  manual: 'manual action',
  refuse: 'refused candidate',
};

// Distinct but lighter than the paper trader's near-black line, which must stay the eye's anchor.
const ARENA_COLOURS = [
  '#4e79a7',
  '#f28e2b',
  '#59a14f',
  '#76b7b2',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
  '#e15759',
];
const BENCHMARK_COLOURS = ['#8e24aa', '#d81b60', '#6d4c41'];
const MAX_HEIGHT = 440;
/** Characters of a marker's text drawn on the chart. */
const MAX_LABEL = 24;

/** Epoch ms shown as UTC: every time on the page is UTC, like the state files. */
const utc = (ts: number): Date => uPlot.tzDate(new Date(ts), 'Etc/UTC');

function seriesStyle(kind: EquitySeriesKind, n: number): Partial<uPlot.Series> {
  if (kind === 'paper') return { stroke: '#111', width: 2.5 };
  if (kind === 'benchmark')
    return { stroke: BENCHMARK_COLOURS[n % BENCHMARK_COLOURS.length]!, width: 1.5, dash: [8, 5] };
  return { stroke: ARENA_COLOURS[n % ARENA_COLOURS.length]!, width: 1.25 };
}

/** uPlot's data: x then one array per series, in the order of `data.series`. */
export function toAlignedData(data: EquityChartData): uPlot.AlignedData {
  return [data.x, ...data.series.map((s) => s.values)];
}

/** Draws each marker as a vertical line with its short text, staggered over rows so neighbours stay legible. */
function markerPlugin(markers: () => readonly EquityMarker[]): uPlot.Plugin {
  return {
    hooks: {
      draw: (u: uPlot) => {
        const { ctx } = u;
        const px = uPlot.pxRatio;
        const { left, top, width, height } = u.bbox;
        const rowEnds = [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
        ctx.save();
        ctx.font = `${Math.round(11 * px)}px system-ui, sans-serif`;
        ctx.textBaseline = 'top';
        ctx.textAlign = 'left'; // uPlot leaves the axes' alignment set
        for (const m of markers()) {
          const x = Math.round(u.valToPos(m.ts, 'x', true));
          if (x < left || x > left + width) continue;
          ctx.strokeStyle = MARKER_COLOURS[m.kind];
          ctx.globalAlpha = 0.75;
          ctx.lineWidth = Math.max(1, px);
          ctx.setLineDash(m.kind === 'refuse' ? [3 * px, 3 * px] : []);
          ctx.beginPath();
          ctx.moveTo(x + 0.5, top);
          ctx.lineTo(x + 0.5, top + height);
          ctx.stroke();
          // Long texts (an ensemble's member list) are cut: the whole reason shows on hover.
          const text = m.text.length > MAX_LABEL ? `${m.text.slice(0, MAX_LABEL - 1)}…` : m.text;
          const textWidth = ctx.measureText(text).width;
          const tx = Math.max(left, Math.min(x + 3 * px, left + width - textWidth));
          const row = rowEnds.findIndex((end) => end < tx);
          if (row < 0) continue; // every row is taken here: the line alone, the reason on hover
          ctx.globalAlpha = 1;
          ctx.fillStyle = 'rgba(255,255,255,0.85)';
          ctx.fillRect(tx - px, top + (2 + row * 14) * px, textWidth + 2 * px, 13 * px);
          ctx.fillStyle = MARKER_COLOURS[m.kind];
          ctx.fillText(text, tx, top + (3 + row * 14) * px);
          rowEnds[row] = tx + textWidth + 6 * px;
        }
        ctx.restore();
      },
    },
  };
}

/** Shows the reason of the marker nearest the cursor (within 6 px) in a small box over the plot. */
function markerTooltip(markers: () => readonly EquityMarker[]): uPlot.Plugin {
  let tip: HTMLDivElement | null = null;
  return {
    hooks: {
      ready: (u: uPlot) => {
        tip = document.createElement('div');
        tip.className = 'marker-tip';
        tip.hidden = true;
        u.over.appendChild(tip);
      },
      setCursor: (u: uPlot) => {
        if (tip === null) return;
        const left = u.cursor.left ?? -1;
        const near =
          left < 0 ? undefined : markers().find((m) => Math.abs(u.valToPos(m.ts, 'x') - left) <= 6);
        tip.hidden = near === undefined;
        if (near === undefined) return;
        tip.textContent = `${new Date(near.ts).toISOString().slice(0, 16).replace('T', ' ')} UTC: ${near.detail}`;
        tip.style.left = `${Math.min(left + 8, Math.max(0, u.over.clientWidth - 260))}px`;
      },
    },
  };
}

function options(
  data: EquityChartData,
  size: { width: number; height: number },
  markers: () => readonly EquityMarker[],
  hidden: ReadonlySet<string>,
): uPlot.Options {
  const counts: Record<EquitySeriesKind, number> = { paper: 0, arena: 0, benchmark: 0 };
  return {
    ...size,
    ms: 1,
    tzDate: utc,
    scales: { x: { time: true } },
    series: [
      { label: 'time (UTC)', value: '{YYYY}-{MM}-{DD} {HH}:{mm}' },
      ...data.series.map((s) => ({
        label: s.label,
        show: !hidden.has(s.id),
        spanGaps: false,
        points: { show: false },
        value: (_u: uPlot, v: number | null) => (v === null ? '-' : v.toFixed(2)),
        ...seriesStyle(s.kind, counts[s.kind]++),
      })),
    ],
    axes: [{}, { size: 64, values: (_u, splits) => splits.map(axisNumber) }],
    legend: { live: true },
    cursor: { drag: { x: true, y: false } },
    plugins: [markerPlugin(markers), markerTooltip(markers)],
    hooks: {
      // Legend rows get their kind so the stylesheet can list the paper trader first although it is drawn last.
      ready: [
        (u: uPlot) => {
          u.root.querySelectorAll<HTMLElement>('.u-legend .u-series').forEach((row, i) => {
            row.dataset['kind'] = i === 0 ? 'time' : (data.series[i - 1]?.kind ?? '');
          });
        },
      ],
    },
  };
}

/** The key under the chart: which colour is which decision. */
function markerKey(): HTMLElement {
  const key = document.createElement('ul');
  key.className = 'marker-key';
  for (const kind of Object.keys(MARKER_COLOURS) as EquityMarkerKind[]) {
    const item = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = `swatch marker-${kind}`;
    swatch.style.borderColor = MARKER_COLOURS[kind];
    item.append(swatch, MARKER_NAMES[kind]);
    key.appendChild(item);
  }
  const hint = document.createElement('li');
  hint.className = 'hint';
  hint.textContent = 'click a name to hide or show it; drag to zoom, double-click to reset';
  key.appendChild(hint);
  return key;
}

export interface EquityChart {
  /** Replaces the data in place (keeping a zoom and hidden series); rebuilds only when the series change. */
  update(data: EquityChartData): void;
  destroy(): void;
}

/**
 * Draws `data` into `container` (emptied first). The container's `data-summary` attribute lists each
 * series' id, kind and points drawn, and `data-markers` their count: what tests and people can check.
 */
export function createEquityChart(container: HTMLElement, data: EquityChartData): EquityChart {
  container.replaceChildren();
  container.classList.add('equity-chart');
  const host = document.createElement('div');
  container.append(host, markerKey());
  let current = data;
  const markers = () => current.markers;
  let plot: uPlot | null = null;

  const describe = () => {
    container.dataset['summary'] = JSON.stringify(seriesSummary(current));
    container.dataset['markers'] = String(current.markers.length);
  };
  const build = (hidden: ReadonlySet<string>) => {
    // The new plot is in place before the old one goes, so an update never flashes an empty box.
    const next = new uPlot(
      options(current, chartSize(host, MAX_HEIGHT), markers, hidden),
      toAlignedData(current),
      (u, init) => {
        host.appendChild(u.root);
        init();
      },
    );
    plot?.destroy();
    plot = next;
  };
  build(new Set());
  describe();
  const unfollow = followWidth(host, MAX_HEIGHT, () => plot);

  return {
    update(next) {
      const before = current;
      current = next;
      const sameSeries =
        before.series.length === next.series.length &&
        before.series.every((s, i) => s.id === next.series[i]!.id && s.label === next.series[i]!.label);
      if (plot !== null && sameSeries) {
        const zoom = zoomedRange(plot);
        plot.setData(toAlignedData(next));
        if (zoom !== null) plot.setScale('x', zoom);
      } else {
        const hidden = new Set(
          before.series
            .filter((_, i) => plot !== null && plot.series[i + 1]?.show === false)
            .map((s) => s.id),
        );
        build(hidden);
      }
      describe();
    },
    destroy() {
      unfollow();
      plot?.destroy();
      plot = null;
    },
  };
}
