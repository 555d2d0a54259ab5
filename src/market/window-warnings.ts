// What a command must say when the frames it gets are fewer than it asked for: symbols that start or end
// on other dates cut the window to their common range, and gaps drop frames inside it.
import type { DataReport } from './loaders/data-report.schema.js';
import { indexAtOrAfter, isoTs, type MarketData } from './market-data.js';

/** A requested window [fromTs, toTs) in epoch ms; either end open. */
export interface RequestedWindow {
  readonly fromTs?: number;
  readonly toTs?: number;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Symbols whose own bars start (or end) at `edge`, and the others with their first (last) bar. */
function edgeSymbols(report: DataReport, side: 'firstTs' | 'lastTs', edge: string) {
  const at = report.bars.filter((b) => b[side] === edge).map((b) => b.symbol);
  const others = report.bars
    .filter((b) => b[side] !== edge)
    .map((b) => `${b.symbol} ${side === 'firstTs' ? 'from' : 'to'} ${b[side]}`);
  return { at, others };
}

/**
 * Warnings (plain sentences, no prefix) about a window trimmed by the data: the complete frames start
 * later (or end earlier) than asked, or than some symbol's own bars, because the symbols cover different
 * dates; and frames missing inside the window because some symbol lacks a bar there. `report` is null for
 * the built-in market (which has neither).
 */
export function windowWarnings(
  data: MarketData,
  report: DataReport | null,
  window: RequestedWindow = {},
): string[] {
  const warnings: string[] = [];
  const first = data.ts[0]!;
  const last = data.ts[data.length - 1]!;
  if (report !== null) {
    // ISO strings of one format sort as their times do.
    const starts = report.bars.map((b) => b.firstTs).sort();
    const ends = report.bars.map((b) => b.lastTs).sort();
    const earliestStart = starts[0]!;
    const latestStart = starts[starts.length - 1]!;
    const earliestEnd = ends[0]!;
    const latestEnd = ends[ends.length - 1]!;
    const asked = window.fromTs;
    if (latestStart !== earliestStart && (asked === undefined || asked < Date.parse(latestStart))) {
      const { at, others } = edgeSymbols(report, 'firstTs', latestStart);
      const ask = asked === undefined ? 'the data' : `--from ${isoTs(asked)}`;
      warnings.push(
        `${ask}: frames start at ${isoTs(first)}, where the last symbol to start (${at.join(', ')}) begins; earlier bars (${others.join(', ')}) are not used`,
      );
    } else if (asked !== undefined && asked < first) {
      warnings.push(`--from ${isoTs(asked)}: the data starts at ${isoTs(first)}`);
    }
    const end = window.toTs;
    if (
      earliestEnd !== latestEnd &&
      (end === undefined || end > Date.parse(earliestEnd) + data.timeframeMs)
    ) {
      const { at, others } = edgeSymbols(report, 'lastTs', earliestEnd);
      const ask = end === undefined ? 'the data' : `--to ${isoTs(end)}`;
      warnings.push(
        `${ask}: frames end at ${isoTs(last)}, where the first symbol to end (${at.join(', ')}) stops; later bars (${others.join(', ')}) are not used`,
      );
    } else if (end !== undefined && end > last + data.timeframeMs) {
      warnings.push(`--to ${isoTs(end)}: the data ends with the frame at ${isoTs(last)}`);
    }
  } else {
    if (window.fromTs !== undefined && window.fromTs < first)
      warnings.push(`--from ${isoTs(window.fromTs)}: the data starts at ${isoTs(first)}`);
    if (window.toTs !== undefined && window.toTs > last + data.timeframeMs)
      warnings.push(`--to ${isoTs(window.toTs)}: the data ends with the frame at ${isoTs(last)}`);
  }
  const from = indexAtOrAfter(data, window.fromTs ?? first);
  const to = indexAtOrAfter(data, window.toTs ?? last + 1);
  if (to - from >= 2) {
    const span = Math.round((data.ts[to - 1]! - data.ts[from]!) / data.timeframeMs) + 1;
    const missing = span - (to - from);
    if (missing > 0)
      warnings.push(
        `${plural(missing, 'frame')} missing between ${isoTs(data.ts[from]!)} and ${isoTs(data.ts[to - 1]!)} (gaps where a symbol has no bar; never filled, see data check)`,
      );
  }
  return warnings;
}
