// The replay's chart series in the shared chart's format, as JSON that can sit inside an HTML page.

import type { ChartMarker, ChartSeries } from './equity-chart.js';
import { alignEquity, type EquityChartData } from './equity-data.js';

/** Series on one time axis, equity rounded to cents (the file stays small); markers split into text and reason. */
export function replayChartData(
  series: readonly ChartSeries[],
  markers: readonly ChartMarker[],
): EquityChartData {
  return alignEquity(
    series.map((s) => ({
      id: s.name,
      label: s.name,
      kind: s.kind,
      ts: s.points.map((p) => p[0]),
      equity: s.points.map((p) => p[1]),
    })),
    markers.map((m) => {
      const colon = m.label.indexOf(': ');
      return {
        ts: m.ts,
        kind: m.kind,
        text: (colon < 0 ? m.label : m.label.slice(0, colon)).trim(),
        detail: m.label,
      };
    }),
    2,
  );
}

/** JSON for a <script type="application/json"> element: "<" escaped so no string can end the element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}
