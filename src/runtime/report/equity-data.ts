// The equity chart's data: every series on one shared time axis, plus decision markers. Pure (no DOM, no
// I/O): the replay report builds it in Node, the dashboard (server/dashboard/charts) from api/equity in the
// browser, and both draw it with the same chart script.

export type EquitySeriesKind = 'paper' | 'arena' | 'benchmark';
/** The decisions a chart marks: deployments, promotions (automatic or manual) and refusals. */
export type EquityMarkerKind = 'deploy' | 'promote' | 'manual' | 'refuse';

/** One curve as recorded: `ts` (epoch ms, bar close, increasing) and `equity` of the same length. */
export interface EquitySeriesInput {
  /** Stable key: 'paper', a modelId or 'benchmark:<name>'. */
  readonly id: string;
  readonly label: string;
  readonly kind: EquitySeriesKind;
  readonly ts: readonly number[];
  readonly equity: readonly number[];
}

/** A vertical line at a decision: `text` is drawn on the chart, `detail` (the reason) shown on hover. */
export interface EquityMarker {
  readonly ts: number;
  readonly kind: EquityMarkerKind;
  readonly text: string;
  readonly detail: string;
}

/** What the chart draws: `x` is the union of every series' ts; a series is null where it has no point. */
export interface EquityChartData {
  readonly x: number[];
  readonly series: { id: string; label: string; kind: EquitySeriesKind; values: (number | null)[] }[];
  readonly markers: EquityMarker[];
}

const KIND_ORDER: Readonly<Record<EquitySeriesKind, number>> = { arena: 0, benchmark: 1, paper: 2 };

/**
 * Puts every series on the union of their timestamps (nulls where a series has no point: an arena member
 * that entered late starts late) and orders them arena, benchmarks, paper, so the paper trader is drawn
 * last, on top. `digits` rounds values (the report uses cents to keep the file small).
 */
export function alignEquity(
  series: readonly EquitySeriesInput[],
  markers: readonly EquityMarker[],
  digits?: number,
): EquityChartData {
  const all = new Set<number>();
  for (const s of series) for (const ts of s.ts) all.add(ts);
  const x = [...all].sort((a, b) => a - b);
  const index = new Map(x.map((ts, i) => [ts, i]));
  const scale = digits === undefined ? null : 10 ** digits;
  const ordered = series
    .map((s, k) => ({ s, k }))
    .sort((a, b) => KIND_ORDER[a.s.kind] - KIND_ORDER[b.s.kind] || a.k - b.k)
    .map(({ s }) => s);
  return {
    x,
    series: ordered.map((s) => {
      const values: (number | null)[] = new Array(x.length).fill(null);
      const n = Math.min(s.ts.length, s.equity.length);
      for (let k = 0; k < n; k++) {
        const v = s.equity[k]!;
        values[index.get(s.ts[k]!)!] = scale === null ? v : Math.round(v * scale) / scale;
      }
      return { id: s.id, label: s.label, kind: s.kind, values };
    }),
    markers: [...markers].sort((a, b) => a.ts - b.ts),
  };
}

/** Points drawn per series (non-null values): what the browser test compares with the API. */
export function seriesSummary(
  data: EquityChartData,
): { id: string; kind: EquitySeriesKind; points: number }[] {
  return data.series.map((s) => ({
    id: s.id,
    kind: s.kind,
    points: s.values.reduce<number>((n, v) => (v === null ? n : n + 1), 0),
  }));
}
