import { describe, expect, it } from 'vitest';
import type { FrozenTrial, TrialState } from '../trial.js';
import { FinishedTrialCache } from './finished-trial-cache.js';

const trial = (trialId: number, number: number, state: TrialState): FrozenTrial => ({
  trialId,
  number,
  state,
  value: state === 'COMPLETE' ? number : null,
  params: {},
  distributions: {},
  userAttrs: {},
  systemAttrs: {},
  intermediateValues: new Map(),
  datetimeStart: null,
  datetimeComplete: null,
});

describe('FinishedTrialCache', () => {
  it('asks for everything first, then for newer and still-unfinished trials only', () => {
    const cache = new FinishedTrialCache();
    expect(cache.scope(1)).toEqual({ afterId: 0, ids: [] });
    const first = cache.merge(1, [trial(3, 0, 'COMPLETE'), trial(5, 1, 'RUNNING'), trial(8, 2, 'WAITING')]);
    expect(first.map((t) => t.number)).toEqual([0, 1, 2]);
    expect(cache.scope(1)).toEqual({ afterId: 8, ids: [5, 8] });
    expect(cache.scope(2)).toEqual({ afterId: 0, ids: [] });

    // trial 5 finished, trial 8 was deleted, trial 9 is new
    const second = cache.merge(1, [trial(5, 1, 'FAIL'), trial(9, 3, 'RUNNING')]);
    expect(second.map((t) => [t.number, t.state])).toEqual([
      [0, 'COMPLETE'],
      [1, 'FAIL'],
      [3, 'RUNNING'],
    ]);
    expect(cache.scope(1)).toEqual({ afterId: 9, ids: [9] });
    expect(cache.merge(1, [], ['COMPLETE', 'FAIL']).map((t) => t.number)).toEqual([0, 1]);
    expect(cache.merge(1, [], []).map((t) => t.number)).toEqual([]);
    cache.forget(1);
    expect(cache.scope(1)).toEqual({ afterId: 0, ids: [] });
  });

  it('orders by number, then trial id (a duplicated number stays visible)', () => {
    const cache = new FinishedTrialCache();
    const out = cache.merge(1, [trial(7, 1, 'COMPLETE'), trial(2, 1, 'COMPLETE'), trial(4, 0, 'FAIL')]);
    expect(out.map((t) => t.trialId)).toEqual([4, 2, 7]);
  });
});
