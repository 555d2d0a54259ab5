import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveSimConfig } from '../../sim/index.js';
import type { ModelRef } from '../contracts.js';
import { dailyMarket, fixedWeights, modelRef, policyLoader, tempRoot } from '../testing/fixtures.js';
import { openServices } from '../testing/services.js';

// Daily bars: maxEvalHours 336 = 14 frames. B barely moves, so a challenger holding it never qualifies.
const market = dailyMarket(17, { A: [0.01, -0.01], B: { start: 50, returns: [0.002, 0] } });
const SYMBOLS = market.symbols;
const simConfig = resolveSimConfig({});
const holdB = () => fixedWeights(SYMBOLS, [0, 0.3]);

function setup(ids: string[], arena = {}, factories = Object.fromEntries(ids.map((id) => [id, holdB]))) {
  const root = tempRoot();
  const loader = policyLoader(factories);
  const s = openServices({ root, market, loader, simConfig, arena });
  return { root, loader, ...s };
}

const statusOf = (s: ReturnType<typeof setup>) =>
  Object.fromEntries(s.arena.state().models.map((m) => [m.modelId, m.status]));

describe('arena membership', () => {
  it('admits at most 9 challengers, best training score first; the rest wait in score order', () => {
    const ids = Array.from({ length: 12 }, (_, k) => `s/${k}`);
    const s = setup(ids);
    const scores = [5, 1, 9, 3, 7, 11, 0, 2, 8, 10, 4, 6];
    s.arena.offer(ids.map((id, k) => modelRef(s.root, id, scores[k]!)));
    const state = s.arena.state();
    const admitted = state.models.map((m) => m.trainingScore);
    expect(admitted).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3]);
    expect(state.queue.map((q) => q.trainingScore)).toEqual([2, 1, 0]);
    expect(s.arena.knownModelIds.size).toBe(12);
    // Offering known models again changes nothing.
    s.arena.offer([modelRef(s.root, 's/0', 100)]);
    expect(s.arena.state().queue.map((q) => q.trainingScore)).toEqual([2, 1, 0]);
  });

  it('a newcomer takes a free slot at once; later ones queue; expiry after maxEvalHours frees the slot for the best', () => {
    const s = setup(['s/lo', 's/mid', 's/hi'], { maxChallengers: 1 });
    const [lo, mid, hi] = [
      modelRef(s.root, 's/lo', 1),
      modelRef(s.root, 's/mid', 2),
      modelRef(s.root, 's/hi', 3),
    ];
    s.arena.offer([lo]);
    s.arena.offer([mid, hi]);
    expect(statusOf(s)).toEqual({ 's/lo': 'evaluating' });
    expect(s.arena.state().queue.map((q) => q.modelId)).toEqual(['s/hi', 's/mid']);
    s.run(0, 13);
    expect(statusOf(s)).toEqual({ 's/lo': 'evaluating' });
    s.run(13, 14); // 14 frames = 336 h without qualifying
    const state = s.arena.state();
    expect(statusOf(s)).toEqual({ 's/hi': 'evaluating', 's/lo': 'expired' });
    const expired = state.models.find((m) => m.modelId === 's/lo')!;
    expect(expired).toMatchObject({ hours: 336, leftAt: market.ts[13], portfolio: null });
    expect(expired.reason).toMatch(/did not qualify within 336 h \(failed: minExcessPct/);
    const newcomer = state.models.find((m) => m.modelId === 's/hi')!;
    expect(newcomer.startingEquity).toBe(s.paper.equity);
    s.run(14, 15);
    expect(s.arena.state().models.find((m) => m.modelId === 's/hi')!.enteredAt).toBe(market.ts[14]);
    // An expired model is never admitted again.
    s.arena.offer([lo]);
    expect(s.arena.knownModelIds.has('s/lo')).toBe(false);
    expect(s.arena.excludedModelIds.has('s/lo')).toBe(true);
    const log = s.arenaLog.lines.find((l) => l.msg === 'member expired')!;
    expect(log.fields).toMatchObject({ modelId: 's/lo', hours: 336, from: 'evaluating', to: 'expired' });
    expect(log.fields.excessReturnPct).toEqual(expect.any(Number));
  });

  it('removes a member whose bundle is gone, with the reason, and gives its slot to the queue', () => {
    const s = setup(['s/1', 's/2'], { maxChallengers: 1 });
    const refs: ModelRef[] = [modelRef(s.root, 's/1', 2), modelRef(s.root, 's/2', 1)];
    s.arena.offer(refs);
    s.run(0, 3);
    rmSync(refs[0]!.modelPath, { recursive: true });
    s.run(3, 4);
    const gone = s.arena.state().models.find((m) => m.modelId === 's/1')!;
    expect(gone.status).toBe('removed');
    expect(gone.reason).toMatch(/bundle gone: .*s\/1 no longer exists/);
    expect(statusOf(s)['s/2']).toBe('evaluating');
    expect(s.arena.excludedModelIds.has('s/1')).toBe(true);
  });

  it('removes, at a restart, a member whose bundle no longer loads, and persists that', () => {
    const s = setup(['s/1', 's/2']);
    s.arena.offer([modelRef(s.root, 's/1', 2), modelRef(s.root, 's/2', 1)]);
    s.run(0, 3);
    const reopened = openServices({
      root: s.root,
      market,
      loader: policyLoader({ 's/2': holdB }),
      simConfig,
    });
    const removed = reopened.arena.state().models.find((m) => m.modelId === 's/1')!;
    expect(removed.status).toBe('removed');
    expect(removed.reason).toMatch(/bundle cannot be loaded: no model bundle for s\/1/);
    expect(reopened.arenaLog.lines.some((l) => l.level === 'error' && l.fields.modelId === 's/1')).toBe(true);
    const again = openServices({ root: s.root, market, loader: policyLoader({ 's/2': holdB }), simConfig });
    expect(again.arena.state().models.map((m) => [m.modelId, m.status])).toEqual([
      ['s/2', 'evaluating'],
      ['s/1', 'removed'],
    ]);
  });

  it('setChampion: the shadow restarts at the paper equity; a challenger that becomes champion leaves as promoted', () => {
    const s = setup(['s/1', 's/2']);
    const [one, two] = [modelRef(s.root, 's/1', 2), modelRef(s.root, 's/2', 1)];
    s.arena.setChampion(one);
    s.arena.offer([two]);
    s.run(0, 4);
    s.arena.setChampion(two);
    const state = s.arena.state();
    expect(state.models.map((m) => [m.modelId, m.role, m.status])).toEqual([
      ['s/2', 'champion-shadow', 'evaluating'],
      ['s/2', 'challenger', 'promoted'],
      ['s/1', 'champion-shadow', 'removed'],
    ]);
    expect(state.models[0]!.startingEquity).toBe(s.paper.equity);
    // The replaced champion may come back as a challenger.
    s.arena.offer([one]);
    expect(s.arena.knownModelIds).toEqual(new Set(['s/2', 's/1']));
  });
});
