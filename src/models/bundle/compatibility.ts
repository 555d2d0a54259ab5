// Checks a bundle's manifest against the market it is asked to trade; refusals say exactly what differs.
import { ModelError } from '../../core/errors.js';
import { msToTimeframe, timeframeToMs } from '../../core/timeframe.js';
import { FEATURE_NAMES, observationSize } from '../../features/index.js';
import type { CommonManifest } from './manifest.js';

/** What a market offers a model: its symbols in order, its bar length, the features it can compute. */
export interface MarketShape {
  readonly symbols: readonly string[];
  readonly timeframeMs: number;
  readonly features?: readonly string[];
}

function symbolDifference(model: readonly string[], market: readonly string[]): string | null {
  if (model.length === market.length && model.every((s, i) => s === market[i])) return null;
  const missing = model.filter((s) => !market.includes(s));
  const extra = market.filter((s) => !model.includes(s));
  if (missing.length === 0 && extra.length === 0)
    return `same symbols in a different order: model [${model.join(', ')}], market [${market.join(', ')}]`;
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`the market lacks ${missing.join(', ')}`);
  if (extra.length > 0) parts.push(`the model does not trade ${extra.join(', ')}`);
  return `${parts.join('; ')} (model [${model.join(', ')}], market [${market.join(', ')}])`;
}

/**
 * The checks every kind shares: throws ModelError unless the manifest trades the market's symbols in the
 * same order, on the same timeframe, with one target weight per symbol. A kind checks the rest (its
 * observation, its network) in its own `check`. Nothing is inferred from weight shapes.
 */
export function assertBundleFitsMarket(manifest: CommonManifest, market: MarketShape, source: string): void {
  const symbols = symbolDifference(manifest.symbols, market.symbols);
  if (symbols)
    throw new ModelError('BUNDLE_SYMBOLS_MISMATCH', `${source}: ${symbols}`, {
      source,
      model: manifest.symbols,
      market: market.symbols,
    });
  let modelTf: number;
  try {
    modelTf = timeframeToMs(manifest.timeframe);
  } catch {
    throw new ModelError(
      'BUNDLE_INVALID',
      `${source}: field "timeframe": "${manifest.timeframe}" is not a timeframe`,
    );
  }
  if (modelTf !== market.timeframeMs)
    throw new ModelError(
      'BUNDLE_TIMEFRAME_MISMATCH',
      `${source}: the model was trained on ${manifest.timeframe} bars, the market has ${msToTimeframe(market.timeframeMs)}`,
      { source },
    );
  if (manifest.actionSize !== manifest.symbols.length)
    throw new ModelError(
      'BUNDLE_SIZE_MISMATCH',
      `${source}: actionSize ${manifest.actionSize} differs from the ${manifest.symbols.length} symbols`,
      { source },
    );
}

/**
 * For kinds that read an observation (features x lookback + portfolio weights): throws ModelError unless
 * the market provides every feature and `observationSize` is what the symbols, features and lookback make.
 * Returns the observation's size.
 */
export function assertObservationFits(
  manifest: {
    readonly symbols: readonly string[];
    readonly features: readonly string[];
    readonly lookback: number;
    readonly observationSize: number;
  },
  market: MarketShape,
  source: string,
): number {
  const available = market.features ?? FEATURE_NAMES;
  const missing = manifest.features.filter((f) => !available.includes(f));
  if (missing.length > 0)
    throw new ModelError(
      'BUNDLE_FEATURE_MISSING',
      `${source}: the model needs feature(s) ${missing.join(', ')}, which this market does not provide (it has ${available.join(', ')})`,
      { source, missing },
    );
  const size = observationSize(manifest);
  if (size !== manifest.observationSize)
    throw new ModelError(
      'BUNDLE_SIZE_MISMATCH',
      `${source}: observationSize ${manifest.observationSize} differs from ${size} for ${manifest.symbols.length} symbols x ${manifest.features.length} features x lookback ${manifest.lookback} (+ ${1 + manifest.symbols.length} portfolio weights)`,
      { source },
    );
  return size;
}
