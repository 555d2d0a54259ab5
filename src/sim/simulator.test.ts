import { describe, expect, it } from 'vitest';
import { HOUR_MS, marketFromCloses, T0 } from '../../test/market-fixtures.js';
import { resolveSimConfig, type SimConfigInput } from './config.js';
import type { Fill } from './fill.js';
import { createPortfolio, markEquity } from './portfolio.js';
import { Simulator } from './simulator.js';

const frictionless: SimConfigInput = {
  feeRate: 0,
  slippageBps: 0,
  minNotional: 0,
  maxWeight: 1,
  cashReserve: 0,
};

function setup(
  closes: number[][],
  config: SimConfigInput = frictionless,
  symbols = ['A', 'B'].slice(0, closes.length),
) {
  const market = marketFromCloses(symbols, closes);
  const cfg = resolveSimConfig(config);
  const sim = new Simulator(cfg, market.symbols, market.timeframeMs);
  const portfolio = createPortfolio(market.symbols, cfg.initialCash);
  const fills: Fill[] = [];
  const rejects: string[] = [];
  const overlays: string[] = [];
  const listener = {
    onFill: (f: Fill) => fills.push(f),
    onReject: (_ts: number, reason: string) => rejects.push(reason),
    onOverlay: (_ts: number, reason: string, symbol: string | null) => overlays.push(`${reason}:${symbol}`),
  };
  const step = (t: number, targets: number[]) =>
    sim.step(portfolio, market, t, Float64Array.from(targets), listener);
  return { market, cfg, sim, portfolio, fills, rejects, overlays, step };
}

describe('Simulator fills and accounting', () => {
  it('buys at close plus slippage and pays the fee on top of the notional', () => {
    const { portfolio, fills, step } = setup([[100, 110]], {
      ...frictionless,
      feeRate: 0.01,
      slippageBps: 10,
      cashReserve: 0,
    });
    step(0, [0.5]);
    expect(fills).toHaveLength(1);
    const f = fills[0]!;
    expect(f.side).toBe('buy');
    expect(f.price).toBeCloseTo(100.1, 12);
    // target value 5000 at the mark -> 50 units
    expect(f.quantity).toBeCloseTo(50, 12);
    expect(f.notional).toBeCloseTo(5005, 9);
    expect(f.fee).toBeCloseTo(50.05, 9);
    expect(portfolio.cash).toBeCloseTo(10_000 - 5005 - 50.05, 9);
    expect(portfolio.avgEntryPrice[0]).toBeCloseTo(100.1, 12);
    expect(portfolio.avgCost[0]).toBeCloseTo(100.1 * 1.01, 12);
    expect(portfolio.entryTs[0]).toBe(T0);
  });

  it('sells at close minus slippage and takes the fee from the proceeds', () => {
    const { portfolio, fills, step } = setup([[100, 120]], {
      ...frictionless,
      feeRate: 0.01,
      slippageBps: 10,
    });
    step(0, [0.5]);
    const qty = portfolio.qty[0]!;
    const cashBefore = portfolio.cash;
    step(1, [0]);
    const sell = fills[1]!;
    expect(sell.side).toBe('sell');
    expect(sell.quantity).toBe(qty);
    expect(sell.price).toBeCloseTo(120 * 0.999, 12);
    expect(sell.fee).toBeCloseTo(qty * 120 * 0.999 * 0.01, 9);
    expect(portfolio.cash).toBeCloseTo(cashBefore + qty * 120 * 0.999 * 0.99, 9);
    expect(portfolio.qty[0]).toBe(0);
    expect(Number.isNaN(portfolio.entryTs[0]!)).toBe(true);
    expect(sell.realisedPnl).toBeCloseTo(qty * 120 * 0.999 * 0.99 - qty * 100.1 * 1.01, 9);
  });

  it('executes sells before buys so a rotation is funded by the sale', () => {
    const { portfolio, fills, step } = setup([
      [100, 100],
      [50, 50],
    ]);
    step(0, [1, 0]);
    expect(portfolio.cash).toBeLessThan(1e-6); // the 1e-12 haircut on a full buy
    step(1, [0, 1]);
    expect(fills.map((f) => `${f.side}:${f.symbol}`)).toEqual(['buy:A', 'sell:A', 'buy:B']);
    expect(portfolio.qty[0]).toBe(0);
    expect(portfolio.qty[1]! * 50).toBeCloseTo(10_000, 6);
  });

  it('skips orders below the minimum notional', () => {
    const { fills, step } = setup([[100, 100]], { ...frictionless, minNotional: 10 });
    step(0, [0.0009]); // 9 quote units
    expect(fills).toHaveLength(0);
    step(1, [0.0011]);
    expect(fills).toHaveLength(1);
  });

  it('caps buying at maxWeight but does not sell a position that grew past it by price alone', () => {
    const { portfolio, step } = setup([[100, 200, 200]], { ...frictionless, maxWeight: 0.3 });
    step(0, [0.9]);
    expect((portfolio.qty[0]! * 100) / 10_000).toBeCloseTo(0.3, 12);
    const qty = portfolio.qty[0]!;
    // price doubled: weight is now 6000/13000 = 0.46 > cap; the policy still wants 0.9
    step(1, [0.9]);
    expect(portfolio.qty[0]).toBe(qty);
    // the policy asks for 0.4: it may reduce toward it, never below the cap
    step(2, [0.4]);
    const w = (portfolio.qty[0]! * 200) / markEquity(portfolio, Float64Array.of(200), 0);
    expect(w).toBeCloseTo(0.4, 9);
  });

  it('keeps the cash reserve through buys, scaling all buys alike', () => {
    const { portfolio, step } = setup(
      [
        [100, 100],
        [10, 10],
      ],
      { ...frictionless, cashReserve: 0.05, feeRate: 0.003 },
    );
    step(0, [0.5, 0.5]);
    const equity = markEquity(portfolio, Float64Array.of(100, 10), 0);
    expect(portfolio.cash).toBeGreaterThanOrEqual(0.05 * equity);
    expect(portfolio.cash).toBeCloseTo(0.05 * 10_000, 3);
    expect(portfolio.qty[0]! * 100).toBeCloseTo(portfolio.qty[1]! * 10, 9);
  });

  it('refuses a bar that is not after the last applied one', () => {
    const { step } = setup([[100, 100]]);
    step(1, [0]);
    expect(() => step(0, [0])).toThrow(/bar .* is not after the last applied bar/);
    expect(() => step(1, [0])).toThrow(/is not after/);
  });
});

describe('Simulator rejected policy outputs', () => {
  const cases: [string, number[], RegExp][] = [
    ['NaN', [Number.NaN], /target weight 0 is NaN/],
    ['infinite', [Number.POSITIVE_INFINITY], /target weight 0 is Infinity/],
    ['negative', [-0.2], /must be in \[0, 1\], was -0.2/],
    ['above one', [1.5], /must be in \[0, 1\], was 1.5/],
    ['wrong length', [0.1, 0.1], /expected 1 target weights, got 2/],
  ];
  for (const [name, targets, message] of cases) {
    it(`holds positions and counts a ${name} output`, () => {
      const { portfolio, rejects, fills, step } = setup([[100, 90]]);
      step(0, [0.5]);
      const qty = portfolio.qty[0]!;
      step(1, targets);
      expect(portfolio.qty[0]).toBe(qty);
      expect(fills).toHaveLength(1);
      expect(portfolio.rejectedSteps).toBe(1);
      expect(rejects[0]).toMatch(message);
    });
  }

  it('refuses weights that sum above 1', () => {
    const { rejects, step } = setup([
      [100, 90],
      [10, 10],
    ]);
    step(0, [0.7, 0.6]);
    expect(rejects[0]).toMatch(/sum to 1.2999|sum to 1.3, more than 1/);
  });
});

describe('Simulator risk overlays', () => {
  it('stop-loss exits when close falls to entry x (1 - stopLossPct)', () => {
    const { portfolio, fills, overlays, step } = setup([[100, 101, 89.9, 100]], {
      ...frictionless,
      overlays: { stopLossPct: 0.1 },
    });
    step(0, [0.5]);
    step(1, [0.5]);
    expect(portfolio.qty[0]).toBeGreaterThan(0);
    step(2, [0.5]);
    expect(portfolio.qty[0]).toBe(0);
    expect(fills[fills.length - 1]!.reason).toBe('stop-loss');
    expect(overlays).toEqual(['stop-loss:A']);
    expect(portfolio.overlayExits).toBe(1);
    // the policy may re-enter on a later bar
    step(3, [0.5]);
    expect(portfolio.qty[0]).toBeGreaterThan(0);
  });

  it('trailing stop measures from the highest close since entry', () => {
    const { portfolio, fills, step } = setup([[100, 150, 136, 134]], {
      ...frictionless,
      overlays: { trailingStopPct: 0.1 },
    });
    step(0, [0.5]);
    step(1, [0.5]);
    step(2, [0.5]); // 136 > 135 = 150 x 0.9
    expect(portfolio.qty[0]).toBeGreaterThan(0);
    step(3, [0.5]);
    expect(portfolio.qty[0]).toBe(0);
    expect(fills[fills.length - 1]!.reason).toBe('trailing-stop');
  });

  it('minimum hold keeps the policy from reducing a young position, not the stops', () => {
    const { portfolio, step } = setup([[100, 100, 100, 100, 80]], {
      ...frictionless,
      overlays: { minHoldBars: 3, stopLossPct: 0.1 },
    });
    step(0, [0.5]);
    const qty = portfolio.qty[0]!;
    step(1, [0]);
    step(2, [0]);
    expect(portfolio.qty[0]).toBe(qty);
    step(3, [0.6]); // growing is allowed... and after 3 bars reducing is too
    expect(portfolio.qty[0]).toBeGreaterThan(qty);
    const { portfolio: p2, step: step2 } = setup([[100, 80]], {
      ...frictionless,
      overlays: { minHoldBars: 10, stopLossPct: 0.1 },
    });
    step2(0, [0.5]);
    step2(1, [0.5]);
    expect(p2.qty[0]).toBe(0);
  });

  it('drawdown stop liquidates, stays flat for the cooldown, then restarts the peak', () => {
    const { portfolio, fills, overlays, step } = setup([[100, 100, 60, 70, 80, 90, 90]], {
      ...frictionless,
      overlays: { maxDrawdownPct: 0.2, drawdownCooldownBars: 2 },
    });
    step(0, [1]);
    step(1, [1]);
    step(2, [1]); // equity 6000 <= 10000 x 0.8
    expect(portfolio.qty[0]).toBe(0);
    expect(fills[fills.length - 1]!.reason).toBe('drawdown-stop');
    expect(overlays).toEqual(['drawdown-stop:null']);
    expect(portfolio.haltedUntilTs).toBe(T0 + 4 * HOUR_MS);
    step(3, [1]);
    expect(portfolio.qty[0]).toBe(0);
    step(4, [1]); // cooldown over: peak restarts at 6000, so no new stop
    expect(portfolio.qty[0]).toBeGreaterThan(0);
    expect(portfolio.peakEquity).toBeCloseTo(6000, 6);
    step(5, [1]);
    expect(portfolio.qty[0]).toBeGreaterThan(0);
  });
});
