// The deployer's growing id lists (seenTrials, everDeployed): looked up through sets, kept byte-identical.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { marketFromCloses } from '../../../test/market-fixtures.js';
import { createEqualWeight } from '../../models/index.js';
import type { RankedTrial } from '../../training/ranked-trials.js';
import type { ArenaControl, ModelRef, PaperControl } from '../contracts.js';
import { listHas } from './decide.js';
import { Deployer } from './deployer.js';
import { DeployerConfigSchema } from './deployment-state.js';

const market = marketFromCloses(['A'], [Array.from({ length: 60 }, (_, t) => 100 + t)]);
const trial = (number: number, value: number): RankedTrial => ({
  study: 's',
  number,
  trialId: number + 1,
  value,
  modelPath: `/models/s/${number}`,
  completedAt: 0,
  params: {},
});

/** A deployer over fakes, stepped on frames 0..frames-1 with `trialsAt`; returns its state file and swaps. */
function run(trialsAt: (t: number) => readonly RankedTrial[], frames: number) {
  const root = mkdtempSync(join(tmpdir(), 'ht-deployer-'));
  const swaps: string[] = [];
  const paper: PaperControl & { model: ModelRef | null } = {
    model: null,
    equity: 10_000,
    paused: false,
    setModel(ref) {
      paper.model = ref;
      swaps.push(ref.modelId);
    },
    setUnavailableModel(ref) {
      paper.model = ref;
      swaps.push(`${ref.modelId} (unavailable)`);
    },
    setPaused() {},
    returnSince: () => 0,
  };
  const known = new Set<string>();
  let champion: ModelRef | null = null;
  const arena: ArenaControl = {
    offer: (refs) => {
      for (const r of refs) known.add(r.modelId);
    },
    setChampion: (ref) => {
      champion = ref;
    },
    remove: (id) => known.delete(id),
    knownModelIds: known,
    promotionCheck: () => null,
    activeMember: () => null,
    get champion() {
      return champion;
    },
  };
  let t = 0;
  const d = Deployer.open({
    root,
    config: DeployerConfigSchema.parse({ mode: 'hybrid', studies: ['s'], scoreMargin: 0.05 }),
    paper,
    arena,
    loadPolicy: () => createEqualWeight(['A']),
    logger: { info() {}, warn() {}, error() {} },
    trialsAt: () => trialsAt(t),
    readCandidate: () => null,
    archiveCandidate: () => {},
  });
  for (; t < frames; t++) d.onFrame({ market, t, ts: market.ts[t]! });
  const state = readFileSync(join(root, 'deployments', 'deployment_state.json'), 'utf8');
  return { state, swaps, history: readFileSync(join(root, 'deployments', 'history.jsonl'), 'utf8') };
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
