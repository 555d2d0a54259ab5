// Whether a run's window covers bars a model was trained or validated on (the windows its manifest records),
// and whether they are the very bars it saw (its dataHash against the run's data over its training window).
import { indexAtOrAfter, isoTs, type MarketData } from '../../market/market-data.js';
import { marketDataHash } from './data-hash.js';
import type { CommonManifest } from './manifest.js';

/** One of a model's windows, as its manifest records it: [first, last] bar open time (ISO). */
export interface SeenWindow {
  readonly role: 'training' | 'validation';
  readonly from: string;
  readonly to: string;
}

/** What a run's window shares with the data a model was made from (see inSampleFinding). */
export interface InSampleFinding {
  readonly study: string;
  readonly trialNumber: number | null;
  /** The model's windows that share bars with the run's window. */
  readonly windows: readonly SeenWindow[];
  /** Bars of the run's window that fall in one of them, and the hours they cover. */
  readonly bars: number;
  readonly hours: number;
  /** Open time (ISO) of the first bar after every window of the model: where an out-of-sample run may start. */
  readonly outOfSampleFrom: string;
  /**
   * `same-bars`: the run's data over the training window hashes to the manifest's dataHash (the model saw
   * exactly these bars). `same-dates`: the run's data does not hold the whole training window (or the model
   * has none), so only the dates are known to overlap: counted in-sample, to be safe.
   */
  readonly evidence: 'same-bars' | 'same-dates';
}

/** Hashes of frame ranges of one market, shared by the findings of many models trained on the same range. */
export type RangeHashes = Map<string, string>;

interface FrameSpan {
  from: number;
  to: number;
}

/** Frames [from, to) of `market` whose open time lies in [fromIso, toIso]; null for an unreadable window. */
function framesOf(market: MarketData, fromIso: string, toIso: string): FrameSpan | null {
  const a = Date.parse(fromIso);
  const b = Date.parse(toIso);
  if (!Number.isFinite(a) || !Number.isFinite(b) || b < a) return null;
  return { from: indexAtOrAfter(market, a), to: indexAtOrAfter(market, b + 1) };
}

/** Number of frames in the union of `spans`. */
function unionLength(spans: FrameSpan[]): number {
  const sorted = spans.filter((s) => s.to > s.from).sort((x, y) => x.from - y.from);
  let total = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const s of sorted) {
    const from = Math.max(s.from, end);
    if (s.to > from) total += s.to - from;
    end = Math.max(end, s.to);
  }
  return total;
}

/**
 * Whether frames [from, to) of `market` (a run's window) include bars of the model's training or validation
 * windows. Null when they do not, or when the run's data holds the model's whole training window and its
 * bars there are not the ones the model was trained on (another market over the same dates: not in-sample).
 * `hashes` caches range hashes across models (most models of a study share a training window).
 */
export function inSampleFinding(
  manifest: Pick<
    CommonManifest,
    'study' | 'trialNumber' | 'dataHash' | 'trainingWindow' | 'validationWindows'
  >,
  market: MarketData,
  from: number,
  to: number,
  hashes: RangeHashes = new Map(),
): InSampleFinding | null {
  const windows: SeenWindow[] = [
    ...(manifest.trainingWindow
      ? [{ role: 'training' as const, from: manifest.trainingWindow[0], to: manifest.trainingWindow[1] }]
      : []),
    ...manifest.validationWindows.map(([a, b]) => ({ role: 'validation' as const, from: a, to: b })),
  ];
  const overlapping: SeenWindow[] = [];
  const spans: FrameSpan[] = [];
  for (const w of windows) {
    const span = framesOf(market, w.from, w.to);
    if (span === null) continue;
    const shared = { from: Math.max(span.from, from), to: Math.min(span.to, to) };
    if (shared.to <= shared.from) continue;
    overlapping.push(w);
    spans.push(shared);
  }
  if (overlapping.length === 0) return null;
  let evidence: InSampleFinding['evidence'] = 'same-dates';
  const training = manifest.trainingWindow ? framesOf(market, ...manifest.trainingWindow) : null;
  if (
    training !== null &&
    training.to > training.from &&
    isoTs(market.ts[training.from]!) === manifest.trainingWindow![0] &&
    isoTs(market.ts[training.to - 1]!) === manifest.trainingWindow![1]
  ) {
    const key = `${training.from}:${training.to}`;
    let hash = hashes.get(key);
    if (hash === undefined) {
      hash = marketDataHash(market, training.from, training.to);
      hashes.set(key, hash);
    }
    if (hash !== manifest.dataHash) return null;
    evidence = 'same-bars';
  }
  const lastSeen = Math.max(...windows.map((w) => Date.parse(w.to)).filter(Number.isFinite));
  const bars = unionLength(spans);
  return {
    study: manifest.study,
    trialNumber: manifest.trialNumber,
    windows: overlapping,
    bars,
    hours: (bars * market.timeframeMs) / 3_600_000,
    outOfSampleFrom: isoTs(lastSeen + market.timeframeMs),
    evidence,
  };
}
