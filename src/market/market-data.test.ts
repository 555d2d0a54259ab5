import { describe, expect, it } from 'vitest';
import type { Bar } from './bar.js';
import { appendFrame, appendFrameOf, barAt, createMarketData, type MarketData } from './market-data.js';

const HOUR = 3_600_000;
const SYMBOLS = ['BTC/USDT', 'ETH/USDT'];
const bar = (ts: number, close: number, change: Partial<Bar> = {}): Bar => ({
  ts,
  open: close,
  high: close + 1,
  low: close - 1,
  close,
  volume: 10,
  ...change,
});

/** A market of `frames` valid frames, then one more frame whose second bar gets `change` (unchecked). */
function history(frames: number, change?: Partial<Bar>): MarketData {
  const data = createMarketData(SYMBOLS, HOUR, frames + 1);
  for (let t = 0; t < frames; t++)
    appendFrame(data, t * HOUR, [bar(t * HOUR, 100 + t), bar(t * HOUR, 50 + t)]);
  if (change) {
    // written past the checks, as a corrupt source would hold it
    const t = frames;
    const bad = bar(t * HOUR, 60, change);
    data.ts[t] = bad.ts;
    const k = t * SYMBOLS.length + 1;
    data.open[k] = bad.open;
    data.high[k] = bad.high;
    data.low[k] = bad.low;
    data.close[k] = bad.close;
    data.volume[k] = bad.volume;
    data.open[k - 1] = data.high[k - 1] = data.low[k - 1] = data.close[k - 1] = 70;
    data.volume[k - 1] = 1;
    data.length = t + 1;
  }
  return data;
}

/** What appending frame t of `source` throws: through its bars (appendFrame) and from its columns. */
function refusals(source: MarketData, t: number, into: MarketData = createMarketData(SYMBOLS, HOUR)) {
  const viaBars = createMarketData(SYMBOLS, HOUR);
  const viaColumns = createMarketData(SYMBOLS, HOUR);
  for (let u = 0; u < into.length; u++) {
    appendFrameOf(viaBars, into, u);
    appendFrameOf(viaColumns, into, u);
  }
  const caught = (f: () => void) => {
    try {
      f();
      return null;
    } catch (error) {
      return { code: (error as { code: string }).code, message: (error as Error).message };
    }
  };
  return {
    bars: caught(() => appendFrame(viaBars, source.ts[t]!, [barAt(source, t, 0), barAt(source, t, 1)])),
    columns: caught(() => appendFrameOf(viaColumns, source, t)),
  };
}

describe('appendFrameOf: a frame of another market, as appendFrame appends its bars', () => {
  it('appends the same frames', () => {
    const source = history(5);
    const copy = createMarketData(SYMBOLS, HOUR, 2);
    for (let t = 0; t < 5; t++) appendFrameOf(copy, source, t);
    expect(copy.length).toBe(5);
    for (let t = 0; t < 5; t++)
      for (const i of [0, 1]) expect(barAt(copy, t, i)).toEqual(barAt(source, t, i));
  });

  it.each([
    ['a price <= 0', { low: -1 }, 'ETH/USDT', 'low must be > 0'],
    ['high below low', { high: 50, low: 55 }, 'ETH/USDT', 'high must be >= low'],
    ['high below close', { high: 59 }, 'ETH/USDT', 'high must be >= open and close'],
    ['a non-finite close', { close: Number.NaN }, 'ETH/USDT', 'close is not a finite number (NaN)'],
    ['an infinite volume', { volume: Number.POSITIVE_INFINITY }, 'ETH/USDT', 'volume is not a finite'],
    // the frame's time is every bar's: the first symbol is refused
    ['a non-finite time', { ts: Number.NaN }, 'BTC/USDT', 'ts is not a finite number (NaN)'],
  ])(
    'refuses a bar with %s as appendFrame does (BAR_INVALID naming symbol and field)',
    (_, change, symbol, why) => {
      const source = history(2, change);
      const { bars, columns } = refusals(source, 2, history(2));
      expect(columns?.code).toBe('BAR_INVALID');
      expect(columns?.message).toContain(`${symbol} at `);
      expect(columns?.message).toContain(why);
      // one wording differs: appendFrame finds a NaN bar time "differs" from the NaN frame time first
      if ('ts' in change) expect(bars?.code).toBe('BAR_INVALID');
      else expect(columns).toEqual(bars);
    },
  );

  it('refuses a frame not after the last one (FRAME_OUT_OF_ORDER), as appendFrame does', () => {
    const source = history(3);
    const { bars, columns } = refusals(source, 1, history(3));
    expect(columns?.code).toBe('FRAME_OUT_OF_ORDER');
    expect(columns).toEqual(bars);
  });
});
