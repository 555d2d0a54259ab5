// The trial-history chart's data: each completed trial's score at its completion time, and the best so far.
import type { TrialRow } from '../api-types.js';

export interface TrialChartData {
  /** Completion times, epoch ms, in order. */
  readonly x: number[];
  readonly score: number[];
  /** Best score among trials completed up to each point (max or min, by the study's direction). */
  readonly best: number[];
  /** Trial number of each point. */
  readonly numbers: number[];
}

/**
 * Parses a trial datetime: ISO with a zone, or the storage's naive "YYYY-MM-DD HH:MM:SS.ffffff", which
 * Optuna writes in UTC. Returns null when it cannot.
 */
export function parseTrialTime(text: string | null): number | null {
  if (text === null) return null;
  const m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:?\d\d)?$/.exec(text.trim());
  if (!m) return null;
  const fraction = m[3] ? m[3].slice(0, 4) : '';
  const ms = Date.parse(`${m[1]}T${m[2]}${fraction}${m[4] ?? 'Z'}`);
  return Number.isFinite(ms) ? ms : null;
}

/** COMPLETE trials with a finite value and a completion time, by completion time (then number). */
export function trialHistory(
  trials: readonly TrialRow[],
  direction: 'maximize' | 'minimize',
): TrialChartData {
  const points = trials
    .filter((t) => t.state === 'COMPLETE' && t.value !== null && Number.isFinite(t.value))
    .map((t) => ({ number: t.number, value: t.value as number, ts: parseTrialTime(t.datetimeComplete) }))
    .filter((p): p is { number: number; value: number; ts: number } => p.ts !== null)
    .sort((a, b) => a.ts - b.ts || a.number - b.number);
  const better = direction === 'maximize' ? Math.max : Math.min;
  const best: number[] = [];
  for (const p of points) best.push(best.length === 0 ? p.value : better(best[best.length - 1]!, p.value));
  // The chart needs strictly increasing x: trials finishing in the same millisecond are 1 ms apart.
  const x: number[] = [];
  for (const p of points) x.push(x.length > 0 && p.ts <= x[x.length - 1]! ? x[x.length - 1]! + 1 : p.ts);
  return {
    x,
    score: points.map((p) => p.value),
    best,
    numbers: points.map((p) => p.number),
  };
}

/**
 * Labels of the trial-history time axis (UTC, epoch ms ticks): "HH:MM:SS" when every tick falls on one
 * day (a study of seconds or minutes), else "MM-DD HH:MM"; the first tick also carries its date so the
 * day is never lost. Pure: uPlot's default labels (":44.025") read as fractions of an unnamed minute.
 */
export function trialAxisLabels(ticks: readonly number[]): string[] {
  const iso = ticks.map((t) => new Date(t).toISOString());
  const oneDay = iso.every((s) => s.slice(0, 10) === iso[0]?.slice(0, 10));
  return iso.map((s, k) => {
    const time = oneDay ? s.slice(11, 19) : `${s.slice(5, 10)} ${s.slice(11, 16)}`;
    return k === 0 && oneDay ? `${s.slice(0, 10)} ${time}` : time;
  });
}
