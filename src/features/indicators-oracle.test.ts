// Registry features on a fixed 40-bar series against the independent reference and against trading-signals.
import { ATR, CCI, DX, EMA, MACD, RSI } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { featureDefinition } from './feature-registry.js';
import {
  refAtrOverClose,
  refCci,
  refDx,
  refLogReturn,
  refMacd,
  refRsi,
  refVol,
  refVolumeZ,
} from './reference-indicators.js';
import { runKernel, syntheticSeries } from './test-fixtures.js';

const series = syntheticSeries(40, 7);
const { high, low, close, volume } = series;
const candles = close.map((c, t) => ({ open: series.open[t]!, high: high[t]!, low: low[t]!, close: c }));

/** The registry feature computed by its kernel over the fixed series. */
function feature(name: string): number[] {
  const def = featureDefinition(name);
  return runKernel(def.createKernel(), series)[def.output]!;
}

/** Same NaN pattern, and equal to 1e-9 relative where defined. */
function expectClose(actual: readonly number[], expected: readonly number[], from = 0): void {
  for (let t = from; t < expected.length; t++) {
    const e = expected[t]!;
    if (Number.isNaN(e)) expect(actual[t], `frame ${t}`).toBeNaN();
    else
      expect(Math.abs(actual[t]! - e), `frame ${t}: ${actual[t]} vs ${e}`).toBeLessThanOrEqual(
        1e-9 * Math.max(1, Math.abs(e)),
      );
  }
}

describe('features against the independent reference (40 bars)', () => {
  const macd = refMacd(close, 12, 26, 9);
  const cases: [string, number[]][] = [
    ['ret_1', refLogReturn(close, 1)],
    ['ret_4', refLogReturn(close, 4)],
    ['ret_24', refLogReturn(close, 24)],
    ['macd', macd.macd.map((m, t) => m / close[t]!)],
    ['macd_signal', macd.signal.map((m, t) => m / close[t]!)],
    ['macd_hist', macd.hist.map((m, t) => m / close[t]!)],
    ['rsi_14', refRsi(close, 14)],
    ['cci_14', refCci(high, low, close, 14)],
    ['dx_14', refDx(high, low, close, 14)],
    ['atr_14', refAtrOverClose(high, low, close, 14)],
    ['vol_24', refVol(close, 24)],
    ['volume_z_24', refVolumeZ(volume, 24)],
  ];
  it.each(cases)('%s', (name, expected) => {
    const actual = feature(name);
    expectClose(actual, expected);
    expect(actual.findIndex((v) => !Number.isNaN(v))).toBe(featureDefinition(name).warmUp);
  });
});

describe('features against trading-signals 8 (where its conventions are the standard ones)', () => {
  function run(add: (t: number) => number): number[] {
    return close.map((_, t) => add(t));
  }

  it('MACD 12/26/9: equal from the warm-ups on (its signal line starts 8 bars earlier, unwarmed)', () => {
    const lib = new MACD(new EMA(12), new EMA(26), new EMA(9));
    const out = close.map((c) => lib.add(c));
    const byClose = (k: 'macd' | 'signal' | 'histogram') =>
      out.map((r, t) => (r ? r[k] / close[t]! : Number.NaN));
    expectClose(feature('macd'), byClose('macd'), 25);
    expectClose(feature('macd_signal'), byClose('signal'), 33);
    expectClose(feature('macd_hist'), byClose('histogram'), 33);
    expect(out[25]?.signal).toBe(out[25]?.macd); // the library's signal at 25 is just its seed
  });

  it('RSI 14 (Wilder, SMA seed)', () => {
    const lib = new RSI(14);
    expectClose(
      feature('rsi_14'),
      run((t) => lib.add(close[t]!) ?? Number.NaN),
    );
  });

  it('CCI 14', () => {
    const lib = new CCI(14);
    expectClose(
      feature('cci_14'),
      run((t) => lib.add(candles[t]!) ?? Number.NaN),
    );
  });

  it('ATR 14 / close', () => {
    const lib = new ATR(14);
    expectClose(
      feature('atr_14'),
      run((t) => (lib.add(candles[t]!) ?? Number.NaN) / close[t]!),
    );
  });

  it('DX 14 differs from Wilder: it feeds a zero DM for bar 0 into the seed (valid one bar early)', () => {
    const lib = new DX(14);
    const libDx = run((t) => lib.add(candles[t]!) ?? Number.NaN);
    const ours = feature('dx_14');
    expect(libDx[13]).not.toBeNaN();
    expect(ours[13]).toBeNaN();
    // the seed difference decays only slowly; on this series it is clearly visible at frame 20
    expect(Math.abs(libDx[20]! - ours[20]!)).toBeGreaterThan(1e-3);
  });

  it('DX of trading-signals counts a tie (equal up and down moves) on both sides', () => {
    const bars = [
      { high: 10, low: 9, close: 9.5 },
      { high: 11, low: 9.5, close: 10 },
      { high: 10.5, low: 8.5, close: 9 },
      { high: 11, low: 9, close: 10 },
      { high: 12, low: 8, close: 10 },
    ];
    const lib = new DX(2);
    const libDx = bars.map((b) => lib.add(b));
    // library: DMs fed +0/-0 (bar 0), +1/-0, +0/-1, +0.5/-0, then the tie +1/-1;
    // WSMA(2): S+ = 0.5, 0.25, 0.375, 0.6875; S- = 0, 0.5, 0.25, 0.625 -> DX_4 = 100 x 0.0625 / 1.3125.
    // Counting the tie for neither side (Wilder) would give S+ = 0.1875, S- = 0.125 -> 20.
    expect(libDx[1]).toBe(100); // valid after two bars, one of them the fake zero
    expect(libDx[4]).toBeCloseTo((100 * 0.0625) / 1.3125, 9);
  });
});
