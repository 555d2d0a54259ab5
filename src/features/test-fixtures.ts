// Test fixtures for features/: small deterministic bar series and helpers turning arrays into MarketData.
import { barFromColumns, copyBarValues } from '../market/bar-columns.js';
import { appendFrame, createMarketData, type MarketData } from '../market/market-data.js';
import type { FeatureKernel } from './feature-kernel.js';

/** OHLCV columns of one symbol, oldest first. */
export interface Series {
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
}

/** Hourly MarketData from one Series per symbol (all of equal length), frames at ts = start + t hours. */
export function toMarketData(symbols: readonly string[], series: readonly Series[], startTs = 0): MarketData {
  const data = createMarketData(symbols, 3_600_000, 4);
  appendSeries(data, series, 0, series[0]!.close.length, startTs);
  return data;
}

/** Like `toMarketData` but fills the columns directly (no per-bar validation): for large, known-valid series. */
export function toMarketDataUnchecked(symbols: readonly string[], series: readonly Series[]): MarketData {
  const length = series[0]!.close.length;
  const n = symbols.length;
  const data = createMarketData(symbols, 3_600_000, length);
  for (let t = 0; t < length; t++) {
    data.ts[t] = t * 3_600_000;
    for (let i = 0; i < n; i++) copyBarValues(data, t * n + i, series[i]!, t);
  }
  data.length = length;
  return data;
}

/** Appends frames [from, to) of `series` to `data` (hourly, ts = start + t hours). */
export function appendSeries(
  data: MarketData,
  series: readonly Series[],
  from: number,
  to: number,
  startTs = 0,
): void {
  for (let t = from; t < to; t++) {
    const ts = startTs + t * 3_600_000;
    appendFrame(
      data,
      ts,
      series.map((s) => barFromColumns(s, t, ts)),
    );
  }
}

/** A seeded Park-Miller generator in (0, 1): deterministic test randomness, no Math.random. */
export function lcg(seed: number): () => number {
  let s = (Math.abs(Math.floor(seed)) % 2147483646) + 1;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}

/** A valid random-walk series of `length` bars (about 1 % moves, wicks, volumes 0..1000), from a seed. */
export function syntheticSeries(length: number, seed: number, startPrice = 100): Series {
  const rnd = lcg(seed);
  const s: Series = { open: [], high: [], low: [], close: [], volume: [] };
  let price = startPrice;
  for (let t = 0; t < length; t++) {
    const open = price;
    price = open * Math.exp((rnd() - 0.5) * 0.02);
    s.open.push(open);
    s.close.push(price);
    s.high.push(Math.max(open, price) * (1 + rnd() * 0.005));
    s.low.push(Math.min(open, price) * (1 - rnd() * 0.005));
    s.volume.push(Math.round(rnd() * 1000));
  }
  return s;
}

/**
 * A valid series from integer ticks (price = tick / 100), so equal highs, lows and closes happen often.
 * Each step: [close tick, high wick ticks, low wick ticks, volume].
 */
export function seriesFromTicks(steps: readonly (readonly [number, number, number, number])[]): Series {
  const s: Series = { open: [], high: [], low: [], close: [], volume: [] };
  let prev = steps[0]![0];
  for (const [close, up, down, volume] of steps) {
    s.open.push(prev / 100);
    s.close.push(close / 100);
    s.high.push((Math.max(prev, close) + up) / 100);
    s.low.push(Math.max(1, Math.min(prev, close) - down) / 100);
    s.volume.push(volume);
    prev = close;
  }
  return s;
}

/** A series with high = low = open = close (flat candles) at the given closes. */
export function flatCandles(closes: readonly number[], volume = 1): Series {
  return {
    open: [...closes],
    high: [...closes],
    low: [...closes],
    close: [...closes],
    volume: closes.map(() => volume),
  };
}

/** Runs a kernel over a single-symbol series and returns one array per output. */
export function runKernel(kernel: FeatureKernel, series: Series): number[][] {
  const data = toMarketData(['X'], [series]);
  const outs = kernel.warmUps.map(() => [] as number[]);
  const scratch = new Float64Array(kernel.warmUps.length);
  for (let t = 0; t < data.length; t++) {
    kernel.step(data, 1, 0, t, scratch);
    for (const [k, o] of outs.entries()) o.push(scratch[k]!);
  }
  return outs;
}
