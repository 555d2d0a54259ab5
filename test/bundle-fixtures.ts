// Model bundles for tests: the shared manifest fields, a rule manifest, an ensemble manifest, a PPO bundle.
import { RandomStream } from '../src/core/random.js';
import {
  createFeatureStore,
  FEATURE_NAMES,
  fitNormalisation,
  observationSize,
  updateFeatures,
} from '../src/features/index.js';
import type { MarketData } from '../src/market/market-data.js';
import {
  BUNDLE_SCHEMA_VERSION,
  type CommonManifest,
  type Manifest,
  writeBundle,
} from '../src/models/bundle/index.js';
import { createMlp } from '../src/models/mlp.js';
import { ppoBundleParts } from '../src/models/ppo/kind.js';

/** The fields every manifest shares, for `symbols`, with a fixed creation time. */
export function commonManifest(
  symbols: readonly string[],
  overrides: Partial<CommonManifest> = {},
): CommonManifest {
  return {
    symbols: [...symbols],
    timeframe: '1h',
    actionSize: symbols.length,
    params: {},
    trainingScore: 0.5,
    study: 's',
    trialNumber: 0,
    dataHash: 'test',
    trainingWindow: null,
    validationWindows: [],
    packageVersion: '0.1.0',
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** A rule bundle's manifest (sma-cross 5/20 unless `params` says otherwise). */
export function ruleManifest(
  symbols: readonly string[],
  overrides: Partial<CommonManifest> & { strategy?: string } = {},
): Manifest {
  const { strategy = 'sma-cross', ...rest } = overrides;
  return {
    schemaVersion: BUNDLE_SCHEMA_VERSION,
    kind: 'rule',
    strategy,
    ...commonManifest(symbols, { params: { fast: 5, slow: 20 }, ...rest }),
  };
}

/** An ensemble's manifest over member folders relative to the models root, with their weights. */
export function ensembleManifest(
  symbols: readonly string[],
  members: readonly { path: string; weight: number }[],
  overrides: Partial<CommonManifest> = {},
): Manifest {
  return {
    schemaVersion: BUNDLE_SCHEMA_VERSION,
    kind: 'ensemble',
    members: members.map((m) => ({ ...m })),
    ...commonManifest(symbols, overrides),
  };
}

/**
 * Writes a PPO bundle at `dir`: an MLP (observation -> 8 -> 1 + n) with seeded random weights on every
 * feature with `lookback`, normalised on frames [0, 100]; `edit` may change the manifest before it is written.
 */
export function writePpoBundle(
  dir: string,
  market: MarketData,
  options: {
    seed?: number;
    lookback?: number;
    common?: Partial<CommonManifest>;
    edit?: (m: Record<string, unknown>) => void;
  } = {},
) {
  const spec = { symbols: market.symbols, features: FEATURE_NAMES, lookback: options.lookback ?? 2 };
  const store = createFeatureStore(market, spec.features, market.length);
  updateFeatures(store, market);
  const norm = fitNormalisation(store, 0, 100);
  const stream = new RandomStream(options.seed ?? 3, 'test-bundle');
  const net = createMlp([observationSize(spec), 8, market.symbols.length + 1], () => stream.uniform());
  const parts = ppoBundleParts(spec, norm, net, {});
  const manifest: Record<string, unknown> = {
    schemaVersion: BUNDLE_SCHEMA_VERSION,
    ...parts.manifest,
    ...commonManifest(market.symbols, options.common),
  };
  options.edit?.(manifest);
  writeBundle(dir, manifest as Manifest, parts.files);
  return { spec, norm, net };
}
