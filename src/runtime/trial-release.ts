// Replay's trial stream: a study's completed trials released at simulated times, best first when asked.
import type { RankedTrial } from '../training/ranked-trials.js';

export interface ReleasedTrial extends RankedTrial {
  /** Simulated ts from which the trial is available to the deployer. */
  readonly releasedAt: number;
}

/**
 * Assigns each trial a simulated release time: trials keep the order they completed in (trial number
 * order when times tie) and the k-th is released at startTs + (k + 1) x everyMs, as if the study kept
 * producing one trial every `everyMs` while the market moved. Returns `trialsAt(ts)`: the released trials,
 * best first.
 */
export function scheduleReleases(
  trials: readonly RankedTrial[],
  startTs: number,
  everyMs: number,
): { releases: ReleasedTrial[]; trialsAt: (ts: number) => ReleasedTrial[] } {
  const ordered = [...trials].sort(
    (a, b) => (a.completedAt ?? 0) - (b.completedAt ?? 0) || a.number - b.number,
  );
  const releases = ordered.map((t, k) => ({ ...t, releasedAt: startTs + (k + 1) * everyMs }));
  const byScore = [...releases].sort((a, b) => b.value - a.value || a.number - b.number);
  return { releases, trialsAt: (ts) => byScore.filter((t) => t.releasedAt <= ts) };
}
