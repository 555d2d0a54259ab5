import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExcessAccumulator, spendingBoundary } from '../../metrics/index.js';
import { resolveSimConfig } from '../../sim/index.js';
import { dailyMarket, fixedWeights, holdingLoader, modelRef, tempRoot } from '../testing/fixtures.js';
import { openServices } from '../testing/services.js';
import { arenaPaths } from './arena-paths.js';
import {
  ExcessTestConfigSchema,
  type ExcessTestDesign,
  evaluateExcessTests,
  recommendedHorizonBars,
  spendingPower,
} from './excess-test.js';

const design = (over: Record<string, unknown> = {}): ExcessTestDesign => ({
  config: ExcessTestConfigSchema.parse(over),
  horizonBars: 1344,
  familySize: 9,
  periodsPerYear: 8760,
  hoursPerBar: 1,
});

/** A summary with a given t-statistic at n bars (mean 1, sd 10, LRV chosen to give t). */
function summaryWith(t: number, n: number) {
  return { n, mean: 1, sd: 10, longRunVariance: n / (t * t), lag: 7, tStat: t };
}

describe('the statistical rule (pure)', () => {
  it('spending + Holm: at 1,344 h the smallest p-value must reach alpha / 9 (t >= 2.773)', () => {
    const [strong, weak, none] = evaluateExcessTests(design(), [
      { summary: summaryWith(2.8, 1344) },
      { summary: summaryWith(2.7, 1344) },
      { summary: null },
    ]);
    expect(strong!.passed).toBe(true);
    expect(strong!.level).toBeCloseTo(0.05 / 9, 12);
    expect(strong!.boundary).toBeCloseTo(spendingBoundary(0.05 / 9), 9);
    expect(strong!.rank).toBe(1);
    // Holm: the second is tested at alpha / 8 once the first is rejected, and fails at t 2.7 (< 2.734)
    expect(weak!.level).toBeCloseTo(0.05 / 8, 12);
    expect(weak!.passed).toBe(false);
    expect(none).toMatchObject({ passed: false, pValue: 1, statistic: null });
    expect(strong!.method).toMatch(/Newey-West, lag 7.*spending over 1344 h.*Holm over 9 challengers/);
  });

  it('half way through the horizon the same t is far from enough (boundary c sqrt(2))', () => {
    const [e] = evaluateExcessTests(design(), [{ summary: summaryWith(2.8, 672) }]);
    expect(e!.passed).toBe(false);
    expect(e!.boundary).toBeCloseTo(spendingBoundary(0.05 / 9) * Math.SQRT2, 9);
  });

  it('the explanation never changes the verdict', () => {
    const inputs = [2.9, 1, -1, 3.5, 0.2].map((t, k) => ({ summary: summaryWith(t, 1000 + k * 80) }));
    const full = evaluateExcessTests(design(), inputs);
    const bare = evaluateExcessTests(design(), inputs, { explain: false });
    expect(bare.map((e) => [e.passed, e.pValue, e.level])).toEqual(
      full.map((e) => [e.passed, e.pValue, e.level]),
    );
  });

  it('tells the observed IR with its interval and the hours a real edge of that size would still need', () => {
    // IR 10 observed after 336 h: its expected statistic reaches the boundary at c sqrt(T) / (10 / sqrt(8760))
    const acc = new ExcessAccumulator(8);
    for (let i = 0; i < 336; i++)
      acc.push(0.001 * (i % 2 === 0 ? 1.5 : -1.5) + 0.001 * (10 / Math.sqrt(8760)) * 1.5);
    const [e] = evaluateExcessTests(design(), [{ summary: acc.summary() }]);
    expect(e!.ir).toBeCloseTo(10, 0);
    expect(e!.irLower!).toBeLessThan(e!.ir!);
    expect(e!.irUpper!).toBeGreaterThan(e!.ir!);
    const needed = Math.ceil((spendingBoundary(0.05 / 9) * Math.sqrt(1344)) / (e!.ir! / Math.sqrt(8760)));
    expect(e!.hoursToDecision).toBe(needed - 336);
    // an IR of 3 cannot be decided within 1,344 h: the horizon it would need instead
    const slow = new ExcessAccumulator(8);
    for (let i = 0; i < 336; i++)
      slow.push(0.001 * (i % 2 === 0 ? 1.5 : -1.5) + 0.001 * (3 / Math.sqrt(8760)) * 1.5);
    const [s] = evaluateExcessTests(design(), [{ summary: slow.summary() }]);
    expect(s!.hoursToDecision).toBeNull();
    expect(s!.horizonNeededHours).toBeGreaterThan(1344 * 5);
  });

  it('recommended arena life: the shortest horizon with 80 % power for the target IR', () => {
    const bars = recommendedHorizonBars(10, 8760, 0.05 / 9);
    expect(spendingPower(10, bars, 8760, 0.05 / 9)).toBeGreaterThanOrEqual(0.8);
    expect(spendingPower(10, bars - 1, 8760, 0.05 / 9)).toBeLessThan(0.8);
    expect(bars).toBeGreaterThan(1000);
    expect(bars).toBeLessThan(1344);
    expect(recommendedHorizonBars(3, 8760, 0.05 / 9)).toBeGreaterThan(10_000);
  });
});

// Daily bars: A climbs and dips, B moves less; the paper trader holds D.
const market = dailyMarket(30, {
  A: [0.03, -0.01, 0.02, -0.015],
  B: [0.004, -0.002],
  C: [-0.01, 0.01],
  D: [0.01, -0.012, 0.004],
});
const SYMBOLS = market.symbols;
const simConfig = resolveSimConfig({ maxWeight: 1, cashReserve: 0 });
const loader = () =>
  holdingLoader(SYMBOLS, { 's/1': [1, 0, 0, 0], 's/2': [0, 1, 0, 0], 'paper/d': [0, 0, 0, 1] });

function setup(root: string, test: boolean) {
  const arena = test ? { gate: { test: { horizonHours: 720 } }, maxEvalHours: 720 } : { maxEvalHours: 720 };
  const s = openServices({ root, market, loader: loader(), simConfig, arena });
  return s;
}

function start(root: string, test: boolean) {
  const s = setup(root, test);
  s.deploy(modelRef(root, 'paper/d', 1), fixedWeights(SYMBOLS, [0, 0, 0, 1]));
  s.arena.offer([modelRef(root, 's/1', 9), modelRef(root, 's/2', 8)]);
  return s;
}

describe('the statistical rule in the arena', () => {
  it("accumulates each challenger's return minus the paper trader's on every frame, and shows the evidence", () => {
    const root = tempRoot();
    const s = start(root, true);
    s.run(0, 12);
    const state = s.arena.state();
    const m = state.models.find((x) => x.modelId === 's/1')!;
    expect(m.excess!.n).toBe(12);
    const paperCurve = [10_000];
    const equityLines = readFileSync(`${root}/paper_trades/equity.jsonl`, 'utf8').trim().split('\n');
    for (const line of equityLines) paperCurve.push(JSON.parse(line).equity);
    let sum = 0;
    for (let k = 1; k <= 12; k++)
      sum += m.equity[k]! / m.equity[k - 1]! - 1 - (paperCurve[k]! / paperCurve[k - 1]! - 1);
    expect(m.excess!.sum).toBeCloseTo(sum, 14);
    expect(m.evidence!.bars).toBe(12);
    expect(m.evidence!.method).toMatch(/spending over 720 h, Holm over 9 challengers/);
    const check = s.arena.promotionCheck('s/1')!;
    const rule = check.rules.find((r) => r.rule === 'excessTest')!;
    expect(rule.value).toBe(m.evidence!.pValue);
    expect(rule.threshold).toBe(m.evidence!.level);
  });

  it('a restart continues the accumulators bit for bit', () => {
    const straight = tempRoot();
    start(straight, true).run(0, 20);
    const restarted = tempRoot();
    start(restarted, true).run(0, 9);
    setup(restarted, true).run(9, 20);
    const a = readFileSync(arenaPaths(straight).state, 'utf8').replaceAll(straight, 'ROOT');
    const b = readFileSync(arenaPaths(restarted).state, 'utf8').replaceAll(restarted, 'ROOT');
    expect(b).toBe(a);
  });

  it('without gate.test the state has no excess or evidence fields (files as before the rule existed)', () => {
    const root = tempRoot();
    const s = start(root, false);
    s.run(0, 12);
    const text = readFileSync(arenaPaths(root).state, 'utf8');
    expect(text).not.toMatch(/"excess"|"evidence"/);
    expect(s.arena.promotionCheck('s/1')!.rules.map((r) => r.rule)).toEqual([
      'minHours',
      'minExcessPct',
      'minSharpe',
    ]);
  });
});
