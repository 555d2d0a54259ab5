// The paper trader's returns since its first bar and since its current model, each with the window it
// covers, from its equity journal (one line per applied frame, naming the model that traded it). Pure.
import type { EquityLine } from './paper-state.js';

export interface PaperWindowFigure {
  /** First bar's open and last bar's close (epoch ms), the hours between (frames x timeframe), return in %. */
  readonly fromTs: number;
  readonly toTs: number;
  readonly hours: number;
  readonly returnPct: number;
}

export interface PaperFigures {
  readonly sinceStart: PaperWindowFigure;
  /** Since the current model traded its first frame of its latest stint; null when it has not traded yet. */
  readonly sinceModel: (PaperWindowFigure & { readonly modelId: string }) | null;
}

/**
 * The figures of `lines` (the equity journal, oldest first) for a trader that started with
 * `initialEquity` and now runs `modelId`; null before its first frame.
 */
export function paperFigures(
  lines: readonly Pick<EquityLine, 'ts' | 'equity' | 'modelId'>[],
  initialEquity: number,
  modelId: string | null,
  timeframeMs: number,
): PaperFigures | null {
  const last = lines.at(-1);
  if (last === undefined) return null;
  const toTs = last.ts + timeframeMs;
  const hours = (frames: number) => (frames * timeframeMs) / 3_600_000;
  const pct = (from: number) => (last.equity / from - 1) * 100;
  let first = lines.length;
  while (modelId !== null && first > 0 && lines[first - 1]!.modelId === modelId) first--;
  return {
    sinceStart: { fromTs: lines[0]!.ts, toTs, hours: hours(lines.length), returnPct: pct(initialEquity) },
    sinceModel:
      modelId === null || first === lines.length
        ? null
        : {
            modelId,
            fromTs: lines[first]!.ts,
            toTs,
            hours: hours(lines.length - first),
            // the equity it took over: after the last frame of the model before it
            returnPct: pct(first === 0 ? initialEquity : lines[first - 1]!.equity),
          },
  };
}
