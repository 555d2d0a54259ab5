import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { T0 } from '../../../test/market-fixtures.js';
import { resolveSimConfig } from '../../sim/index.js';
import { DAY_MS, dailyMarket, fixedWeights, holdingLoader, modelRef, tempRoot } from '../testing/fixtures.js';
import { openServices } from '../testing/services.js';
import { arenaPaths } from './arena-paths.js';
import { ArenaStateSchema } from './arena-state.js';
import { archivePromotionCandidate, readPromotionCandidate } from './candidate-file.js';
import { evaluateGate, mayQualify, pickCandidate, storedCheck } from './gate.js';

// Daily bars: 7 frames are 168 h. A climbs, B barely moves, C falls, D falls hard.
const market = dailyMarket(12, {
  A: [0.02, 0],
  B: [0.004, 0],
  C: [-0.01, 0],
  D: [-0.03, 0],
});
const SYMBOLS = market.symbols;
const simConfig = resolveSimConfig({ maxWeight: 1, cashReserve: 0 });
const loader = () =>
  holdingLoader(SYMBOLS, {
    's/1': [1, 0, 0, 0],
    's/2': [0.5, 0, 0, 0],
    's/3': [0, 1, 0, 0],
    's/4': [0, 0, 1, 0],
    'paper/d': [0, 0, 0, 1],
  });

function setup(challengers: string[], paperModel?: string) {
  const root = tempRoot();
  const services = openServices({ root, market, loader: loader(), simConfig });
  if (paperModel) services.deploy(modelRef(root, paperModel, 1), fixedWeights(SYMBOLS, [0, 0, 0, 1]));
  services.arena.offer(challengers.map((id, k) => modelRef(root, id, 10 - k)));
  return { root, ...services };
}

const failing = (check: { rules: readonly { rule: string; passed: boolean }[] } | null) =>
  check?.rules.filter((r) => !r.passed).map((r) => r.rule);

describe('promotion gate', () => {
  it('does not promote before minHours (168 h), all else holding', () => {
    const s = setup(['s/1']);
    s.run(0, 6);
    const check = s.arena.promotionCheck('s/1')!;
    expect(check.hours).toBe(144);
    expect(failing(check)).toEqual(['minHours']);
    expect(readPromotionCandidate(s.root)).toBeNull();
    s.run(6, 7);
    expect(s.arena.promotionCheck('s/1')!.qualifies).toBe(true);
    expect(readPromotionCandidate(s.root)?.modelId).toBe('s/1');
  });

  it('does not promote with less than 2 pp excess over the paper trader, all else holding', () => {
    const s = setup(['s/3']);
    s.run(0, 8);
    const check = s.arena.promotionCheck('s/3')!;
    expect(check.hours).toBe(192);
    expect(check.excessReturnPct).toBeGreaterThan(0);
    expect(check.excessReturnPct).toBeLessThan(2);
    expect(failing(check)).toEqual(['minExcessPct']);
    expect(readPromotionCandidate(s.root)).toBeNull();
  });

  it('does not promote with a Sharpe <= 0, even far ahead of a losing paper trader', () => {
    const s = setup(['s/4'], 'paper/d');
    s.run(0, 8);
    const check = s.arena.promotionCheck('s/4')!;
    expect(check.returnPct).toBeLessThan(0);
    expect(check.paperReturnPct).toBeLessThan(check.returnPct - 2);
    expect(check.sharpe!).toBeLessThan(0);
    expect(failing(check)).toEqual(['minSharpe']);
    expect(readPromotionCandidate(s.root)).toBeNull();
  });

  it("uses the paper trader's return only when it has applied the same frame", () => {
    const s = setup(['s/1']);
    s.run(0, 6);
    s.arena.onFrame({ market, t: 6, ts: market.ts[6]! }); // the paper trader missed frame 6
    const check = s.arena.promotionCheck('s/1')!;
    expect(check.paperReturnPct).toBeNull();
    expect(failing(check)).toEqual(['minExcessPct']);
    expect(readPromotionCandidate(s.root)).toBeNull();
  });

  it('writes the best qualifying challenger (by excess return) with its numbers and rules', () => {
    const s = setup(['s/1', 's/2', 's/3']);
    s.run(0, 7);
    const statuses = Object.fromEntries(s.arena.state().models.map((m) => [m.modelId, m.status]));
    expect(statuses).toEqual({ 's/1': 'qualified', 's/2': 'qualified', 's/3': 'evaluating' });
    const best = s.arena.promotionCheck('s/1')!;
    expect(best.excessReturnPct).toBeGreaterThan(s.arena.promotionCheck('s/2')!.excessReturnPct!);
    const candidate = readPromotionCandidate(s.root)!;
    expect(candidate).toMatchObject({
      modelId: 's/1',
      study: 's',
      trialNumber: 1,
      hours: 168,
      returnPct: best.returnPct,
      paperReturnPct: 0,
      excessReturnPct: best.excessReturnPct,
      sharpe: best.sharpe,
      windowStart: new Date(T0).toISOString(),
      windowStartTs: T0,
      barTs: market.ts[6],
      createdAt: market.ts[6]! + DAY_MS,
    });
    expect(candidate.rules).toEqual([
      { rule: 'minHours', threshold: 168, value: 168, passed: true },
      { rule: 'minExcessPct', threshold: 2, value: best.excessReturnPct, passed: true },
      { rule: 'minSharpe', threshold: 0, value: best.sharpe, passed: true },
    ]);
    // The status change was logged with its numbers.
    const qualified = s.arenaLog.lines.find(
      (l) => l.msg === 'member qualified' && l.fields.modelId === 's/1',
    )!;
    expect(qualified.fields).toMatchObject({
      hours: 168,
      excessReturnPct: best.excessReturnPct,
      from: 'evaluating',
    });

    // The candidate keeps createdAt while it stays the candidate; the next best takes over; none: no file.
    s.run(7, 8);
    expect(readPromotionCandidate(s.root)).toMatchObject({
      modelId: 's/1',
      createdAt: market.ts[6]! + DAY_MS,
    });
    s.arena.remove('s/1', 'promoted');
    s.run(8, 9);
    expect(readPromotionCandidate(s.root)?.modelId).toBe('s/2');
    s.arena.remove('s/2', 'bundle deleted by hand');
    s.run(9, 10);
    expect(existsSync(arenaPaths(s.root).candidate)).toBe(false);
    const left = s.arena.state().models.filter((m) => m.status !== 'evaluating');
    expect(left.map((m) => [m.modelId, m.status])).toEqual([
      ['s/1', 'promoted'],
      ['s/2', 'removed'],
    ]);
  });

  it('archives a decided candidate under promotions/ with the decision', () => {
    const s = setup(['s/1']);
    s.run(0, 7);
    const candidate = readPromotionCandidate(s.root)!;
    const decision = {
      accepted: false,
      reason: 'no longer qualifies at re-check',
      decidedAt: 1_700_000_000_000,
    };
    const path = archivePromotionCandidate(s.root, decision);
    expect(path).toBe(join(arenaPaths(s.root).promotions, '1700000000000-s_1.json'));
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ ...candidate, decision });
    expect(readPromotionCandidate(s.root)).toBeNull();
    expect(() => archivePromotionCandidate(s.root, decision)).toThrow(/no promotion candidate to archive/);
    expect(readdirSync(arenaPaths(s.root).promotions)).toHaveLength(1);
  });

  it('optional rules (PSR, max drawdown) and an uncovered paper window never pass', () => {
    const metrics = { returnPct: 10, sharpe: 1.5, sortino: 2, maxDrawdownPct: 12, psr: 0.9 };
    const gate = {
      minHours: 168,
      minExcessPct: 2,
      minSharpe: 0,
      minPsr: 0.95,
      maxDrawdownPct: 10,
      test: null,
      targetIr: null,
    };
    const base = { modelId: 'x/1', trialNumber: 1, hours: 200, windowStartTs: T0, metrics, gate };
    const check = evaluateGate({ ...base, paperReturnPct: 1 });
    expect(failing(check)).toEqual(['minPsr', 'maxDrawdownPct']);
    const uncovered = evaluateGate({
      ...base,
      paperReturnPct: null,
      gate: { ...gate, minPsr: null, maxDrawdownPct: null },
    });
    expect(failing(uncovered)).toEqual(['minExcessPct']);
    expect(uncovered.excessReturnPct).toBeNull();
    expect(pickCandidate([uncovered, check])).toBeNull();
  });

  it("stores every challenger's check in arena_state.json; a reopened arena hands out that check", () => {
    const s = setup(['s/1', 's/3']);
    s.run(0, 7);
    const stored = ArenaStateSchema.parse(JSON.parse(readFileSync(arenaPaths(s.root).state, 'utf8')));
    for (const id of ['s/1', 's/3']) {
      const m = stored.models.find((x) => x.modelId === id)!;
      const check = s.arena.promotionCheck(id)!;
      expect(m.gate).toEqual({ qualifies: check.qualifies, rules: check.rules });
      expect(storedCheck(m, s.arena.config.gate)).toEqual(check);
    }
    expect(stored.models.find((x) => x.modelId === 's/3')!.gate!.qualifies).toBe(false);
    // Reopened with other thresholds, the arena gives the deployer the check computed at that frame (the
    // one the candidate file was written from), not a fresh evaluation under the new configuration.
    const before = s.arena.promotionCheck('s/1');
    const reopened = openServices({
      root: s.root,
      market,
      loader: loader(),
      simConfig,
      arena: { gate: { minHours: 1, minExcessPct: 50 } },
    });
    expect(reopened.arena.promotionCheck('s/1')).toEqual(before);
    expect(reopened.arena.promotionCheck('s/1')!.qualifies).toBe(true);
    // From the next frame on, the new rules apply.
    reopened.run(7, 8);
    expect(failing(reopened.arena.promotionCheck('s/1'))).toEqual(['minExcessPct']);
    expect(reopened.arena.promotionCheck('s/1')!.rules[0]).toMatchObject({ rule: 'minHours', threshold: 1 });
  });

  it('reads an arena_state.json written before checks were stored: the gate on its stored numbers', () => {
    const s = setup(['s/1', 's/3']);
    s.run(0, 7);
    const checks = ['s/1', 's/3'].map((id) => s.arena.promotionCheck(id));
    const path = arenaPaths(s.root).state;
    const raw = JSON.parse(readFileSync(path, 'utf8'));
    for (const m of raw.models) delete m.gate;
    writeFileSync(path, JSON.stringify(raw));
    const reopened = openServices({ root: s.root, market, loader: loader(), simConfig });
    expect(['s/1', 's/3'].map((id) => reopened.arena.promotionCheck(id))).toEqual(checks);
  });

  it('a challenger that cannot pass the rules of the window ends is never a candidate (mayQualify)', () => {
    const gate = {
      minHours: 168,
      minExcessPct: 2,
      minSharpe: 0,
      minPsr: null,
      maxDrawdownPct: null,
      test: null,
      targetIr: null,
    };
    expect(mayQualify(gate, { hours: 167, returnPct: 10, paperReturnPct: 0 })).toBe(false);
    expect(mayQualify(gate, { hours: 168, returnPct: 1.9, paperReturnPct: 0 })).toBe(false);
    expect(mayQualify(gate, { hours: 168, returnPct: 10, paperReturnPct: null })).toBe(false);
    expect(mayQualify(gate, { hours: 168, returnPct: 2, paperReturnPct: 0 })).toBe(true);
    // Whatever the curve statistics, the full gate agrees: mayQualify false means evaluateGate fails.
    for (const [hours, returnPct, paper] of [
      [100, 9, 1],
      [200, 2.5, 1],
      [300, -1, -2.5],
      [168, 3, 1],
    ] as const) {
      const metrics = { returnPct, sharpe: 3, sortino: 3, maxDrawdownPct: 1, psr: 1 };
      const full = evaluateGate({
        modelId: 'x/1',
        trialNumber: 1,
        hours,
        windowStartTs: T0,
        metrics,
        paperReturnPct: paper,
        gate,
      });
      expect(full.qualifies).toBe(mayQualify(gate, { hours, returnPct, paperReturnPct: paper }));
    }
  });
});
