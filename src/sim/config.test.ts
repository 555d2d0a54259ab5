import { describe, expect, it } from 'vitest';
import { resolveSimConfig } from './config.js';

describe('simulator configuration', () => {
  it('has the documented defaults', () => {
    const c = resolveSimConfig();
    expect(c).toMatchObject({
      initialCash: 10_000,
      feeRate: 0.0025,
      slippageBps: 5,
      minNotional: 10,
      maxWeight: 0.3,
      cashReserve: 0.05,
      rebalanceBand: 0,
    });
    expect(c.overlays).toEqual({
      stopLossPct: null,
      trailingStopPct: null,
      minHoldBars: 0,
      maxDrawdownPct: null,
      drawdownCooldownBars: 24,
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('refuses bad values and unknown keys, naming each field', () => {
    expect(() => resolveSimConfig({ feeRate: -0.003 })).toThrow(
      /invalid simulator configuration: field "feeRate": .* \(was -0.003\)/,
    );
    expect(() => resolveSimConfig({ maxWeight: 1.5 })).toThrow(/field "maxWeight":/);
    expect(() => resolveSimConfig({ overlays: { stopLossPct: 1 } })).toThrow(/field "overlays.stopLossPct":/);
    expect(() => resolveSimConfig({ feeRat: 0.001 } as never)).toThrow(/field "feeRat": unknown key/);
  });

  it('refuses implausible amounts: cash beyond 1e12, a minimum order no portfolio could place', () => {
    expect(() => resolveSimConfig({ initialCash: 1e308 })).toThrow(
      /field "initialCash": .*<=1000000000000 \(was 1e\+308\)/,
    );
    expect(() => resolveSimConfig({ initialCash: 1000, minNotional: 1000 })).toThrow(
      /field "minNotional": must be below initialCash \(1000\): no order could ever fill/,
    );
    expect(() => resolveSimConfig({ overlays: { minHoldBars: 1e9 } })).toThrow(
      /field "overlays.minHoldBars"/,
    );
    expect(resolveSimConfig({ initialCash: 1e12 }).initialCash).toBe(1e12);
  });
});
