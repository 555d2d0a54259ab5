// Aligned multi-symbol market data: one row per complete frame, columnar typed arrays for fast loops.
import { DataError } from '../core/errors.js';
import { type Bar, barFieldsProblem, barProblem } from './bar.js';
import { type BarValueColumns, barFromColumns, copyBarValues } from './bar-columns.js';

/**
 * Complete frames of a fixed universe, oldest first. Field arrays are row-major:
 * the value of symbol i at frame t is at index `t * symbols.length + i`.
 * Rows [0, length) are valid; arrays may have spare capacity for appends.
 */
export interface MarketData extends BarValueColumns {
  readonly symbols: readonly string[];
  /** Bar length in ms (3_600_000 for 1h). */
  readonly timeframeMs: number;
  /** Number of frames. */
  length: number;
  /** Frame open times, epoch ms, strictly increasing (one per frame, not per bar). */
  ts: Float64Array;
}

/** An empty MarketData for `symbols`, with room for `capacity` frames before it grows. */
export function createMarketData(
  symbols: readonly string[],
  timeframeMs: number,
  capacity = 1024,
): MarketData {
  if (symbols.length === 0) throw new DataError('UNIVERSE_EMPTY', 'a market needs at least one symbol');
  if (new Set(symbols).size !== symbols.length)
    throw new DataError('UNIVERSE_DUPLICATE', `symbols must be unique, were ${symbols.join(',')}`);
  const n = symbols.length;
  const cap = Math.max(1, capacity);
  return {
    symbols: Object.freeze([...symbols]),
    timeframeMs,
    length: 0,
    ts: new Float64Array(cap),
    open: new Float64Array(cap * n),
    high: new Float64Array(cap * n),
    low: new Float64Array(cap * n),
    close: new Float64Array(cap * n),
    volume: new Float64Array(cap * n),
  };
}

function grow(data: MarketData, minFrames: number): void {
  const n = data.symbols.length;
  const cap = Math.max(minFrames, data.ts.length * 2);
  const resize = (a: Float64Array, width: number) => {
    const b = new Float64Array(cap * width);
    b.set(a.subarray(0, data.length * width));
    return b;
  };
  data.ts = resize(data.ts, 1);
  data.open = resize(data.open, n);
  data.high = resize(data.high, n);
  data.low = resize(data.low, n);
  data.close = resize(data.close, n);
  data.volume = resize(data.volume, n);
}

/**
 * Appends one complete frame (one bar per symbol, in universe order). Refuses a frame that is
 * not strictly after the last one, has the wrong number of bars, or holds an invalid bar.
 */
export function appendFrame(data: MarketData, ts: number, bars: readonly Bar[]): void {
  const n = data.symbols.length;
  if (bars.length !== n) throw frameIncomplete(ts, bars.length, n);
  assertAfterLast(data, ts);
  for (let i = 0; i < n; i++) {
    const bar = bars[i]!;
    const problem = bar.ts !== ts ? `ts ${bar.ts} differs from the frame's ${ts}` : barProblem(bar);
    if (problem) throw barInvalid(data, i, ts, problem);
  }
  const t = nextFrameSlot(data, ts);
  for (let i = 0; i < n; i++) {
    const bar = bars[i]!;
    const k = t * n + i;
    data.open[k] = bar.open;
    data.high[k] = bar.high;
    data.low[k] = bar.low;
    data.close[k] = bar.close;
    data.volume[k] = bar.volume;
  }
  data.length = t + 1;
}

/**
 * Appends frame `t` of `source` (the same symbols in the same order): appendFrame with the bars of that
 * frame, with the same refusals, without building them (a replay releases every frame of its history).
 */
export function appendFrameOf(data: MarketData, source: MarketData, t: number): void {
  const n = data.symbols.length;
  const ts = source.ts[t]!;
  if (source.symbols.length !== n) throw frameIncomplete(ts, source.symbols.length, n);
  assertAfterLast(data, ts);
  for (let i = 0, k = t * n; i < n; i++, k++) {
    const problem = barFieldsProblem(
      ts,
      source.open[k]!,
      source.high[k]!,
      source.low[k]!,
      source.close[k]!,
      source.volume[k]!,
    );
    if (problem) throw barInvalid(data, i, ts, problem);
  }
  const row = nextFrameSlot(data, ts);
  for (let i = 0; i < n; i++) copyBarValues(data, row * n + i, source, t * n + i);
  data.length = row + 1;
}

function frameIncomplete(ts: number, bars: number, expected: number): DataError {
  return new DataError('FRAME_INCOMPLETE', `frame at ${isoTs(ts)} has ${bars} bars, expected ${expected}`, {
    ts,
  });
}

function assertAfterLast(data: MarketData, ts: number): void {
  if (data.length > 0 && ts <= data.ts[data.length - 1]!)
    throw new DataError(
      'FRAME_OUT_OF_ORDER',
      `frame at ${isoTs(ts)} is not after the last frame ${isoTs(data.ts[data.length - 1]!)}`,
      { ts },
    );
}

function barInvalid(data: MarketData, i: number, ts: number, problem: string): DataError {
  return new DataError('BAR_INVALID', `${data.symbols[i]} at ${isoTs(ts)}: ${problem}`, {
    symbol: data.symbols[i],
    ts,
  });
}

/** The row the next frame goes to, with its open time set (the columns grown when full). */
function nextFrameSlot(data: MarketData, ts: number): number {
  if (data.length >= data.ts.length) grow(data, data.length + 1);
  const t = data.length;
  data.ts[t] = ts;
  return t;
}

/** The bar of symbol `i` at frame `t`. */
export function barAt(data: MarketData, t: number, i: number): Bar {
  return barFromColumns(data, t * data.symbols.length + i, data.ts[t]!);
}

/** Frames [from, to) as a new MarketData sharing no memory with the source. */
export function sliceMarketData(data: MarketData, from: number, to: number): MarketData {
  const n = data.symbols.length;
  const start = Math.max(0, from);
  const end = Math.min(data.length, to);
  const len = Math.max(0, end - start);
  return {
    symbols: data.symbols,
    timeframeMs: data.timeframeMs,
    length: len,
    ts: data.ts.slice(start, start + len),
    open: data.open.slice(start * n, (start + len) * n),
    high: data.high.slice(start * n, (start + len) * n),
    low: data.low.slice(start * n, (start + len) * n),
    close: data.close.slice(start * n, (start + len) * n),
    volume: data.volume.slice(start * n, (start + len) * n),
  };
}

/** A new MarketData with only `symbols` (in the given order). */
export function selectSymbols(data: MarketData, symbols: readonly string[]): MarketData {
  const idx = symbols.map((s) => {
    const i = data.symbols.indexOf(s);
    if (i < 0)
      throw new DataError(
        'SYMBOL_UNKNOWN',
        `symbol ${s} is not in the data (has ${data.symbols.join(', ')})`,
        {
          symbol: s,
        },
      );
    return i;
  });
  const out = createMarketData(symbols, data.timeframeMs, data.length);
  const n = data.symbols.length;
  const m = symbols.length;
  out.ts.set(data.ts.subarray(0, data.length));
  for (let t = 0; t < data.length; t++) {
    for (let j = 0; j < m; j++) {
      const src = t * n + idx[j]!;
      const dst = t * m + j;
      out.open[dst] = data.open[src]!;
      out.high[dst] = data.high[src]!;
      out.low[dst] = data.low[src]!;
      out.close[dst] = data.close[src]!;
      out.volume[dst] = data.volume[src]!;
    }
  }
  out.length = data.length;
  return out;
}

/** Index of the first frame with ts >= `ts` (binary search); `length` if none. */
export function indexAtOrAfter(data: MarketData, ts: number): number {
  let lo = 0;
  let hi = data.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (data.ts[mid]! < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** ISO-8601 of an epoch-ms timestamp, for messages. */
export function isoTs(ts: number): string {
  return Number.isFinite(ts) ? new Date(ts).toISOString() : String(ts);
}
