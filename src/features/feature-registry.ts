// The registry of named per-symbol features: definition, unit, warm-up and the kernel computing each.
import { ConfigError } from '../core/errors.js';
import { AtrKernel } from './atr.js';
import { CciKernel } from './cci.js';
import { DxKernel } from './dx.js';
import type { FeatureKernel } from './feature-kernel.js';
import { LogReturnKernel } from './log-return.js';
import { MacdKernel } from './macd.js';
import { RollingVolKernel, VolumeZKernel } from './rolling-stats.js';
import { RsiKernel } from './rsi.js';

/** One named feature of one symbol, computed from that symbol's bars only. */
export interface FeatureDefinition {
  readonly name: string;
  /** First frame index with a valid (finite) value; earlier frames hold NaN. */
  readonly warmUp: number;
  readonly unit: string;
  readonly description: string;
  /** Features of the same group share one kernel instance per symbol (e.g. the three MACD outputs). */
  readonly group: string;
  /** Which output of the group's kernel this feature is. */
  readonly output: number;
  /** A fresh kernel for the group (one per symbol). */
  readonly createKernel: () => FeatureKernel;
}

type Spec = Omit<FeatureDefinition, 'warmUp'>;

const specs: readonly Spec[] = [
  {
    name: 'ret_1',
    unit: 'log return',
    description: 'ln(close_t / close_{t-1})',
    group: 'ret_1',
    output: 0,
    createKernel: () => new LogReturnKernel(1),
  },
  {
    name: 'ret_4',
    unit: 'log return',
    description: 'ln(close_t / close_{t-4})',
    group: 'ret_4',
    output: 0,
    createKernel: () => new LogReturnKernel(4),
  },
  {
    name: 'ret_24',
    unit: 'log return',
    description: 'ln(close_t / close_{t-24})',
    group: 'ret_24',
    output: 0,
    createKernel: () => new LogReturnKernel(24),
  },
  {
    name: 'macd',
    unit: 'fraction of close',
    description: '(EMA12 - EMA26) / close',
    group: 'macd_12_26_9',
    output: 0,
    createKernel: () => new MacdKernel(12, 26, 9),
  },
  {
    name: 'macd_signal',
    unit: 'fraction of close',
    description: 'EMA9(EMA12 - EMA26) / close',
    group: 'macd_12_26_9',
    output: 1,
    createKernel: () => new MacdKernel(12, 26, 9),
  },
  {
    name: 'macd_hist',
    unit: 'fraction of close',
    description: '(macd - signal) / close',
    group: 'macd_12_26_9',
    output: 2,
    createKernel: () => new MacdKernel(12, 26, 9),
  },
  {
    name: 'rsi_14',
    unit: 'index 0..100',
    description: "Wilder's RSI(14) of the close",
    group: 'rsi_14',
    output: 0,
    createKernel: () => new RsiKernel(14),
  },
  {
    name: 'cci_14',
    unit: 'unitless',
    description: 'CCI(14) of the typical price, constant 0.015',
    group: 'cci_14',
    output: 0,
    createKernel: () => new CciKernel(14),
  },
  {
    name: 'dx_14',
    unit: 'index 0..100',
    description: "Wilder's DX(14)",
    group: 'dx_14',
    output: 0,
    createKernel: () => new DxKernel(14),
  },
  {
    name: 'atr_14',
    unit: 'fraction of close',
    description: "Wilder's ATR(14) / close",
    group: 'atr_14',
    output: 0,
    createKernel: () => new AtrKernel(14),
  },
  {
    name: 'vol_24',
    unit: 'log return per bar',
    description: 'sample std of the last 24 one-bar log returns',
    group: 'vol_24',
    output: 0,
    createKernel: () => new RollingVolKernel(24),
  },
  {
    name: 'volume_z_24',
    unit: 'z-score',
    description: "(volume_t - mean) / std of the previous 24 bars' raw volume",
    group: 'volume_z_24',
    output: 0,
    createKernel: () => new VolumeZKernel(24),
  },
];

const registry: ReadonlyMap<string, FeatureDefinition> = new Map(
  specs.map((s) => [s.name, Object.freeze({ ...s, warmUp: s.createKernel().warmUps[s.output]! })]),
);

/** Every known feature name, in registry order. */
export const FEATURE_NAMES: readonly string[] = Object.freeze(specs.map((s) => s.name));

function unknownFeature(name: string): ConfigError {
  return new ConfigError(
    'FEATURE_UNKNOWN',
    `unknown feature "${name}"; known features: ${FEATURE_NAMES.join(', ')}`,
    { feature: name, known: FEATURE_NAMES },
  );
}

/** The definition of a feature. Throws ConfigError naming it and listing the known ones. */
export function featureDefinition(name: string): FeatureDefinition {
  const def = registry.get(name);
  if (!def) throw unknownFeature(name);
  return def;
}

/**
 * Definitions for a list of feature names, in the given order. Throws ConfigError on an empty list,
 * an unknown name (listing the known ones) or a duplicate.
 */
export function resolveFeatures(names: readonly string[]): readonly FeatureDefinition[] {
  if (names.length === 0)
    throw new ConfigError(
      'FEATURES_EMPTY',
      `at least one feature is needed; known: ${FEATURE_NAMES.join(', ')}`,
    );
  const seen = new Set<string>();
  return names.map((name) => {
    if (seen.has(name))
      throw new ConfigError('FEATURE_DUPLICATE', `feature "${name}" is listed twice`, { feature: name });
    seen.add(name);
    return featureDefinition(name);
  });
}

/** The largest warm-up of the named features: the first frame at which all of them are valid. */
export function maxWarmUp(names: readonly string[]): number {
  let max = 0;
  for (let k = 0; k < names.length; k++) {
    // indexed loop: called from buildObservation, which must not allocate
    const def = registry.get(names[k]!);
    if (!def) throw unknownFeature(names[k]!);
    if (def.warmUp > max) max = def.warmUp;
  }
  return max;
}
