import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOUR_MS, marketFromCloses, randomWalkCloses } from '../../../test/market-fixtures.js';
import { RandomStream } from '../../core/random.js';
import {
  createFeatureStore,
  FEATURE_NAMES,
  fitNormalisation,
  observationSize,
  updateFeatures,
} from '../../features/index.js';
import { resolveSimConfig, runSimulation } from '../../sim/index.js';
import { createBuiltinPolicy } from '../builtin.js';
import { createMlp } from '../mlp.js';
import { createMlpPolicy } from '../mlp-policy.js';
import { sha256Hex, writeBundle } from './bundle-files.js';
import { marketDataHash } from './data-hash.js';
import { loadModelBundle } from './load-bundle.js';
import type { Manifest } from './manifest.js';
import { encodeNetwork, layerSizes } from './network-codec.js';

const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'];
const market = marketFromCloses(SYMBOLS, randomWalkCloses(3, 300, 9, 0.02));
const root = () => mkdtempSync(join(tmpdir(), 'ht-bundle-'));

function ruleManifest(overrides: Partial<Manifest> = {}): Manifest {
  return {
    schemaVersion: 1,
    kind: 'rule',
    strategy: 'sma-cross',
    symbols: SYMBOLS,
    timeframe: '1h',
    features: [],
    lookback: 0,
    observationSize: 0,
    actionSize: 3,
    normalisation: null,
    params: { fast: 5, slow: 20 },
    trainingScore: 0.42,
    study: 'unit',
    trialNumber: 3,
    dataHash: marketDataHash(market),
    trainingWindow: null,
    validationWindows: [],
    packageVersion: '0.1.0',
    createdAt: '2026-01-01T00:00:00.000Z',
    network: null,
    members: null,
    ...overrides,
  };
}

function ppoBundle(dir: string) {
  const spec = { symbols: SYMBOLS, features: FEATURE_NAMES, lookback: 2 };
  const store = createFeatureStore(market, spec.features, market.length);
  updateFeatures(store, market);
  const norm = fitNormalisation(store, 0, 150);
  const stream = new RandomStream(3, 'test');
  const net = createMlp([observationSize(spec), 8, 4], () => stream.uniform());
  const weights = encodeNetwork(net);
  writeBundle(
    dir,
    ruleManifest({
      kind: 'ppo',
      strategy: null,
      features: [...FEATURE_NAMES],
      lookback: 2,
      observationSize: observationSize(spec),
      normalisation: norm,
      params: {},
      network: {
        layerSizes: layerSizes(net),
        activation: 'tanh',
        head: 'softmax-cash-first',
        sha256: sha256Hex(weights),
      },
    }),
    weights,
  );
  return { spec, norm, net };
}

describe('model bundles', () => {
  it('a rule bundle loads and trades exactly like the rule it names', () => {
    const dir = join(root(), 'unit', '3');
    writeBundle(dir, ruleManifest(), null);
    const { policy, manifest } = loadModelBundle(dir, market);
    expect(manifest.trainingScore).toBe(0.42);
    const config = resolveSimConfig();
    const a = runSimulation(market, policy, config);
    const b = runSimulation(market, createBuiltinPolicy('builtin:sma-cross?fast=5&slow=20', SYMBOLS), config);
    expect(Array.from(a.equity)).toEqual(Array.from(b.equity));
  });

  it('a network bundle round-trips its weights exactly', () => {
    const dir = join(root(), 'unit', '4');
    const { spec, norm, net } = ppoBundle(dir);
    const loaded = loadModelBundle(dir, market);
    const config = resolveSimConfig();
    const a = runSimulation(market, loaded.policy, config);
    const b = runSimulation(market, createMlpPolicy('x', spec, norm, net), config);
    expect(Array.from(a.equity)).toEqual(Array.from(b.equity));
    expect(a.portfolio.fills).toBeGreaterThan(0);
  });

  it('is never overwritten', () => {
    const dir = join(root(), 'unit', '3');
    writeBundle(dir, ruleManifest(), null);
    expect(() => writeBundle(dir, ruleManifest({ trainingScore: 9 }), null)).toThrow(/exists already/);
    expect(loadModelBundle(dir, market).manifest.trainingScore).toBe(0.42);
  });

  describe('refuses a market it does not fit, saying what differs', () => {
    const dir = join(root(), 'unit', '5');
    ppoBundle(dir);
    it('a renamed symbol', () => {
      const renamed = { symbols: ['BTC/USDT', 'ETH/USDT', 'ADA/USDT'], timeframeMs: HOUR_MS };
      expect(() => loadModelBundle(dir, renamed)).toThrow(
        /the market lacks SOL\/USDT; the model does not trade ADA\/USDT/,
      );
    });
    it('reordered symbols', () => {
      const reordered = { symbols: ['ETH/USDT', 'BTC/USDT', 'SOL/USDT'], timeframeMs: HOUR_MS };
      expect(() => loadModelBundle(dir, reordered)).toThrow(/same symbols in a different order/);
    });
    it('a missing feature', () => {
      const fewer = {
        symbols: SYMBOLS,
        timeframeMs: HOUR_MS,
        features: FEATURE_NAMES.filter((f) => f !== 'rsi_14'),
      };
      expect(() => loadModelBundle(dir, fewer)).toThrow(/needs feature\(s\) rsi_14/);
    });
    it('another timeframe', () => {
      expect(() => loadModelBundle(dir, { symbols: SYMBOLS, timeframeMs: 4 * HOUR_MS })).toThrow(
        /trained on 1h bars, the market has 4h/,
      );
    });
  });

  it('refuses a corrupt manifest or weights, naming the file and field', () => {
    const base = root();
    const dir = join(base, 'unit', '6');
    ppoBundle(dir);
    const weights = readFileSync(join(dir, 'weights.bin'));
    weights[10] = weights[10]! ^ 0xff;
    writeFileSync(join(dir, 'weights.bin'), weights);
    expect(() => loadModelBundle(dir, market)).toThrow(/weights.bin: sha256 differs/);
    const dir2 = join(base, 'unit', '7');
    writeBundle(dir2, ruleManifest(), null);
    const manifest = JSON.parse(readFileSync(join(dir2, 'manifest.json'), 'utf8'));
    manifest.observationSize = 'big';
    writeFileSync(join(dir2, 'manifest.json'), JSON.stringify(manifest));
    expect(() => loadModelBundle(dir2, market)).toThrow(/manifest.json: field "observationSize"/);
    const dir3 = join(base, 'unit', '8');
    writeBundle(dir3, ruleManifest({ observationSize: 12, features: ['rsi_14'], lookback: 1 }), null);
    expect(() => loadModelBundle(dir3, market)).toThrow(/observationSize 12 differs from 7/);
  });

  it('an ensemble averages its members target weights', () => {
    const base = root();
    writeBundle(join(base, 's', '0'), ruleManifest({ params: { fast: 5, slow: 20 } }), null);
    writeBundle(
      join(base, 's', '1'),
      ruleManifest({ strategy: 'rsi-reversion', params: { period: 5 } }),
      null,
    );
    writeBundle(
      join(base, 's', 'ens'),
      ruleManifest({
        kind: 'ensemble',
        strategy: null,
        params: {},
        members: [
          { path: 's/0', weight: 1 },
          { path: 's/1', weight: 3 },
        ],
      }),
      null,
    );
    const ens = loadModelBundle(join(base, 's', 'ens'), market, { modelsRoot: base }).policy;
    const a = loadModelBundle(join(base, 's', '0'), market).policy;
    const b = loadModelBundle(join(base, 's', '1'), market).policy;
    const ctx = { market, t: 150, weights: Float64Array.of(1, 0, 0, 0), equity: 1e4 };
    const [oe, oa, ob] = [new Float64Array(3), new Float64Array(3), new Float64Array(3)];
    ens.decide(ctx, oe);
    a.decide(ctx, oa);
    b.decide(ctx, ob);
    for (let i = 0; i < 3; i++) expect(oe[i]).toBeCloseTo(0.25 * oa[i]! + 0.75 * ob[i]!, 12);
  });
});
