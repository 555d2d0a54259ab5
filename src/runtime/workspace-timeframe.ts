// The workspace's bar timeframe, inferred from what the state files hold (none of them records it).

import { HOUR_MS } from '../core/timeframe.js';
import type { ArenaState } from '../lifecycle/arena/index.js';

/**
 * Timeframe in ms: from an arena track (hours = frames x timeframe, exact), else the smallest step between
 * consecutive frame times, else one hour (the default market). Pure.
 */
export function inferTimeframeMs(arena: ArenaState | null, frameTs: readonly number[] = []): number {
  for (const track of [...(arena?.benchmarks ?? []), ...(arena?.models ?? [])])
    if (track.bars > 0 && track.hours > 0) return Math.round((track.hours / track.bars) * HOUR_MS);
  let step = Number.POSITIVE_INFINITY;
  for (let i = 1; i < frameTs.length; i++) {
    const d = frameTs[i]! - frameTs[i - 1]!;
    if (d > 0 && d < step) step = d;
  }
  return Number.isFinite(step) ? step : HOUR_MS;
}
