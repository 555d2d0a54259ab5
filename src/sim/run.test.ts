import { describe, expect, it } from 'vitest';
import { marketFromCloses, randomWalkCloses } from '../../test/market-fixtures.js';
import { sliceMarketData } from '../market/market-data.js';
import { computeMetrics } from '../metrics/index.js';
import { createBuiltinPolicy } from '../models/index.js';
import { resolveSimConfig } from './config.js';
import type { Fill } from './fill.js';
import type { Decider } from './policy-step.js';
import { createPortfolio, restorePortfolio, snapshotPortfolio } from './portfolio.js';
import { runSimulation } from './run.js';

describe('runSimulation', () => {
  for (const feeRate of [0, 0.001, 0.0025, 0.01]) {
    it(`buy-and-hold returns ratio / (1 + f) - 1 for fee ${feeRate} (fee on top of the notional)`, () => {
      const closes = randomWalkCloses(1, 500, 7);
      const market = marketFromCloses(['BTC/USDT'], closes);
      const config = resolveSimConfig({ feeRate, slippageBps: 0, maxWeight: 1, cashReserve: 0 });
      const fills: Fill[] = [];
      const run = runSimulation(market, createBuiltinPolicy('builtin:buy-and-hold', market.symbols), config, {
        listener: { onFill: (f) => fills.push(f) },
      });
      const ratio = closes[0]![499]! / closes[0]![0]!;
      const metrics = computeMetrics(run.equity, 8760, run.portfolio);
      expect(fills).toHaveLength(1);
      expect(Math.abs(metrics.returnPct! / 100 - (ratio / (1 + feeRate) - 1))).toBeLessThan(1e-9);
    });
  }

  it('a portfolio snapshot restored mid-run continues exactly like the uninterrupted run', () => {
    const market = marketFromCloses(['A', 'B', 'C'], randomWalkCloses(3, 400, 11, 0.02));
    const config = resolveSimConfig({
      overlays: { stopLossPct: 0.05, trailingStopPct: 0.08, minHoldBars: 3 },
    });
    const policy = () => createBuiltinPolicy('builtin:sma-cross?fast=5&slow=20', market.symbols);
    const whole = runSimulation(market, policy(), config);
    const first = runSimulation(market, policy(), config, { to: 200 });
    const json = JSON.parse(JSON.stringify(snapshotPortfolio(first.portfolio)));
    const restored = restorePortfolio(json, market.symbols, 'test');
    const second = runSimulation(market, policy(), config, { from: 200, portfolio: restored });
    expect(snapshotPortfolio(second.portfolio)).toEqual(snapshotPortfolio(whole.portfolio));
    expect(Array.from(second.equity.subarray(1))).toEqual(Array.from(whole.equity.subarray(201)));
    expect(whole.portfolio.fills).toBeGreaterThan(10);
  });

  it('refuses a snapshot with a bad field or for other symbols, naming the cause', () => {
    const snap = snapshotPortfolio(createPortfolio(['A', 'B'], 1000));
    const bad = { ...snap, positions: snap.positions.map((p, i) => (i === 1 ? { ...p, quantity: -1 } : p)) };
    expect(() => restorePortfolio(bad, ['A', 'B'], 'positions_state.json')).toThrow(
      /positions_state.json: field "positions.1.quantity"/,
    );
    expect(() => restorePortfolio({ ...snap, cash: 'x' }, ['A', 'B'], 'f.json')).toThrow(/field "cash"/);
    expect(() => restorePortfolio(snap, ['B', 'A'], 'f.json')).toThrow(
      /positions are for \[A, B\] but the market is \[B, A\]/,
    );
  });

  it('refuses a step whose policy throws, holds, and keeps going', () => {
    const market = marketFromCloses(['A'], randomWalkCloses(1, 10, 3));
    let calls = 0;
    const flaky: Decider = {
      decide(_ctx, out) {
        calls++;
        if (calls === 3) throw new Error('model exploded');
        out[0] = 0.2;
      },
    };
    const rejects: string[] = [];
    const run = runSimulation(market, flaky, resolveSimConfig(), {
      listener: { onReject: (_ts, r) => rejects.push(r) },
    });
    expect(run.portfolio.rejectedSteps).toBe(1);
    expect(rejects).toEqual(['policy threw: model exploded']);
    expect(run.bars).toBe(10);
  });

  it('refuses a policy that leaves a weight unwritten', () => {
    const market = marketFromCloses(['A', 'B'], randomWalkCloses(2, 3, 3));
    const lazy: Decider = {
      decide(_ctx, out) {
        out[0] = 0.1;
      },
    };
    const run = runSimulation(market, lazy, resolveSimConfig());
    expect(run.portfolio.rejectedSteps).toBe(3);
  });
});

describe('no look-ahead', () => {
  const specs = [
    'builtin:sma-cross?fast=3&slow=12',
    'builtin:buy-and-hold',
    'builtin:equal-weight',
    'builtin:momentum?lookback=10&volWindow=12',
    'builtin:rsi-reversion?period=5&entry=40&exit=55',
  ];
  for (const spec of specs) {
    it(`${spec}: perturbing every bar after t leaves decisions and fills up to t unchanged`, () => {
      const closes = randomWalkCloses(3, 120, 5, 0.03);
      const market = marketFromCloses(['A', 'B', 'C'], closes);
      const record = (m: typeof market) => {
        const policy = createBuiltinPolicy(spec, m.symbols);
        const decisions: number[][] = [];
        const fills: Fill[] = [];
        const recorder: Decider = {
          decide(ctx, out) {
            policy.decide(ctx, out);
            decisions.push(Array.from(out));
          },
        };
        runSimulation(m, recorder, resolveSimConfig(), { listener: { onFill: (f) => fills.push(f) } });
        return { decisions, fills };
      };
      const base = record(market);
      for (const t of [15, 40, 77, 118]) {
        const perturbed = sliceMarketData(market, 0, market.length);
        const n = market.symbols.length;
        for (let k = (t + 1) * n; k < perturbed.length * n; k++) {
          const f = 0.5 + ((k * 7919) % 1000) / 1000;
          perturbed.open[k] = perturbed.open[k]! * f;
          perturbed.close[k] = perturbed.close[k]! * f;
          perturbed.high[k] = Math.max(perturbed.open[k]!, perturbed.close[k]!) * 1.01;
          perturbed.low[k] = Math.min(perturbed.open[k]!, perturbed.close[k]!) * 0.99;
          perturbed.volume[k] = perturbed.volume[k]! * (2 - f);
        }
        const other = record(perturbed);
        expect(other.decisions.slice(0, t + 1)).toEqual(base.decisions.slice(0, t + 1));
        const cutoff = market.ts[t]!;
        expect(other.fills.filter((f) => f.ts <= cutoff)).toEqual(base.fills.filter((f) => f.ts <= cutoff));
      }
    });
  }
});
