// Walk-forward windows: one training range, an embargo, then K consecutive held-out validation folds.
import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';
import { isoTs, type MarketData } from '../../market/market-data.js';

export const WalkForwardSchema = z.strictObject({
  /** Number of validation folds (consecutive, no overlap), placed at the end of the data. */
  folds: z.number().int().min(1).default(4),
  /** Bars in each validation fold. */
  validationBars: z.number().int().min(2).default(240),
  /** Bars left out between the end of training and the first fold (no leakage through indicators). */
  embargoBars: z.number().int().min(0).default(48),
  /** Bars of training, ending at the embargo; null = every bar before it. A rolling window when set. */
  trainBars: z.number().int().min(1).nullable().default(null),
  /** Score penalty per unit of standard deviation of the policy's fold Sharpes. */
  spreadPenalty: z.number().min(0).default(0.1),
});

export type WalkForwardConfig = z.infer<typeof WalkForwardSchema>;

/** Half-open frame ranges [from, to). */
export interface FrameRange {
  readonly from: number;
  readonly to: number;
}

export interface WalkForwardWindows {
  readonly train: FrameRange;
  readonly folds: readonly FrameRange[];
}

/**
 * The windows for `length` frames: folds take the last folds x validationBars frames, the embargo sits
 * before them, training ends at the embargo. Throws ConfigError when the data is too short, saying how
 * many bars are needed.
 */
export function walkForwardWindows(length: number, config: WalkForwardConfig): WalkForwardWindows {
  const validation = config.folds * config.validationBars;
  const trainEnd = length - validation - config.embargoBars;
  const trainStart = config.trainBars === null ? 0 : trainEnd - config.trainBars;
  if (trainEnd < 1 || trainStart < 0)
    throw new ConfigError(
      'DATA_TOO_SHORT',
      `walk-forward needs ${validation + config.embargoBars + (config.trainBars ?? 1)} bars (${config.folds} folds x ${config.validationBars} + embargo ${config.embargoBars} + training ${config.trainBars ?? 'at least 1'}), the data has ${length}`,
      { length },
    );
  const first = length - validation;
  const folds = Array.from({ length: config.folds }, (_, k) => ({
    from: first + k * config.validationBars,
    to: first + (k + 1) * config.validationBars,
  }));
  return { train: { from: trainStart, to: trainEnd }, folds };
}

/** [first, last] bar open times (ISO) of a range, for manifests and trial attributes. */
export function rangeIso(market: MarketData, range: FrameRange): [string, string] {
  return [isoTs(market.ts[range.from]!), isoTs(market.ts[range.to - 1]!)];
}
