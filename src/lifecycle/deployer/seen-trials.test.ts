// The deployer's growing id lists (seenTrials, everDeployed): looked up through sets, kept byte-identical.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RankedTrial } from '../../training/ranked-trials.js';
import { deployerFixture, deployerFrame, trial } from '../testing/deployer-fakes.js';
import { listHas } from './decide.js';
import { Deployer } from './deployer.js';

/** A deployer over fakes, stepped on frames 0..frames-1 with `trialsAt`; returns its state file and swaps. */
function run(trialsAt: (t: number) => readonly RankedTrial[], frames: number) {
  let t = 0;
  const s = deployerFixture(() => trialsAt(t), { mode: 'hybrid', studies: ['s'], scoreMargin: 0.05 });
  const d = Deployer.open(s.deps);
  for (; t < frames; t++) d.onFrame(deployerFrame(t));
  const state = readFileSync(join(s.root, 'deployments', 'deployment_state.json'), 'utf8');
  return {
    state,
    swaps: s.swaps,
    history: readFileSync(join(s.root, 'deployments', 'history.jsonl'), 'utf8'),
  };
}

describe('deployer id lists', () => {
  it('records the same files whether trialsAt returns one frozen array while nothing is new, or fresh copies', () => {
    // 40 trials, 2 released every 3 frames, scores rising and falling: deploys, skips, seen trials
    const all = Array.from({ length: 40 }, (_, k) => trial(k, (k % 7) / 5 + k / 100));
    const released = (t: number) =>
      all.slice(0, 2 * (Math.floor(t / 3) + 1)).sort((a, b) => b.value - a.value || a.number - b.number);
    let frozen: readonly RankedTrial[] = [];
    let frozenFor = -1;
    const cached = (t: number) => {
      if (Math.floor(t / 3) !== frozenFor) {
        frozen = Object.freeze(released(t));
        frozenFor = Math.floor(t / 3);
      }
      return frozen;
    };
    const a = run(cached, 60);
    const b = run((t) => [...released(t)], 60);
    expect(a.state).toBe(b.state);
    expect(a.history).toBe(b.history);
    expect(a.swaps).toEqual(b.swaps);
    expect(a.swaps.length).toBeGreaterThan(3);
    const state = JSON.parse(a.state);
    expect(state.seenTrials).toHaveLength(40);
    expect(new Set(state.seenTrials).size).toBe(40);
    expect(state.history.length).toBeLessThanOrEqual(20);
  });

  it('listHas answers like includes, also for a list grown in place', () => {
    const ids = Array.from({ length: 20 }, (_, k) => `s/${k}`);
    for (const id of ['s/0', 's/19', 's/20', 'x']) expect(listHas(ids, id)).toBe(ids.includes(id));
    ids.push('s/20');
    expect(listHas(ids, 's/20')).toBe(true);
    expect(listHas(['a', 'b'], 'b')).toBe(true);
    expect(listHas([], 'b')).toBe(false);
  });
});
