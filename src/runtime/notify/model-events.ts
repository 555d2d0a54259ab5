// The 'model-unavailable' notification: the deployed model cannot be loaded and the paper trader holds.
import type { NotificationOf } from './notification.js';

const DAY_MS = 86_400_000;

export interface ModelUnavailableInput {
  readonly modelId: string;
  readonly reason: string;
  /** Open time of the first bar held because of it. */
  readonly sinceBarTs: number;
  /** Open time of the bar just applied. */
  readonly barTs: number;
  /** Bar length, ms (the reminder goes out on the first bar of each day held). */
  readonly timeframeMs: number;
}

/**
 * A critical 'model-unavailable' notification on the first bar the paper trader holds because its model
 * cannot be loaded, and again on the first bar of every further day it lasts; null on the other bars (the
 * log and status say it on every bar). Keyed by model and bar.
 */
export function modelUnavailableNotification(
  input: ModelUnavailableInput,
): NotificationOf<'model-unavailable'> | null {
  if ((input.barTs - input.sinceBarTs) % DAY_MS >= input.timeframeMs) return null;
  return {
    kind: 'model-unavailable',
    severity: 'critical',
    ts: input.barTs,
    dedupeKey: `model-unavailable:${input.modelId}:${input.barTs}`,
    modelId: input.modelId,
    reason: input.reason,
    sinceBarTs: input.sinceBarTs,
    barTs: input.barTs,
  };
}
