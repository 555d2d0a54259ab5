// Replay's trial stream: a study's completed trials released at simulated times, best first when asked.
import type { RankedTrial } from '../training/ranked-trials.js';

export interface ReleasedTrial extends RankedTrial {
  /** Simulated ts from which the trial is available to the deployer. */
  readonly releasedAt: number;
}

/**
 * Assigns each trial a simulated release time: trials go in trial-number order (the order the study
 * created them; across studies, equal numbers in completion order, then by study name) and the k-th is released at
 * startTs + (k + 1) x everyMs, as if the study kept producing one trial every `everyMs` while the market
 * moved. Numbers, not completion times: with several workers the completion order depends on their
 * timing, and the replay of the same study must not. Returns `trialsAt(ts)`: the released trials,
 * best first. It returns the same (frozen) array until another trial is released, so a caller can tell
 * "nothing new" by identity.
 */
export function scheduleReleases(
  trials: readonly RankedTrial[],
  startTs: number,
  everyMs: number,
): { releases: ReleasedTrial[]; trialsAt: (ts: number) => readonly ReleasedTrial[] } {
  const ordered = [...trials].sort(
    (a, b) =>
      a.number - b.number ||
      (a.completedAt ?? 0) - (b.completedAt ?? 0) ||
      (a.study < b.study ? -1 : a.study > b.study ? 1 : 0),
  );
  const releases = ordered.map((t, k) => ({ ...t, releasedAt: startTs + (k + 1) * everyMs }));
  const byScore = [...releases].sort((a, b) => b.value - a.value || a.number - b.number);
  const times = Float64Array.from(releases, (r) => r.releasedAt).sort();
  let releasedCount = -1;
  let released: readonly ReleasedTrial[] = [];
  return {
    releases,
    trialsAt: (ts) => {
      const count = countAtMost(times, ts);
      if (count !== releasedCount) {
        releasedCount = count;
        released = Object.freeze(byScore.filter((t) => t.releasedAt <= ts));
      }
      return released;
    },
  };
}

/** How many of the ascending `times` are <= ts (a binary search: trialsAt runs on every frame). */
function countAtMost(times: Float64Array, ts: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! <= ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
