// Checks a bundle's manifest against the market it is asked to trade; refusals say exactly what differs.
import { ModelError } from '../../core/errors.js';
import { msToTimeframe, timeframeToMs } from '../../core/timeframe.js';
import { FEATURE_NAMES, observationSize } from '../../features/index.js';
import type { Manifest } from './manifest.js';

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

/** The fields of a manifest of any kind that say what it needs from a market. */
export type ManifestShape = Pick<
  Manifest,
  'symbols' | 'timeframe' | 'features' | 'lookback' | 'observationSize' | 'actionSize'
> & { readonly network?: Manifest['network'] };

/**
 * Throws ModelError unless the manifest fits the market: same symbols in the same order, same timeframe,
 * every feature available, and observation and action sizes consistent with what the manifest declares.
 * Nothing is inferred from weight shapes.
 */
export function assertBundleFitsMarket(manifest: ManifestShape, market: MarketShape, source: string): void {
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
  const available = market.features ?? FEATURE_NAMES;
  const missing = manifest.features.filter((f) => !available.includes(f));
  if (missing.length > 0)
    throw new ModelError(
      'BUNDLE_FEATURE_MISSING',
      `${source}: the model needs feature(s) ${missing.join(', ')}, which this market does not provide (it has ${available.join(', ')})`,
      { source, missing },
    );
  if (manifest.actionSize !== manifest.symbols.length)
    throw new ModelError(
      'BUNDLE_SIZE_MISMATCH',
      `${source}: actionSize ${manifest.actionSize} differs from the ${manifest.symbols.length} symbols`,
      { source },
    );
  if (manifest.features.length > 0) {
    const size = observationSize({
      symbols: manifest.symbols,
      features: manifest.features,
      lookback: manifest.lookback,
    });
    if (size !== manifest.observationSize)
      throw new ModelError(
        'BUNDLE_SIZE_MISMATCH',
        `${source}: observationSize ${manifest.observationSize} differs from ${size} for ${manifest.symbols.length} symbols x ${manifest.features.length} features x lookback ${manifest.lookback} (+ ${1 + manifest.symbols.length} portfolio weights)`,
        { source },
      );
    const inputs = manifest.network?.layerSizes[0];
    if (inputs !== undefined && inputs !== size)
      throw new ModelError(
        'BUNDLE_SIZE_MISMATCH',
        `${source}: the network takes ${inputs} inputs but the observation has ${size}`,
        { source },
      );
    const outputs = manifest.network?.layerSizes.at(-1);
    if (outputs !== undefined && outputs !== manifest.actionSize + 1)
      throw new ModelError(
        'BUNDLE_SIZE_MISMATCH',
        `${source}: the network has ${outputs} outputs but the softmax head needs ${manifest.actionSize + 1} (cash + symbols)`,
        { source },
      );
  }
}
