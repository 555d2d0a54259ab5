import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { marketFromCloses } from '../../test/market-fixtures.js';
import { resolveSimConfig } from './config.js';
import type { Fill } from './fill.js';
import { createPortfolio, markEquity } from './portfolio.js';
import { Simulator } from './simulator.js';

const configArb = fc.record({
  feeRate: fc.double({ min: 0, max: 0.01, noNaN: true }),
  slippageBps: fc.double({ min: 0, max: 50, noNaN: true }),
  minNotional: fc.constantFrom(0, 1, 10, 100),
  maxWeight: fc.double({ min: 0.1, max: 1, noNaN: true }),
  cashReserve: fc.double({ min: 0, max: 0.2, noNaN: true }),
  overlays: fc.record({
    stopLossPct: fc.option(fc.double({ min: 0.01, max: 0.3, noNaN: true }), { nil: null }),
    trailingStopPct: fc.option(fc.double({ min: 0.01, max: 0.3, noNaN: true }), { nil: null }),
    minHoldBars: fc.integer({ min: 0, max: 4 }),
    maxDrawdownPct: fc.option(fc.double({ min: 0.05, max: 0.5, noNaN: true }), { nil: null }),
    drawdownCooldownBars: fc.integer({ min: 0, max: 5 }),
  }),
});

const weightArb = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, -0.5, 2) },
);

const scenarioArb = fc.integer({ min: 1, max: 3 }).chain((symbols) =>
  fc.record({
    config: configArb,
    closes: fc.array(
      fc.array(fc.double({ min: 1, max: 1000, noNaN: true }), { minLength: 20, maxLength: 20 }),
      {
        minLength: symbols,
        maxLength: symbols,
      },
    ),
    targets: fc.array(fc.array(weightArb, { minLength: symbols, maxLength: symbols }), {
      minLength: 20,
      maxLength: 20,
    }),
  }),
);

describe('accounting invariants (property)', () => {
  it('equity = cash + positions, costs are exactly fees + slippage, reserve and non-negativity hold', () => {
    fc.assert(
      fc.property(scenarioArb, ({ config, closes, targets }) => {
        const symbols = closes.map((_, i) => `S${i}`);
        const market = marketFromCloses(symbols, closes);
        const cfg = resolveSimConfig(config);
        const sim = new Simulator(cfg, symbols, market.timeframeMs);
        const p = createPortfolio(symbols, cfg.initialCash);
        const n = symbols.length;
        for (let t = 0; t < market.length; t++) {
          const fills: Fill[] = [];
          const before = markEquity(p, market.close, t * n);
          const raw = targets[t]!;
          // scale valid weights so they sum to <= 1 (invalid ones stay invalid)
          const sum = raw.reduce((a, b) => (Number.isFinite(b) && b > 0 ? a + b : a), 0);
          const w = Float64Array.from(raw, (x) => (sum > 1 && x >= 0 && x <= 1 ? x / sum : x));
          const after = sim.step(p, market, t, w, { onFill: (f) => fills.push(f) });
          const scale = Math.max(1, before);
          expect(Math.abs(after - markEquity(p, market.close, t * n))).toBeLessThan(1e-9 * scale);
          const costs = fills.reduce((a, f) => a + f.fee + f.quantity * Math.abs(f.price - f.markPrice), 0);
          expect(Math.abs(before - costs - after)).toBeLessThan(1e-9 * scale);
          expect(p.cash).toBeGreaterThanOrEqual(0);
          for (let i = 0; i < n; i++) expect(p.qty[i]).toBeGreaterThanOrEqual(0);
          for (const f of fills) {
            expect(f.fee).toBeGreaterThanOrEqual(0);
            expect(f.fee).toBeCloseTo(cfg.feeRate * f.notional, 9);
          }
          const firstBuy = fills.findIndex((f) => f.side === 'buy');
          if (firstBuy >= 0) {
            expect(fills.slice(firstBuy).every((f) => f.side === 'buy')).toBe(true);
            expect(p.cash).toBeGreaterThanOrEqual(cfg.cashReserve * after - 1e-9 * scale);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a zero-fee round trip at unchanged prices returns the starting equity', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.5, max: 5000, noNaN: true }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        (prices, rawWeights, reserve) => {
          const n = prices.length;
          const symbols = prices.map((_, i) => `S${i}`);
          const market = marketFromCloses(
            symbols,
            prices.map((p) => [p, p]),
          );
          const cfg = resolveSimConfig({
            feeRate: 0,
            slippageBps: 0,
            minNotional: 0,
            maxWeight: 1,
            cashReserve: reserve,
          });
          const sim = new Simulator(cfg, symbols, market.timeframeMs);
          const p = createPortfolio(symbols, cfg.initialCash);
          const sum = rawWeights.slice(0, n).reduce((a, b) => a + b, 0);
          const w = Float64Array.from(rawWeights.slice(0, n), (x) => (sum > 1 ? x / sum : x));
          sim.step(p, market, 0, w);
          const after = sim.step(p, market, 1, new Float64Array(n));
          expect(Math.abs(after - cfg.initialCash)).toBeLessThan(1e-9 * cfg.initialCash);
          expect(p.qty.every((q) => q === 0)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
