// The lifecycle's policy loader: a bundle's policy is loaded once while its files stay the same.
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensembleManifest, ruleManifest, writePpoBundle } from '../../test/bundle-fixtures.js';
import { marketFromCloses, randomWalkCloses } from '../../test/market-fixtures.js';
import type { ModelRef } from '../lifecycle/contracts.js';
import { loadModelBundle, writeBundle } from '../models/bundle/index.js';
import { checkBundleUnchanged, createPolicyLoader } from './policy-loader.js';

const SYMBOLS = ['BTC/USDT', 'ETH/USDT'];
const market = marketFromCloses(SYMBOLS, randomWalkCloses(2, 200, 5, 0.02));

const manifest = (trialNumber: number, params: Record<string, unknown> = { fast: 5, slow: 20 }) =>
  ruleManifest(SYMBOLS, { trialNumber, params });

function setup() {
  const root = mkdtempSync(join(tmpdir(), 'ht-loader-'));
  const ref = (n: number, modelId = `s/${n}`): ModelRef => ({
    modelId,
    study: 's',
    trialNumber: n,
    trainingScore: 0.5,
    modelPath: join(root, 'models', 's', String(n)),
  });
  return { root, ref, load: createPolicyLoader(root, market) };
}

/** A loader that loaded trial n's bundle, then the bundle deleted: what a test writes in its place is next. */
function loadedThenDeleted(n: number) {
  const { ref, load } = setup();
  const dir = ref(n).modelPath;
  writeBundle(dir, manifest(n));
  const first = load(ref(n));
  rmSync(dir, { recursive: true });
  return { ref: ref(n), load, dir, first };
}

/** Changes a bundle's rule parameters by hand, as an operator editing manifest.json would. */
function editParams(dir: string, params: Record<string, unknown>): void {
  const path = join(dir, 'manifest.json');
  writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), params }, null, 2));
}

const decision = (policy: ReturnType<ReturnType<typeof createPolicyLoader>>, t: number) => {
  const out = new Float64Array(2);
  policy.decide({ market, t, weights: Float64Array.of(1, 0, 0), equity: 1 }, out);
  return [...out];
};

describe('createPolicyLoader', () => {
  it('gives the policy loaded before while the bundle is unchanged (named after each ref)', () => {
    const { ref, load } = setup();
    writeBundle(ref(1).modelPath, manifest(1));
    const first = load(ref(1));
    expect(first.name).toBe('s/1');
    expect(load(ref(1))).toBe(first);
    const renamed = load(ref(1, 'other/1'));
    expect(renamed.name).toBe('other/1');
    expect(renamed.decide).toBe(first.decide);
  });

  it('loads again a bundle written anew at the same path, and refuses one that is gone', () => {
    const { ref, load, dir, first } = loadedThenDeleted(2);
    expect(() => load(ref)).toThrow(/no model bundle/);
    writeBundle(dir, manifest(2, { fast: 3, slow: 150 }));
    const second = load(ref);
    expect(second).not.toBe(first);
    expect(second.warmupBars).toBe(149);
    // a bundle moved away and another moved in: other files, so loaded afresh
    const spare = `${dir}-spare`;
    writeBundle(spare, manifest(2, { fast: 4, slow: 30 }));
    rmSync(dir, { recursive: true });
    renameSync(spare, dir);
    expect(load(ref).warmupBars).toBe(29);
  });

  it('shares a policy without changing its decisions, whatever order its users ask in', () => {
    const { ref, load } = setup();
    writeBundle(ref(3).modelPath, manifest(3));
    const shared = load(ref(3));
    const alone = createPolicyLoader(mkdtempSync(join(tmpdir(), 'ht-loader-')), market);
    const late = decision(shared, 190); // one user far ahead, another from the start
    const fresh = alone(ref(3));
    for (let t = 19; t < 190; t += 7) expect(decision(shared, t)).toEqual(decision(fresh, t));
    expect(decision(fresh, 190)).toEqual(late);
  });

  it('keys on the content of every file: a bundle written again the same is the same policy', () => {
    const { ref, load, dir, first } = loadedThenDeleted(7);
    writeBundle(dir, manifest(7)); // new files (inode, mtime), same bytes
    expect(load(ref)).toBe(first);
  });

  it("caches an ensemble while its members' files stay the same, and loads it again when one changes", () => {
    const { root, ref, load } = setup();
    writeBundle(ref(4).modelPath, manifest(4));
    const dir = join(root, 'models', '_ensembles', 'e');
    writeBundle(dir, ensembleManifest(SYMBOLS, [{ path: 's/4', weight: 1 }], { study: '_ensembles' }));
    const ens: ModelRef = { ...ref(0, '_ensembles/e'), modelPath: dir };
    const first = load(ens);
    expect(load(ens)).toBe(first);
    rmSync(ref(4).modelPath, { recursive: true });
    expect(() => load(ens)).toThrow(/no model bundle/);
    writeBundle(ref(4).modelPath, manifest(4, { fast: 3, slow: 150 }));
    const second = load(ens);
    expect(second).not.toBe(first);
    expect(second.warmupBars).toBe(149);
  });

  it("seals a ref with its bundle's content and refuses the bundle once it changed (an ensemble's members too)", () => {
    const { root, ref, load } = setup();
    writeBundle(ref(8).modelPath, manifest(8));
    expect(load.seal({ ...ref(8), modelPath: join(root, 'missing') }).bundleSha256).toBeUndefined();
    const sealed = load.seal(ref(8));
    expect(sealed.bundleSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(load.seal(sealed)).toBe(sealed); // sealed once: the first record stays
    expect(() => checkBundleUnchanged(root, sealed)).not.toThrow();
    // the same content written again (new files) is the same bundle
    rmSync(ref(8).modelPath, { recursive: true });
    writeBundle(ref(8).modelPath, manifest(8));
    expect(load(sealed).warmupBars).toBe(19);
    // a parameter edited by hand: refused by name, a ref without a record still loads it
    editParams(ref(8).modelPath, { fast: 3, slow: 20 });
    const refused = expect.objectContaining({ code: 'BUNDLE_CHANGED' });
    expect(() => load(sealed)).toThrow(refused);
    expect(() => checkBundleUnchanged(root, sealed)).toThrow(
      /s\/8: its bundle .* changed after the model entered/,
    );
    expect(load(ref(8)).warmupBars).toBe(19);
    // an ensemble's record covers its members' files
    writeBundle(ref(9).modelPath, manifest(9));
    const dir = join(root, 'models', '_ensembles', 'e9');
    writeBundle(dir, ensembleManifest(SYMBOLS, [{ path: 's/9', weight: 1 }], { study: '_ensembles' }));
    const ens = load.seal({ ...ref(0, '_ensembles/e9'), modelPath: dir });
    load(ens);
    editParams(ref(9).modelPath, { fast: 4, slow: 20 });
    expect(() => load(ens)).toThrow(refused);
  });

  it('network models share one feature store and decide as if each had its own', () => {
    const { ref, load } = setup();
    for (const k of [5, 6]) writePpoBundle(ref(k).modelPath, market, { seed: k, common: { trialNumber: k } });
    const [a, b] = [load(ref(5)), load(ref(6))];
    const [a1, b1] = [5, 6].map((k) => loadModelBundle(ref(k).modelPath, market).policy);
    expect(decision(b, 190)).toEqual(decision(b1!, 190)); // one model far ahead first
    for (let t = 40; t < 200; t += 9) {
      expect(decision(a, t)).toEqual(decision(a1!, t));
      expect(decision(b, t)).toEqual(decision(b1!, t));
    }
    expect(decision(a, 40)).not.toEqual(decision(b, 40));
  });
});
