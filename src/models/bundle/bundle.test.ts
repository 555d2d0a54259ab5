import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  commonManifest,
  ensembleManifest,
  ruleManifest as ruleFixture,
  writePpoBundle,
} from '../../../test/bundle-fixtures.js';
import { HOUR_MS, marketFromCloses, randomWalkCloses } from '../../../test/market-fixtures.js';
import { FEATURE_NAMES } from '../../features/index.js';
import { resolveSimConfig, runSimulation } from '../../sim/index.js';
import { createBuiltinPolicy } from '../builtin.js';
import type { Manifest } from '../kinds.js';
import { createMlpPolicy } from '../mlp-policy.js';
import { bundleFileHashes, writeBundle } from './bundle-files.js';
import { marketDataHash } from './data-hash.js';
import { loadModelBundle } from './load-bundle.js';
import type { CommonManifest } from './manifest.js';
import { sha256Hex } from './sha256.js';

const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'];
const market = marketFromCloses(SYMBOLS, randomWalkCloses(3, 300, 9, 0.02));
const root = () => mkdtempSync(join(tmpdir(), 'ht-bundle-'));

const shared: Partial<CommonManifest> = {
  trainingScore: 0.42,
  study: 'unit',
  trialNumber: 3,
  dataHash: marketDataHash(market),
};
const common = () => commonManifest(SYMBOLS, shared);

const ruleManifest = (strategy = 'sma-cross', params: Record<string, unknown> = { fast: 5, slow: 20 }) =>
  ruleFixture(SYMBOLS, { ...shared, strategy, params });

const ppoBundle = (dir: string, edit?: (m: Record<string, unknown>) => void) =>
  writePpoBundle(dir, market, { common: shared, edit });

describe('model bundles', () => {
  it('a rule bundle loads and trades exactly like the rule it names', () => {
    const dir = join(root(), 'unit', '3');
    writeBundle(dir, ruleManifest());
    const { policy, manifest } = loadModelBundle(dir, market);
    // the manifest holds the rule's fields and the shared ones, nothing of other kinds
    expect(Object.keys(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')))).toEqual([
      'schemaVersion',
      'kind',
      'strategy',
      ...Object.keys(common()),
    ]);
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

  it('lists every file of a bundle with its sha256 (what the policy cache keys on)', () => {
    const dir = join(root(), 'unit', '4');
    ppoBundle(dir);
    const hashes = bundleFileHashes(dir);
    expect(hashes.map((h) => h.file)).toEqual(['manifest.json', 'weights.bin']);
    for (const h of hashes) {
      const bytes = readFileSync(join(dir, h.file));
      expect(h).toEqual({ bundle: dir, file: h.file, sha256: sha256Hex(bytes), bytes: bytes.byteLength });
    }
    // a corrupt file is refused, never hashed as if it were fine
    writeFileSync(join(dir, 'weights.bin'), Buffer.from('x'));
    expect(() => bundleFileHashes(dir)).toThrow(/weights.bin: sha256 differs/);
  });

  it('is never overwritten', () => {
    const dir = join(root(), 'unit', '3');
    writeBundle(dir, ruleManifest());
    expect(() => writeBundle(dir, { ...ruleManifest(), trainingScore: 9 })).toThrow(/exists already/);
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
    rmSync(join(dir, 'weights.bin'));
    expect(() => loadModelBundle(dir, market)).toThrow(/weights.bin: missing, but the manifest declares it/);
    const dir2 = join(base, 'unit', '7');
    ppoBundle(dir2);
    const manifest = JSON.parse(readFileSync(join(dir2, 'manifest.json'), 'utf8'));
    manifest.observationSize = 'big';
    writeFileSync(join(dir2, 'manifest.json'), JSON.stringify(manifest));
    expect(() => loadModelBundle(dir2, market)).toThrow(/manifest.json: field "observationSize"/);
    const dir3 = join(base, 'unit', '8');
    ppoBundle(dir3, (m) => {
      m['observationSize'] = 12;
    });
    expect(() => loadModelBundle(dir3, market)).toThrow(/observationSize 12 differs from 76/);
    // A field of another kind is refused by name, not ignored.
    const dir4 = join(base, 'unit', '9');
    expect(() => writeBundle(dir4, { ...ruleManifest(), network: null } as unknown as Manifest)).toThrow(
      /network/,
    );
    expect(() => writeBundle(dir4, ruleManifest(), new Map([['weights.bin', new Uint8Array(8)]]))).toThrow(
      /a rule bundle has the files \[\], was given \[weights.bin\]/,
    );
    expect(existsSync(dir4)).toBe(false);
    // A folder without a manifest is not a bundle; a manifest that cannot be read is not a missing one.
    const dir5 = join(base, 'unit', '10');
    mkdirSync(dir5, { recursive: true });
    expect(() => loadModelBundle(dir5, market)).toThrow(
      expect.objectContaining({ code: 'BUNDLE_NOT_FOUND' }),
    );
    mkdirSync(join(dir5, 'manifest.json'));
    expect(() => loadModelBundle(dir5, market)).toThrow(
      expect.objectContaining({
        code: 'FILE_UNREADABLE',
        message: expect.stringMatching(/manifest\.json: cannot be read \(EISDIR/),
      }),
    );
  });

  it('an ensemble averages its members target weights', () => {
    const base = root();
    writeBundle(join(base, 's', '0'), ruleManifest('sma-cross', { fast: 5, slow: 20 }));
    writeBundle(join(base, 's', '1'), ruleManifest('rsi-reversion', { period: 5 }));
    writeBundle(
      join(base, 's', 'ens'),
      ensembleManifest(SYMBOLS, [
        { path: 's/0', weight: 1 },
        { path: 's/1', weight: 3 },
      ]),
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
