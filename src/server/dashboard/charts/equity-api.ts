// The equity chart's data from api/equity: the paper trader, every arena member and the benchmarks.
import {
  alignEquity,
  type EquityChartData,
  type EquitySeriesInput,
} from '../../../runtime/report/equity-data.js';
import type { EquityResponse } from '../api-types.js';

/** The chart data of api/equity: paper trader, every arena member (champion's shadow marked), benchmarks. */
export function fromEquityApi(api: EquityResponse): EquityChartData {
  const series: EquitySeriesInput[] = [
    { id: 'paper', label: 'paper trader', kind: 'paper', ts: api.paper.ts, equity: api.paper.equity },
    ...api.models.map((m) => ({
      id: m.modelId,
      label: m.role === 'champion-shadow' ? `${m.modelId} (champion)` : m.modelId,
      kind: 'arena' as const,
      ts: m.ts,
      equity: m.equity,
    })),
    ...api.benchmarks.map((b) => ({
      id: `benchmark:${b.name}`,
      label: `benchmark: ${b.name}`,
      kind: 'benchmark' as const,
      ts: b.ts,
      equity: b.equity,
    })),
  ];
  // Ids key the legend's hidden set and the test's summary: keep them unique even if a model is listed twice.
  const seen = new Map<string, number>();
  const unique = series.map((s) => {
    const n = (seen.get(s.id) ?? 0) + 1;
    seen.set(s.id, n);
    return n === 1 ? s : { ...s, id: `${s.id}#${n}`, label: `${s.label} (${n})` };
  });
  const markers = api.markers.map((m) => ({
    ts: m.ts,
    kind: m.kind,
    text: m.modelId === null ? m.kind : `${m.kind} ${m.modelId}`,
    detail: m.label,
  }));
  return alignEquity(unique, markers);
}
