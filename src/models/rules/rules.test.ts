import { describe, expect, it } from 'vitest';
import { HOUR_MS, marketFromCloses } from '../../../test/market-fixtures.js';
import type { DecisionContext } from '../../sim/index.js';
import { createBuiltinPolicy } from '../builtin.js';
import { createMomentum } from './momentum.js';
import { createRsiReversion } from './rsi-reversion.js';

function decide(policy: ReturnType<typeof createMomentum>, ctx: DecisionContext): number[] {
  const out = new Float64Array(policy.symbols.length);
  policy.decide(ctx, out);
  return Array.from(out);
}

describe('momentum with volatility targeting', () => {
  // A rises 1 % a bar with alternating +/- noise; B falls.
  const up = Array.from({ length: 40 }, (_, t) => 100 * 1.01 ** t * (t % 2 === 0 ? 1.002 : 0.998));
  const down = Array.from({ length: 40 }, (_, t) => 100 * 0.99 ** t);
  const market = marketFromCloses(['A', 'B'], [up, down]);
  const params = { lookback: 10, volWindow: 10, targetVol: 0.5, threshold: 0, resizeTolerance: 0.25 };
  const flat = (t: number): DecisionContext => ({
    market,
    t,
    weights: Float64Array.of(1, 0, 0),
    equity: 1e4,
  });

  it('is long only where the lookback return beats the threshold, sized by targetVol / vol / n', () => {
    const policy = createMomentum(['A', 'B'], HOUR_MS, params);
    const [a, b] = decide(policy, flat(30));
    expect(b).toBe(0);
    // realised vol of A's 1-bar log returns over 10 bars, annualised with sqrt(8760)
    const r = Array.from({ length: 10 }, (_, k) => Math.log(up[21 + k]! / up[20 + k]!));
    const mean = r.reduce((x, y) => x + y) / 10;
    const sd = Math.sqrt(r.reduce((x, y) => x + (y - mean) ** 2, 0) / 9) * Math.sqrt(8760);
    expect(a).toBeCloseTo(Math.min(1, 0.5 / sd) / 2, 9);
  });

  it('stays in cash during warm-up and keeps a held weight within the tolerance', () => {
    const policy = createMomentum(['A', 'B'], HOUR_MS, { ...params, volWindow: 20 });
    expect(decide(policy, flat(19))).toEqual([0, 0]);
    const target = decide(policy, flat(30))[0]!;
    const held = target * 1.1;
    const [a] = decide(policy, { market, t: 30, weights: Float64Array.of(1 - held, held, 0), equity: 1e4 });
    expect(a).toBe(held);
  });
});

describe('RSI mean reversion', () => {
  const closes = [100, 99, 98, 97, 96, 95, 94, 95, 96, 97, 98, 99, 100, 101];
  const market = marketFromCloses(['A'], [closes]);
  const ctx = (t: number, held: number): DecisionContext => ({
    market,
    t,
    weights: Float64Array.of(1 - held, held),
    equity: 1e4,
  });
  const policy = createRsiReversion(['A'], { period: 3, entry: 30, exit: 60 });
  const out = (t: number, held: number) => {
    const o = new Float64Array(1);
    policy.decide(ctx(t, held), o);
    return o[0];
  };

  it('enters below entry, holds until above exit, then leaves', () => {
    expect(out(2, 0)).toBe(0); // warm-up: RSI(3) valid from frame 3
    expect(out(5, 0)).toBe(1); // falling: RSI 0 < 30
    expect(out(8, 0.5)).toBe(0.5); // recovering, RSI still below 60: hold
    expect(out(13, 0.5)).toBe(0); // RSI above 60: exit
    expect(out(8, 0)).toBe(0); // flat and RSI between entry and exit: stay out
  });

  it('refuses exit <= entry with the parameter named', () => {
    expect(() => createBuiltinPolicy('builtin:rsi-reversion?entry=60&exit=50', ['A'])).toThrow(
      /field "exit": exit must be above entry/,
    );
  });
});
