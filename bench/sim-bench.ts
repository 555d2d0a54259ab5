// Simulator throughput: rule and MLP policies through the full simulator, against a bare typed-array loop.

import { RandomStream } from '../src/core/random.js';
import {
  createFeatureStore,
  FEATURE_NAMES,
  fitNormalisation,
  updateFeatures,
} from '../src/features/index.js';
import { type MarketData, selectSymbols } from '../src/market/market-data.js';
import { createMlp, createMlpPolicy, createSmaCross } from '../src/models/index.js';
import { resolveSimConfig, runSimulation } from '../src/sim/index.js';
import { measure } from './measure.js';

export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const FAST = 24;
const SLOW = 120;

/**
 * The SMA-crossover strategy as a bare loop over one asset's closes: the same decisions and fee
 * convention, no simulator. The yardstick the full simulator is compared with.
 */
export function bareSmaCross(close: Float64Array, feeRate: number): number {
  let cash = 10_000;
  let qty = 0;
  let fastSum = 0;
  let slowSum = 0;
  for (let t = 0; t < close.length; t++) {
    const c = close[t]!;
    fastSum += c;
    slowSum += c;
    if (t >= FAST) fastSum -= close[t - FAST]!;
    if (t >= SLOW) slowSum -= close[t - SLOW]!;
    if (t < SLOW - 1) continue;
    const long = fastSum / FAST > slowSum / SLOW;
    if (long && qty === 0) {
      qty = (cash * 0.3) / (c * (1 + feeRate));
      cash -= qty * c * (1 + feeRate);
    } else if (!long && qty > 0) {
      cash += qty * c * (1 - feeRate);
      qty = 0;
    }
  }
  return cash + qty * close[close.length - 1]!;
}

export function simBenchmarks(market: MarketData): BenchFigure[] {
  const config = resolveSimConfig();
  const one = selectSymbols(market, [market.symbols[0]!]);
  const bars = one.length;
  const figures: BenchFigure[] = [];

  const smaOne = measure(
    () => runSimulation(one, createSmaCross(one.symbols, { fast: FAST, slow: SLOW }), config),
    {
      minSeconds: 2,
    },
  );
  const bare = measure(() => bareSmaCross(one.close.subarray(0, bars), config.feeRate), { minSeconds: 1 });
  const simRate = bars / smaOne.seconds;
  const bareRate = bars / bare.seconds;
  figures.push(
    { name: 'sma-cross, 1 asset, full simulator', value: simRate, unit: 'bars/s' },
    { name: 'sma-cross, 1 asset, bare typed-array loop', value: bareRate, unit: 'bars/s' },
    { name: 'full simulator / bare loop', value: simRate / bareRate, unit: 'ratio' },
  );

  const n = market.symbols.length;
  const smaAll = measure(() =>
    runSimulation(market, createSmaCross(market.symbols, { fast: FAST, slow: SLOW }), config),
  );
  figures.push({
    name: `sma-cross, ${n} assets, full simulator`,
    value: (market.length * n) / smaAll.seconds,
    unit: 'asset-bars/s',
  });

  const spec = { symbols: market.symbols, features: FEATURE_NAMES, lookback: 1 };
  const store = createFeatureStore(market, spec.features, market.length);
  updateFeatures(store, market);
  const norm = fitNormalisation(store, 0, Math.floor(market.length / 2));
  const inputs = 1 + n + n * FEATURE_NAMES.length;
  const stream = new RandomStream(1, 'bench:mlp');
  const net = createMlp([inputs, 64, 64, n + 1], () => stream.uniform());
  const mlp = measure(() => runSimulation(market, createMlpPolicy('bench-mlp', spec, norm, net), config), {
    warmup: 1,
    minRuns: 3,
  });
  figures.push({
    name: `MLP 2x64 (${inputs} inputs, ${FEATURE_NAMES.length} features), ${n} assets, full simulator`,
    value: (market.length * n) / mlp.seconds,
    unit: 'asset-bars/s',
    note: 'includes computing features and observations',
  });
  return figures;
}
