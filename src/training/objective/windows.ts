// Walk-forward windows: validation folds (spread over the data as an anchored walk-forward by default, or
// consecutive at its end), each with the training range that precedes it and an embargo in between.
import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';
import { isoTs, type MarketData } from '../../market/market-data.js';
import { ObjectiveSchema } from './objectives.js';

export const PlacementSchema = z.enum(['spread', 'end']);
export type Placement = z.infer<typeof PlacementSchema>;

export const WalkForwardSchema = z.strictObject({
  /** Number of validation folds (no overlap). */
  folds: z.number().int().min(1).default(4),
  /** Bars in each validation fold. */
  validationBars: z.number().int().min(2).default(240),
  /** Bars left out between a fold's training range and the fold (no leakage through indicators). */
  embargoBars: z.number().int().min(0).default(48),
  /**
   * Where the folds go. `spread` (default): an anchored walk-forward, folds spread evenly from after the
   * first `minTrainBars` to the end of the data, each validated after training on everything before it
   * (minus the embargo), so the score covers several regimes. `end`: consecutive folds at the end of the
   * data after one training range (the earlier behaviour).
   */
  placement: PlacementSchema.default('spread'),
  /** `spread`: bars of training before the first fold's embargo; null = a quarter of the data. */
  minTrainBars: z.number().int().min(1).nullable().default(null),
  /** Bars of training, ending at the embargo; null = every bar before it (anchored). A rolling window when set. */
  trainBars: z.number().int().min(1).nullable().default(null),
  /** What each fold scores (see objectives.ts and docs/training.md). */
  objective: ObjectiveSchema.default('excess-sharpe'),
  /** Score penalty per unit of standard deviation of the fold values of the objective. */
  spreadPenalty: z.number().min(0).default(0.1),
});

export type WalkForwardConfig = z.infer<typeof WalkForwardSchema>;

/** Half-open frame ranges [from, to). */
export interface FrameRange {
  readonly from: number;
  readonly to: number;
}

export interface WalkForwardWindows {
  /** What the final model (the bundle) is fitted on: every bar before the last embargo (`end`) or all bars (`spread`). */
  readonly train: FrameRange;
  readonly folds: readonly FrameRange[];
  /** Per fold, the range a model validated on that fold may be fitted on (ends an embargo before the fold). */
  readonly foldTrain: readonly FrameRange[];
}

function tooShort(length: number, needed: number, detail: string): ConfigError {
  return new ConfigError(
    'DATA_TOO_SHORT',
    `walk-forward needs ${needed} bars (${detail}), the data has ${length}`,
    { length, needed },
  );
}

/**
 * The windows for `length` frames (see `placement`). Throws ConfigError when the data is too short,
 * saying how many bars are needed.
 */
export function walkForwardWindows(length: number, config: WalkForwardConfig): WalkForwardWindows {
  const { folds: k, validationBars: v, embargoBars: e, trainBars } = config;
  const validation = k * v;
  if (config.placement === 'end') {
    const trainEnd = length - validation - e;
    const trainStart = trainBars === null ? 0 : trainEnd - trainBars;
    if (trainEnd < 1 || trainStart < 0)
      throw tooShort(
        length,
        validation + e + (trainBars ?? 1),
        `${k} folds x ${v} + embargo ${e} + training ${trainBars ?? 'at least 1'}`,
      );
    const first = length - validation;
    const folds = Array.from({ length: k }, (_, i) => ({ from: first + i * v, to: first + (i + 1) * v }));
    const train = { from: trainStart, to: trainEnd };
    return { train, folds, foldTrain: folds.map(() => train) };
  }
  const minTrain = config.minTrainBars ?? trainBars ?? Math.floor(length / 4);
  const start = minTrain + e;
  const available = length - start;
  if (minTrain < 1 || available < validation)
    throw tooShort(
      length,
      validation + e + Math.max(1, config.minTrainBars ?? trainBars ?? 1),
      `${k} folds x ${v} + embargo ${e} + first training ${config.minTrainBars ?? trainBars ?? 'a quarter of the data'}`,
    );
  // Evenly spaced, the last fold ending at the data's end; spacing >= v because available >= k v.
  const folds = Array.from({ length: k }, (_, i) => {
    const from = k === 1 ? length - v : start + Math.floor((i * (available - v)) / (k - 1));
    return { from, to: from + v };
  });
  const fitted = (end: number) => ({ from: trainBars === null ? 0 : Math.max(0, end - trainBars), to: end });
  return {
    train: fitted(length),
    folds,
    foldTrain: folds.map((f) => fitted(f.from - e)),
  };
}

/** [first, last] bar open times (ISO) of a range, for manifests and trial attributes. */
export function rangeIso(market: MarketData, range: FrameRange): [string, string] {
  return [isoTs(market.ts[range.from]!), isoTs(market.ts[range.to - 1]!)];
}
