// Loads a ModelRef's policy from its bundle for the market being traded, with the compatibility checks.
import { join } from 'node:path';
import type { ModelRef, PolicyLoader } from '../lifecycle/contracts.js';
import type { MarketData } from '../market/market-data.js';
import { loadModelBundle } from '../models/bundle/index.js';

/** A PolicyLoader for `market` (its symbols, order and timeframe); ensemble members resolve under root/models. */
export function createPolicyLoader(
  root: string,
  market: Pick<MarketData, 'symbols' | 'timeframeMs'>,
): PolicyLoader {
  const modelsRoot = join(root, 'models');
  return (ref: ModelRef) => {
    const { policy } = loadModelBundle(ref.modelPath, market, { modelsRoot });
    return { ...policy, name: ref.modelId };
  };
}
