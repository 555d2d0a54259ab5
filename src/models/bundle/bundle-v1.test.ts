// Bundles written before the model-kind registry (manifest schemaVersion 1) still load and trade the same.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSyntheticMarket } from '../../market/synth.js';
import { resolveSimConfig, runSimulation } from '../../sim/index.js';
import { createMlpPolicy } from '../mlp-policy.js';
import { RULE_STRATEGIES } from '../rules/registry.js';
import { bundleFileHashes, readBundle } from './bundle-files.js';
import { loadModelBundle } from './load-bundle.js';
import { decodeNetwork } from './network-codec.js';
import { sha256Hex } from './sha256.js';

// fp-rules/1: a momentum rule; fp-rules/3: PPO with weights.bin (both written by `train`); an ensemble of
// both as the deployer's ensemble mode wrote it.
const FIXTURES = join(import.meta.dirname, '../../../test/fixtures/bundles-v1');
const market = generateSyntheticMarket({ bars: 600, seed: 5 });
const config = resolveSimConfig();

/** A copy of the fixture bundles (models root with fp-rules/ and _ensembles/). */
function models(): string {
  const root = mkdtempSync(join(tmpdir(), 'ht-bundles-v1-'));
  cpSync(FIXTURES, root, { recursive: true });
  return root;
}

const raw = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
const equity = (policy: Parameters<typeof runSimulation>[1]) =>
  Array.from(runSimulation(market, policy, config).equity);

describe('schemaVersion 1 bundles', () => {
  it('a rule reads as version 2 without the fields it had no use for, and trades as its strategy', () => {
    const dir = join(models(), 'fp-rules', '1');
    const v1 = raw(dir);
    expect(v1).toMatchObject({ schemaVersion: 1, network: null, members: null, features: [] });
    const { manifest } = readBundle(dir);
    const { network, members, features, lookback, observationSize, normalisation, ...kept } = v1;
    expect(manifest).toEqual({ ...kept, schemaVersion: 2 });
    expect([network, members, normalisation, features, lookback, observationSize]).toEqual([
      null,
      null,
      null,
      [],
      0,
      0,
    ]);
    const loaded = loadModelBundle(dir, market).policy;
    const direct = RULE_STRATEGIES.momentum.create(market.symbols, market.timeframeMs, v1.params);
    expect(equity(loaded)).toEqual(equity(direct));
  });

  it('a PPO bundle keeps its observation, normalisation and network, and its policy decides the same', () => {
    const dir = join(models(), 'fp-rules', '3');
    const v1 = raw(dir);
    const { manifest, files } = readBundle(dir);
    const { strategy, members, ...kept } = v1;
    expect([strategy, members]).toEqual([null, null]);
    expect(manifest).toEqual({ ...kept, schemaVersion: 2 });
    const weights = readFileSync(join(dir, 'weights.bin'));
    expect(sha256Hex(files.get('weights.bin')!)).toBe(v1.network.sha256);
    const net = decodeNetwork(weights, v1.network.layerSizes, 'weights.bin');
    const spec = { symbols: v1.symbols, features: v1.features, lookback: v1.lookback };
    const direct = createMlpPolicy('direct', spec, v1.normalisation, net);
    expect(equity(loadModelBundle(dir, market).policy)).toEqual(equity(direct));
  });

  it('an ensemble of both loads its members and lists their files with its own', () => {
    const root = models();
    const dir = join(root, '_ensembles', 'fp-rules-1+fp-rules-3');
    const ensemble = loadModelBundle(dir, market, { modelsRoot: root }).policy;
    const members = ['1', '3'].map((k) => loadModelBundle(join(root, 'fp-rules', k), market).policy);
    const ctx = { market, t: 400, weights: Float64Array.of(1, 0, 0, 0, 0, 0, 0, 0), equity: 1e4 };
    const out = members.map(() => new Float64Array(7));
    for (const [k, m] of members.entries()) m.decide(ctx, out[k]!);
    const mean = new Float64Array(7);
    ensemble.decide(ctx, mean);
    for (let i = 0; i < 7; i++) expect(mean[i]).toBeCloseTo((out[0]![i]! + out[1]![i]!) / 2, 12);
    const files = bundleFileHashes(dir, root).map((f) => [f.bundle.slice(root.length + 1), f.file]);
    expect(files).toEqual([
      ['_ensembles/fp-rules-1+fp-rules-3', 'manifest.json'],
      ['fp-rules/1', 'manifest.json'],
      ['fp-rules/3', 'manifest.json'],
      ['fp-rules/3', 'weights.bin'],
    ]);
  });

  it('a version 1 manifest with a field its kind does not use set to a value is refused by name', () => {
    const dir = join(models(), 'fp-rules', '1');
    const v1 = raw(dir);
    v1.lookback = 3;
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(v1));
    expect(() => readBundle(dir)).toThrow(/manifest.json: .*lookback/);
  });
});
