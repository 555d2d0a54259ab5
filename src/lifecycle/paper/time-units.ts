// Hours <-> frames for the lifecycle's hour-based rules (minHours, maxEvalHours, history lengths).

export const HOUR_MS = 3_600_000;

/** Frames that cover at least `hours` at `timeframeMs` per frame (rounded up). */
export function hoursToBars(hours: number, timeframeMs: number): number {
  return Math.ceil((hours * HOUR_MS) / timeframeMs);
}

/** Hours covered by `bars` frames of `timeframeMs`. */
export function barsToHours(bars: number, timeframeMs: number): number {
  return (bars * timeframeMs) / HOUR_MS;
}
