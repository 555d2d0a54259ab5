// TradingEnv: observations, rewards and fills exactly those of the shared simulator; penalties; no look-ahead.
import { describe, expect, it } from 'vitest';
import { ConfigError, ModelError } from '../../core/errors.js';
import { buildObservation, firstObservableIndex, observationSize } from '../../features/index.js';
import type { MarketData } from '../../market/market-data.js';
import { markEquity, resolveSimConfig, runSimulation } from '../../sim/index.js';
import { tinyFixture } from './test-fixtures.js';
import { TradingEnv } from './trading-env.js';

const fx = tinyFixture(120);
const config = resolveSimConfig({ rebalanceBand: 0.01 });
const targetsAt = (k: number) => (k % 3 === 0 ? Float64Array.of(0.3, 0.1) : Float64Array.of(0.05, 0.25));

function env(extra: Partial<ConstructorParameters<typeof TradingEnv>[0]> = {}): TradingEnv {
  return new TradingEnv({
    market: fx.market,
    from: 10,
    to: 80,
    spec: fx.spec,
    norm: fx.norm,
    simConfig: config,
    store: fx.store,
    ...extra,
  });
}

describe('TradingEnv.reset', () => {
  it('observes the first observable frame >= from, all in cash', () => {
    const e = env();
    const obs = e.reset();
    const first = firstObservableIndex(fx.spec);
    expect(e.t).toBe(Math.max(10, first));
    expect(obs.length).toBe(observationSize(fx.spec));
    const expected = new Float64Array(obs.length);
    buildObservation(fx.store, fx.spec, fx.norm, e.t, Float64Array.of(1, 0, 0), expected);
    expect([...obs]).toEqual([...expected]);
    expect(e.equity).toBe(config.initialCash);
    expect(e.episodeSteps).toBe(80 - 1 - e.t);
  });
});

describe('TradingEnv.step', () => {
  it('trades through the simulator exactly as runSimulation does, rewarding log equity returns', () => {
    const e = env();
    e.reset();
    const start = e.t;
    let k = 0;
    let sumRewards = 0;
    for (;;) {
      const before = e.equity;
      const r = e.step(targetsAt(k));
      const after = markEquity(e.portfolio, fx.market.close, e.t * 2);
      expect(e.equity).toBe(after);
      expect(r.reward).toBe(Math.log(after / before));
      expect(r.logReturn).toBe(r.reward);
      sumRewards += r.reward;
      k++;
      if (r.done) break;
    }
    expect(k).toBe(e.episodeSteps);
    expect(e.t).toBe(79);
    let call = 0;
    const run = runSimulation(fx.market, { decide: (_ctx, out) => out.set(targetsAt(call++)) }, config, {
      from: start,
      to: 79,
    });
    expect(e.portfolio.cash).toBe(run.portfolio.cash);
    expect([...e.portfolio.qty]).toEqual([...run.portfolio.qty]);
    expect(e.portfolio.feesPaid).toBe(run.portfolio.feesPaid);
    expect(e.portfolio.fills).toBeGreaterThan(0);
    expect(sumRewards).toBeCloseTo(Math.log(e.equity / config.initialCash), 12);
  });

  it('subtracts drawdownPenalty x drawdown and turnoverPenalty x turnover', () => {
    const plain = env();
    const penalised = env({ drawdownPenalty: 2, turnoverPenalty: 0.5 });
    plain.reset();
    penalised.reset();
    let peak = config.initialCash;
    let sawDrawdown = false;
    for (let k = 0; k < 40; k++) {
      const equityBefore = plain.equity;
      const traded = plain.portfolio.tradedNotional;
      const a = { ...plain.step(targetsAt(k)) };
      const b = penalised.step(targetsAt(k));
      peak = Math.max(peak, plain.equity);
      const drawdown = 1 - plain.equity / peak;
      const turnover = (plain.portfolio.tradedNotional - traded) / equityBefore;
      sawDrawdown ||= drawdown > 0;
      expect(b.drawdown).toBe(drawdown);
      expect(b.turnover).toBe(turnover);
      expect(b.reward).toBe(a.logReturn - 2 * drawdown - 0.5 * turnover);
    }
    expect(sawDrawdown).toBe(true);
  });

  it('never reads a bar at or after `to`', () => {
    const changed: MarketData = { ...fx.market };
    for (const key of ['open', 'high', 'low', 'close'] as const) {
      changed[key] = fx.market[key].slice();
      for (let k = 80 * 2; k < fx.market.length * 2; k++) changed[key][k] = changed[key][k]! * 1.7;
    }
    const a = env();
    const b = env({ market: changed, store: undefined });
    a.reset();
    b.reset();
    for (let k = 0; ; k++) {
      const ra = { ...a.step(targetsAt(k)) };
      const rb = b.step(targetsAt(k));
      expect(rb).toEqual(ra);
      expect([...b.observation]).toEqual([...a.observation]);
      if (ra.done) break;
    }
  });

  it('refuses a step after the episode ended or before the first reset', () => {
    const e = env({ from: 70 });
    expect(() => e.step(targetsAt(0))).toThrow(ModelError);
    e.reset();
    while (!e.step(targetsAt(0)).done) {}
    expect(() => e.step(targetsAt(0))).toThrow(/reset/);
    e.reset();
    expect(e.portfolio.cash).toBe(config.initialCash);
  });
});

describe('TradingEnv construction', () => {
  it('refuses a spec whose symbols are not the market order', () => {
    const spec = { ...fx.spec, symbols: [...fx.spec.symbols].reverse() };
    expect(() => env({ spec })).toThrow(ModelError);
  });

  it('refuses a range with fewer than 2 observable frames', () => {
    expect(() => env({ from: 78, to: 79 })).toThrow(ConfigError);
    expect(() => env({ to: fx.market.length + 1 })).toThrow(ConfigError);
  });
});
