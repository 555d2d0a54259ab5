// TrialContext: argument refusals, repeated names, storage writes, history caching, pruning, search spaces.
import { describe, expect, it } from 'vitest';
import type { SearchSpace } from './distributions.js';
import { MedianPruner, NopPruner, type Pruner } from './pruners/index.js';
import { RandomSampler, type Sampler, TpeSampler } from './samplers/index.js';
import type { StudyStorage } from './storage/study-storage.js';
import { MemoryStorage } from './testing/memory-storage.js';
import { suggestFromSpace, TrialContext } from './trial-context.js';

function setup(options: { sampler?: Sampler; pruner?: Pruner; storage?: MemoryStorage } = {}) {
  const storage = options.storage ?? new MemoryStorage();
  const { studyId } = storage.createStudy('s', 'maximize', { loadIfExists: true });
  const open = () => {
    const { trialId, number } = storage.createTrial(studyId);
    const sampler = options.sampler ?? new RandomSampler({ seed: 1 });
    return new TrialContext(
      storage,
      studyId,
      trialId,
      number,
      sampler,
      options.pruner ?? new NopPruner(),
      'maximize',
    );
  };
  return { storage, studyId, open };
}

describe('TrialContext suggestions', () => {
  it('records each suggestion in storage and returns values of the asked kind', () => {
    const { storage, open } = setup();
    const ctx = open();
    const lr = ctx.suggestFloat('lr', 1e-5, 1e-1, { log: true });
    const layers = ctx.suggestInt('layers', 1, 8, { step: 1 });
    const clip = ctx.suggestFloat('clip', 0.1, 0.5, { step: 0.1 });
    const act = ctx.suggestCategorical('act', ['relu', 'tanh']);
    expect(lr >= 1e-5 && lr <= 1e-1).toBe(true);
    expect(Number.isInteger(layers)).toBe(true);
    expect([0.1, 0.2, 0.3, 0.4, 0.5]).toContain(clip);
    expect(['relu', 'tanh']).toContain(act);
    const stored = storage.getTrial(ctx.trialId);
    expect(stored.params).toEqual({ lr, layers, clip, act });
    expect(stored.distributions.lr).toEqual({ kind: 'float', low: 1e-5, high: 1e-1, log: true, step: null });
    expect(ctx.params).toEqual({ lr, layers, clip, act });
  });

  it('asking the same name again returns the same value and refuses a different distribution', () => {
    const { storage, open } = setup();
    const ctx = open();
    const x = ctx.suggestFloat('x', 0, 1);
    expect(ctx.suggestFloat('x', 0, 1)).toBe(x);
    expect(() => ctx.suggestFloat('x', 0, 2)).toThrow(
      /parameter "x" was suggested with .*"high":1.*now with .*"high":2/,
    );
    expect(() => ctx.suggestInt('x', 0, 1)).toThrow(/parameter "x" was suggested with/);
    // A new context of the same trial (e.g. after a retry) adopts what storage holds.
    const again = new TrialContext(
      storage,
      ctx.studyId,
      ctx.trialId,
      ctx.number,
      new RandomSampler({ seed: 99 }),
      new NopPruner(),
      'maximize',
    );
    expect(again.suggestFloat('x', 0, 1)).toBe(x);
  });

  it('refuses invalid arguments with the parameter and the problem named, writing nothing', () => {
    const { storage, open } = setup();
    const ctx = open();
    expect(() => ctx.suggestFloat('lr', 1, 0)).toThrow(
      'parameter "lr": low must be <= high, was low 1 > high 0',
    );
    expect(() => ctx.suggestFloat('lr', 0, 1, { log: true })).toThrow(
      'parameter "lr": log requires low > 0, was 0',
    );
    expect(() => ctx.suggestFloat('lr', 0.1, 1, { log: true, step: 0.1 })).toThrow(
      /parameter "lr": step cannot be used with log/,
    );
    expect(() => ctx.suggestInt('n', 1, 10, { step: 0 })).toThrow(
      /parameter "n": step must be a positive integer/,
    );
    expect(() => ctx.suggestInt('n', 1.5, 10)).toThrow(/parameter "n": low must be an integer, was 1.5/);
    expect(() => ctx.suggestInt('n', 0, 10, { log: true })).toThrow(/parameter "n": log requires low >= 1/);
    expect(() => ctx.suggestCategorical('c', [])).toThrow(/parameter "c": choices must be a non-empty array/);
    expect(() => ctx.suggestFloat('', 0, 1)).toThrow(/non-empty string/);
    expect(storage.getTrial(ctx.trialId).params).toEqual({});
  });

  it('reads the history once per trial context', () => {
    const { storage, studyId, open } = setup({ sampler: new TpeSampler({ seed: 1, nStartupTrials: 2 }) });
    let reads = 0;
    const counting: StudyStorage = new Proxy(storage, {
      get(target, key, receiver) {
        if (key === 'getTrials') reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    for (let i = 0; i < 3; i++) {
      const ctx = open();
      storage.finishTrial(ctx.trialId, 'COMPLETE', ctx.suggestFloat('x', 0, 1));
    }
    const { trialId, number } = storage.createTrial(studyId);
    const ctx = new TrialContext(
      counting,
      studyId,
      trialId,
      number,
      new TpeSampler({ seed: 1, nStartupTrials: 2 }),
      new NopPruner(),
      'maximize',
    );
    ctx.suggestFloat('x', 0, 1);
    ctx.suggestFloat('y', 0, 1);
    ctx.suggestInt('z', 0, 3);
    expect(reads).toBe(1);
  });

  it('suggestFromSpace suggests every parameter in name order; values do not depend on the order', () => {
    const space: SearchSpace = {
      width: { kind: 'int', low: 8, high: 256, log: true, step: 1 },
      act: { kind: 'categorical', choices: ['relu', 'tanh'] },
      lr: { kind: 'float', low: 1e-4, high: 1e-2, log: true, step: null },
    };
    const a = setup();
    const ctx = a.open();
    const params = suggestFromSpace(ctx, space);
    expect(Object.keys(params)).toEqual(['act', 'lr', 'width']);
    expect(Object.keys(a.storage.getTrial(ctx.trialId).params)).toEqual(['act', 'lr', 'width']);
    const b = setup().open();
    expect(b.suggestInt('width', 8, 256, { log: true })).toBe(params.width);
    expect(b.suggestCategorical('act', ['relu', 'tanh'])).toBe(params.act);
  });
});

describe('TrialContext reports, pruning and attributes', () => {
  it('reports intermediate values, ignores a repeated step and refuses a bad step', () => {
    const { storage, open } = setup();
    const ctx = open();
    ctx.report(0, 0.5);
    ctx.report(0, 0.9);
    ctx.report(1, Number.NaN);
    expect([...storage.getTrial(ctx.trialId).intermediateValues]).toEqual([
      [0, 0.5],
      [1, Number.NaN],
    ]);
    expect(() => ctx.report(-1, 0)).toThrow(/step must be a non-negative integer, was -1/);
    expect(() => ctx.report(1.5, 0)).toThrow(/was 1.5/);
  });

  it('asks the pruner with the stored trial and the finished trials read fresh', () => {
    const { storage, open } = setup({ pruner: new MedianPruner({ nStartupTrials: 2 }) });
    for (const v of [1, 2, 3]) {
      const t = open();
      t.report(0, v);
      storage.finishTrial(t.trialId, 'COMPLETE', v);
    }
    const ctx = open();
    ctx.report(0, 1.5);
    expect(ctx.shouldPrune()).toBe(true);
    const good = open();
    good.report(0, 2.5);
    expect(good.shouldPrune()).toBe(false);
  });

  it('sets user attributes and refuses an empty key', () => {
    const { storage, open } = setup();
    const ctx = open();
    ctx.setUserAttr('model_path', 'models/s/0');
    expect(storage.getTrial(ctx.trialId).userAttrs).toEqual({ model_path: 'models/s/0' });
    expect(() => ctx.setUserAttr('', 1)).toThrow(/non-empty string/);
  });
});
