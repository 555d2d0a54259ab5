// TrialContext: argument refusals, repeated names, buffered storage writes, history caching, pruning, search spaces.
import { describe, expect, it } from 'vitest';
import type { SearchSpace } from './distributions.js';
import { MedianPruner, NopPruner, type Pruner } from './pruners/index.js';
import { RandomSampler, type Sampler, TpeSampler } from './samplers/index.js';
import { asyncStudyStorage, type StudyStorage } from './storage/study-storage.js';
import { MemoryStorage } from './testing/memory-storage.js';
import { suggestFromSpace, TrialContext } from './trial-context.js';

function setup(options: { sampler?: Sampler; pruner?: Pruner; storage?: MemoryStorage } = {}) {
  const storage = options.storage ?? new MemoryStorage();
  const { studyId } = storage.createStudy('s', 'maximize', { loadIfExists: true });
  const open = (through: StudyStorage = asyncStudyStorage(storage)) => {
    const { trialId, number } = storage.createTrial(studyId);
    const sampler = options.sampler ?? new RandomSampler({ seed: 1 });
    return TrialContext.open(
      through,
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

/** A storage that counts its calls by method name. */
function counting(storage: MemoryStorage): { storage: StudyStorage; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const inner = asyncStudyStorage(storage);
  const proxy = new Proxy(inner, {
    get(target, key, receiver) {
      if (typeof key === 'string') calls.set(key, (calls.get(key) ?? 0) + 1);
      return Reflect.get(target, key, receiver);
    },
  });
  return { storage: proxy, calls };
}

describe('TrialContext suggestions', () => {
  it('keeps each suggestion, stores them all in one write at flush, and returns values of the asked kind', async () => {
    const { storage, open } = setup();
    const { storage: through, calls } = counting(storage);
    const ctx = await open(through);
    const lr = ctx.suggestFloat('lr', 1e-5, 1e-1, { log: true });
    const layers = ctx.suggestInt('layers', 1, 8, { step: 1 });
    const clip = ctx.suggestFloat('clip', 0.1, 0.5, { step: 0.1 });
    const act = ctx.suggestCategorical('act', ['relu', 'tanh']);
    expect(lr >= 1e-5 && lr <= 1e-1).toBe(true);
    expect(Number.isInteger(layers)).toBe(true);
    expect([0.1, 0.2, 0.3, 0.4, 0.5]).toContain(clip);
    expect(['relu', 'tanh']).toContain(act);
    expect(storage.getTrial(ctx.trialId).params).toEqual({});
    await ctx.flush();
    await ctx.flush(); // nothing left to write: no call
    expect(calls.get('updateTrial')).toBe(1);
    const stored = storage.getTrial(ctx.trialId);
    expect(stored.params).toEqual({ lr, layers, clip, act });
    expect(stored.distributions.lr).toEqual({ kind: 'float', low: 1e-5, high: 1e-1, log: true, step: null });
    expect(ctx.params).toEqual({ lr, layers, clip, act });
  });

  it('asking the same name again returns the same value and refuses a different distribution', async () => {
    const { storage, open } = setup();
    const ctx = await open();
    const x = ctx.suggestFloat('x', 0, 1);
    expect(ctx.suggestFloat('x', 0, 1)).toBe(x);
    expect(() => ctx.suggestFloat('x', 0, 2)).toThrow(
      /parameter "x" was suggested with .*"high":1.*now with .*"high":2/,
    );
    expect(() => ctx.suggestInt('x', 0, 1)).toThrow(/parameter "x" was suggested with/);
    // A new context of the same trial (e.g. after a retry) adopts what storage holds.
    await ctx.flush();
    const again = await TrialContext.open(
      asyncStudyStorage(storage),
      ctx.studyId,
      ctx.trialId,
      ctx.number,
      new RandomSampler({ seed: 99 }),
      new NopPruner(),
      'maximize',
    );
    expect(again.suggestFloat('x', 0, 1)).toBe(x);
  });

  it('refuses invalid arguments with the parameter and the problem named, writing nothing', async () => {
    const { storage, open } = setup();
    const ctx = await open();
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
    await ctx.flush();
    expect(storage.getTrial(ctx.trialId).params).toEqual({});
  });

  it('reads the history once per trial context', async () => {
    const { storage, open } = setup({ sampler: new TpeSampler({ seed: 1, nStartupTrials: 2 }) });
    for (let i = 0; i < 3; i++) {
      const ctx = await open();
      await ctx.finish('COMPLETE', ctx.suggestFloat('x', 0, 1));
    }
    const { storage: through, calls } = counting(storage);
    const ctx = await open(through);
    ctx.suggestFloat('x', 0, 1);
    ctx.suggestFloat('y', 0, 1);
    ctx.suggestInt('z', 0, 3);
    expect(calls.get('getTrials')).toBe(1);
  });

  it('keeps the buffer when a write fails, and stores it with the next one', async () => {
    const { storage, open } = setup();
    const inner = asyncStudyStorage(storage);
    let failNext = true;
    const flaky: StudyStorage = {
      ...inner,
      updateTrial: (trialId, update) => {
        if (!failNext) return inner.updateTrial(trialId, update);
        failNext = false;
        return Promise.reject(new Error('connection lost'));
      },
    };
    const ctx = await open(flaky);
    const y = ctx.suggestFloat('y', 0, 1);
    await expect(ctx.flush()).rejects.toThrow('connection lost');
    expect(storage.getTrial(ctx.trialId).params).toEqual({});
    await ctx.finish('COMPLETE', 1);
    expect(storage.getTrial(ctx.trialId).params).toEqual({ y });
    expect(storage.getTrial(ctx.trialId).state).toBe('COMPLETE');
  });

  it('suggestFromSpace suggests every parameter in name order; values do not depend on the order', async () => {
    const space: SearchSpace = {
      width: { kind: 'int', low: 8, high: 256, log: true, step: 1 },
      act: { kind: 'categorical', choices: ['relu', 'tanh'] },
      lr: { kind: 'float', low: 1e-4, high: 1e-2, log: true, step: null },
    };
    const a = setup();
    const ctx = await a.open();
    const params = suggestFromSpace(ctx, space);
    expect(Object.keys(params)).toEqual(['act', 'lr', 'width']);
    await ctx.flush();
    expect(Object.keys(a.storage.getTrial(ctx.trialId).params)).toEqual(['act', 'lr', 'width']);
    const b = await setup().open();
    expect(b.suggestInt('width', 8, 256, { log: true })).toBe(params.width);
    expect(b.suggestCategorical('act', ['relu', 'tanh'])).toBe(params.act);
  });
});

describe('TrialContext reports, pruning and attributes', () => {
  it('reports intermediate values, ignores a repeated step and refuses a bad step', async () => {
    const { storage, open } = setup();
    const ctx = await open();
    ctx.report(0, 0.5);
    ctx.report(0, 0.9);
    ctx.report(1, Number.NaN);
    await ctx.flush();
    ctx.report(1, 7); // still ignored after the flush
    await ctx.flush();
    expect([...storage.getTrial(ctx.trialId).intermediateValues]).toEqual([
      [0, 0.5],
      [1, Number.NaN],
    ]);
    expect(() => ctx.report(-1, 0)).toThrow(/step must be a non-negative integer, was -1/);
    expect(() => ctx.report(1.5, 0)).toThrow(/was 1.5/);
  });

  it('asks the pruner with the trial as reported and the finished trials read fresh', async () => {
    const { storage, open } = setup({ pruner: new MedianPruner({ nStartupTrials: 2 }) });
    for (const v of [1, 2, 3]) {
      const t = await open();
      t.report(0, v);
      await t.finish('COMPLETE', v);
    }
    const ctx = await open();
    ctx.report(0, 1.5);
    expect(await ctx.shouldPrune()).toBe(true);
    // the report was stored before the pruner was asked
    expect([...storage.getTrial(ctx.trialId).intermediateValues]).toEqual([[0, 1.5]]);
    const good = await open();
    good.report(0, 2.5);
    expect(await good.shouldPrune()).toBe(false);
  });

  it('sets user attributes and refuses an empty key', async () => {
    const { storage, open } = setup();
    const ctx = await open();
    ctx.setUserAttr('model_path', 'models/s/0');
    await ctx.flush();
    expect(storage.getTrial(ctx.trialId).userAttrs).toEqual({ model_path: 'models/s/0' });
    expect(() => ctx.setUserAttr('', 1)).toThrow(/non-empty string/);
  });
});
