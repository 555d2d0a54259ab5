// TPE's split of finished trials into the good ("below") and the rest ("above"), as Optuna 3.1 ranks them.
import type { Distribution } from '../distributions.js';
import type { StudyDirection } from '../storage/study-storage.js';
import type { FrozenTrial } from '../trial.js';
import { toInternal } from './search-space.js';

/** One finished trial's rank key: lexicographic (step, loss), lower is better. */
interface Ranked {
  readonly trial: FrozenTrial;
  /** -Infinity for COMPLETE trials, -(last step) for PRUNED ones, 1 for PRUNED ones without values. */
  readonly step: number;
  /** The value signed so that lower is better (+Infinity for NaN). */
  readonly loss: number;
}

/** The observations of one parameter in the two groups, internal values in chronological order. */
export interface TpeSplit {
  /** Finished trials considered (COMPLETE, and PRUNED when asked), with or without the parameter. */
  readonly n: number;
  readonly below: number[];
  readonly above: number[];
}

function rank(trial: FrozenTrial, sign: number): Ranked | null {
  if (trial.state === 'COMPLETE') {
    if (trial.value === null) return null;
    const loss = Number.isNaN(trial.value) ? Number.POSITIVE_INFINITY : sign * trial.value;
    return { trial, step: Number.NEGATIVE_INFINITY, loss };
  }
  const steps = [...trial.intermediateValues.keys()];
  if (steps.length === 0) return { trial, step: 1, loss: 0 };
  const last = Math.max(...steps);
  const value = trial.intermediateValues.get(last) as number;
  return { trial, step: -last, loss: Number.isNaN(value) ? Number.POSITIVE_INFINITY : sign * value };
}

function observe(group: readonly Ranked[], name: string, distribution: Distribution): number[] {
  const values: number[] = [];
  for (const { trial } of group) {
    if (!(name in trial.params)) continue;
    if (trial.distributions[name] !== undefined && trial.distributions[name].kind !== distribution.kind)
      continue;
    const internal = toInternal(distribution, trial.params[name]);
    if (internal !== null) values.push(internal);
  }
  return values;
}

/**
 * Splits the finished trials of `history` for parameter `name`, as Optuna 3.1's
 * `_get_observation_pairs` and `_split_observation_pairs`: COMPLETE trials rank first by value (best
 * first for `direction`); PRUNED trials (when `considerPruned`) follow, those pruned at a later step
 * first, then by their last intermediate value, then those that reported nothing; a NaN value ranks
 * last in its group; ties keep trial order. The best `nBelow(n)` trials (clamped to 0..n) form "below", the rest "above"; each group is
 * returned in trial-number order (the weights favour recent trials) with only the trials that have
 * the parameter with a value inside `distribution` (others still count in n and in the ranking).
 */
export function splitTrials(
  history: readonly FrozenTrial[],
  name: string,
  distribution: Distribution,
  direction: StudyDirection,
  considerPruned: boolean,
  nBelow: (n: number) => number,
): TpeSplit {
  const sign = direction === 'minimize' ? 1 : -1;
  const ranked: Ranked[] = [];
  const finished = history
    .filter((t) => t.state === 'COMPLETE' || (considerPruned && t.state === 'PRUNED'))
    .sort((a, b) => a.number - b.number);
  for (const trial of finished) {
    const r = rank(trial, sign);
    if (r !== null) ranked.push(r);
  }
  const n = ranked.length;
  const cut = Math.min(n, Math.max(0, Math.floor(nBelow(n))));
  const byRank = ranked
    .map((r, index) => ({ r, index }))
    .sort((a, b) => a.r.step - b.r.step || a.r.loss - b.r.loss || a.index - b.index);
  const belowIndices = new Set(byRank.slice(0, cut).map((e) => e.index));
  const below = ranked.filter((_, i) => belowIndices.has(i));
  const above = ranked.filter((_, i) => !belowIndices.has(i));
  return { n, below: observe(below, name, distribution), above: observe(above, name, distribution) };
}
