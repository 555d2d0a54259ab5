// Indicator kernels against values worked out by hand on tiny series (short periods, exact fractions).
import { describe, expect, it } from 'vitest';
import { AtrKernel } from './atr.js';
import { CciKernel } from './cci.js';
import { DxKernel } from './dx.js';
import { LogReturnKernel } from './log-return.js';
import { MacdKernel } from './macd.js';
import { RollingVolKernel, VolumeZKernel } from './rolling-stats.js';
import { RsiKernel } from './rsi.js';
import { flatCandles, runKernel, type Series } from './test-fixtures.js';

const NaN_ = Number.NaN;

function expectSeries(actual: readonly number[], expected: readonly number[]): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, t) => {
    if (Number.isNaN(e)) expect(actual[t], `frame ${t}`).toBeNaN();
    else expect(actual[t], `frame ${t}`).toBeCloseTo(e, 12);
  });
}

/** Bars with open = close = (high + low) / 2 from highs and lows. */
function fromHighLow(highs: number[], lows: number[]): Series {
  const mid = highs.map((h, t) => (h + lows[t]!) / 2);
  return { open: mid, high: highs, low: lows, close: mid, volume: highs.map(() => 1) };
}

describe('hand-worked indicator values', () => {
  it('log return over 1 bar', () => {
    const [r] = runKernel(new LogReturnKernel(1), flatCandles([100, 110, 99]));
    expectSeries(r!, [NaN_, Math.log(1.1), Math.log(0.9)]);
  });

  it('MACD(2, 3, 2) with first-value-seeded EMAs, divided by close', () => {
    // EMA2 (a = 2/3): 1, 5/3, 23/9, 95/27; EMA3 (a = 1/2): 1, 3/2, 9/4, 25/8
    // macd_2 = 11/36, macd_3 = 85/216; signal seeded with macd_2: s_3 = 2/3 x 85/216 + 1/3 x 11/36 = 59/162
    const [macd, signal, hist] = runKernel(new MacdKernel(2, 3, 2), flatCandles([1, 2, 3, 4]));
    expectSeries(macd!, [NaN_, NaN_, 11 / 36 / 3, 85 / 216 / 4]);
    expectSeries(signal!, [NaN_, NaN_, NaN_, 59 / 162 / 4]);
    expectSeries(hist!, [NaN_, NaN_, NaN_, 19 / 648 / 4]);
  });

  it("RSI(3) with Wilder's smoothing", () => {
    // changes +1, -0.5, +1, -0.5, +1; seed at t=3: gain 2/3, loss 1/6 -> RS 4 -> 80
    // t=4: gain (2/3 x 2 + 0) / 3 = 4/9, loss (1/6 x 2 + 0.5) / 3 = 5/18 -> RS 1.6
    // t=5: gain (4/9 x 2 + 1) / 3 = 17/27, loss 5/27 -> RS 3.4
    const [rsi] = runKernel(new RsiKernel(3), flatCandles([10, 11, 10.5, 11.5, 11, 12]));
    expectSeries(rsi!, [NaN_, NaN_, NaN_, 80, 100 - 100 / 2.6, 100 - 100 / 4.4]);
  });

  it('RSI is 100 without losses and 50 on a flat series', () => {
    expect(runKernel(new RsiKernel(2), flatCandles([1, 2, 3]))[0]![2]).toBe(100);
    expect(runKernel(new RsiKernel(2), flatCandles([1, 1, 1]))[0]![2]).toBe(50);
  });

  it('CCI(3) uses the mean absolute deviation around the window SMA', () => {
    // TP = 1,2,3,4,2; t=2: SMA 2, MD 2/3 -> (3 - 2) / 0.01 = 100; t=4: window 3,4,2 -> (2 - 3) / 0.01
    const [cci] = runKernel(new CciKernel(3), flatCandles([1, 2, 3, 4, 2]));
    expectSeries(cci!, [NaN_, NaN_, 100, 100, -100]);
    expect(runKernel(new CciKernel(3), flatCandles([0.1, 0.1, 0.1]))[0]![2]).toBe(0);
  });

  it('DX(2): Wilder-smoothed directional movement, a tie counts for neither side', () => {
    // +DM: 1, 0, 0.5, 0 (tie); -DM: 0, 1, 0, 0 (tie)
    // t=2: S+ = S- = 0.5 -> 0; t=3: S+ = 0.5, S- = 0.25 -> 33.3; t=4: S+ = 0.25, S- = 0.125 -> 33.3
    const s = fromHighLow([10, 11, 10.5, 11, 12], [9, 9.5, 8.5, 9, 8]);
    const [dx] = runKernel(new DxKernel(2), s);
    expectSeries(dx!, [NaN_, NaN_, 0, 100 / 3, 100 / 3]);
    expect(runKernel(new DxKernel(2), flatCandles([5, 5, 5]))[0]![2]).toBe(0);
  });

  it('ATR(3): TR_0 = H - L, seed = mean of the first 3 TRs, then Wilder; divided by close', () => {
    // TR: 2, 2, 1, 3, 1, 3 (the last one from a gap over the previous close)
    const s: Series = {
      open: [10, 11, 11, 12, 13, 15.5],
      high: [11, 12, 11.5, 14, 13.5, 16],
      low: [9, 10, 10.5, 11, 12.5, 15.5],
      close: [10, 11, 11, 13, 13, 16],
      volume: [1, 1, 1, 1, 1, 1],
    };
    const [atr] = runKernel(new AtrKernel(3), s);
    expectSeries(atr!, [NaN_, NaN_, 5 / 3 / 11, 19 / 9 / 13, 47 / 27 / 13, 175 / 81 / 16]);
  });

  it('volatility: sample std of the one-bar log returns in the window', () => {
    const [vol] = runKernel(new RollingVolKernel(2), flatCandles([100, 110, 99, 99]));
    const r1 = Math.log(1.1);
    const r2 = Math.log(0.9);
    expectSeries(vol!, [NaN_, NaN_, Math.abs(r1 - r2) / Math.SQRT2, Math.abs(r2) / Math.SQRT2]);
  });

  it('volume z-score against the previous bars only; 0 on a flat window', () => {
    const s = flatCandles([1, 1, 1, 1, 1, 1, 1, 1]);
    s.volume = [1, 2, 3, 10, 2, 2, 2, 2];
    const [z] = runKernel(new VolumeZKernel(3), s);
    // t=3: previous 1,2,3 -> mean 2, sd 1 -> 8; t=4: previous 2,3,10 -> mean 5, sd sqrt(19)
    expectSeries(z!, [
      NaN_,
      NaN_,
      NaN_,
      8,
      -3 / Math.sqrt(19),
      (2 - 5) / Math.sqrt(19),
      (2 - 14 / 3) / Math.sqrt(64 / 3),
      0,
    ]);
  });

  it('refuses bad periods with a ConfigError naming the parameter', () => {
    expect(() => new RsiKernel(0)).toThrow(/RSI period must be an integer >= 1, was 0/);
    expect(() => new MacdKernel(26, 12, 9)).toThrow(/fast period must be < slow/);
    expect(() => new RollingVolKernel(1)).toThrow(/volatility window must be an integer >= 2/);
  });
});
