// Tests of the synthetic market: determinism, valid bars, options, and the stylised facts of the default year.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { barProblem } from './bar.js';
import { barAt, type MarketData } from './market-data.js';
import {
  assetProfile,
  DEFAULT_SYNTH_SYMBOLS,
  generateSyntheticMarket,
  generateSyntheticMarketWithRegimes,
  REGIME_NAMES,
} from './synth.js';

const HOUR_MS = 3_600_000;

function logReturns(data: MarketData, column: number): number[] {
  const n = data.symbols.length;
  const out: number[] = [];
  for (let t = 0; t < data.length; t++)
    out.push(Math.log(data.close[t * n + column]! / data.open[t * n + column]!));
  return out;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function std(xs: readonly number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

function excessKurtosis(xs: readonly number[]): number {
  const m = mean(xs);
  let m2 = 0;
  let m4 = 0;
  for (const x of xs) {
    const d2 = (x - m) ** 2;
    m2 += d2;
    m4 += d2 * d2;
  }
  m2 /= xs.length;
  m4 /= xs.length;
  return m4 / (m2 * m2) - 3;
}

function autocorrelation(xs: readonly number[], lag: number): number {
  const m = mean(xs);
  let num = 0;
  let den = 0;
  for (let t = 0; t < xs.length; t++) {
    den += (xs[t]! - m) ** 2;
    if (t >= lag) num += (xs[t]! - m) * (xs[t - lag]! - m);
  }
  return num / den;
}

function correlation(a: readonly number[], b: readonly number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let t = 0; t < a.length; t++) {
    sab += (a[t]! - ma) * (b[t]! - mb);
    saa += (a[t]! - ma) ** 2;
    sbb += (b[t]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

function columns(data: MarketData) {
  return [data.open, data.high, data.low, data.close, data.volume].map((a) =>
    Array.from(a.subarray(0, data.length * data.symbols.length)),
  );
}

// The default market (one year, 7 symbols, seed 42), generated once for the statistical tests.
const fullYear = generateSyntheticMarketWithRegimes();
const year = fullYear.data;
const returns = year.symbols.map((_, i) => logReturns(year, i));

describe('generateSyntheticMarket: shape and determinism', () => {
  it('defaults to one year of hourly bars of the seven USDT pairs from 2024-01-01', () => {
    expect(year.symbols).toEqual(DEFAULT_SYNTH_SYMBOLS);
    expect(year.length).toBe(8760);
    expect(year.timeframeMs).toBe(HOUR_MS);
    expect(year.ts[0]).toBe(Date.UTC(2024, 0, 1));
    expect(fullYear.regimes.length).toBe(8760);
  });

  it('spaces timestamps by exactly the timeframe', () => {
    const gaps = new Set<number>();
    for (let t = 1; t < year.length; t++) gaps.add(year.ts[t]! - year.ts[t - 1]!);
    expect([...gaps]).toEqual([HOUR_MS]);
    const quarterHours = generateSyntheticMarket({ bars: 50, timeframeMs: 900_000, startTs: 1_000_000 });
    expect(Array.from(quarterHours.ts.subarray(0, 50))).toEqual(
      Array.from({ length: 50 }, (_, t) => 1_000_000 + t * 900_000),
    );
  });

  it('gives identical arrays for the same seed and different ones for another seed', () => {
    const a = generateSyntheticMarketWithRegimes({ seed: 7, bars: 400 });
    const b = generateSyntheticMarketWithRegimes({ seed: 7, bars: 400 });
    const c = generateSyntheticMarket({ seed: 8, bars: 400 });
    expect(columns(a.data)).toEqual(columns(b.data));
    expect(Array.from(a.data.ts.subarray(0, 400))).toEqual(Array.from(b.data.ts.subarray(0, 400)));
    expect(a.regimes).toEqual(b.regimes);
    expect(columns(c)[3]).not.toEqual(columns(a.data)[3]);
  });

  it('reproduces pinned values for seed 7 (the same numbers on every machine)', () => {
    const data = generateSyntheticMarket({ seed: 7, symbols: ['BTC/USDT', 'XYZ/USDT'], bars: 100 });
    const last = 99 * 2;
    const values = [
      data.close[last],
      data.close[last + 1],
      data.high[last],
      data.low[last + 1],
      data.volume[last],
    ];
    expect(values).toEqual(GOLDEN_SEED_7);
  });

  it('keeps a symbol series independent of the rest of the universe and of the length', () => {
    const alone = generateSyntheticMarket({ symbols: ['ETH/USDT'], bars: 500 });
    const eth = DEFAULT_SYNTH_SYMBOLS.indexOf('ETH/USDT');
    const mismatches: number[] = [];
    for (let t = 0; t < 500; t++)
      if (JSON.stringify(barAt(alone, t, 0)) !== JSON.stringify(barAt(year, t, eth))) mismatches.push(t);
    expect(mismatches).toEqual([]);
  });

  it('opens each bar at the previous close and starts at the profile price', () => {
    const n = year.symbols.length;
    expect(Array.from(year.open.subarray(0, n))).toEqual(year.symbols.map((s) => assetProfile(s).startPrice));
    let gaps = 0;
    for (let t = 1; t < year.length; t++)
      for (let i = 0; i < n; i++) if (year.open[t * n + i] !== year.close[(t - 1) * n + i]) gaps++;
    expect(gaps).toBe(0);
  });

  it('builds valid bars (barProblem) with positive volume, also for other symbols and timeframes', () => {
    const others = generateSyntheticMarket({
      symbols: ['DOGE/USDT', 'X'],
      bars: 2000,
      timeframeMs: 86_400_000,
    });
    const problems: string[] = [];
    for (const data of [year, others]) {
      for (let t = 0; t < data.length; t++)
        for (let i = 0; i < data.symbols.length; i++) {
          const bar = barAt(data, t, i);
          const problem = barProblem(bar) ?? (bar.volume > 0 ? null : 'volume is not positive');
          if (problem) problems.push(`${data.symbols[i]} at ${t}: ${problem}`);
        }
    }
    expect(problems).toEqual([]);
  });

  it('gives unknown symbols a deterministic profile from their name alone', () => {
    const p = assetProfile('FOO/BAR');
    expect(assetProfile('FOO/BAR')).toEqual(p);
    expect(p.startPrice).toBeGreaterThanOrEqual(0.1);
    expect(p.startPrice).toBeLessThan(1000);
    expect(assetProfile('FOO/BAZ').startPrice).not.toBe(p.startPrice);
  });

  it('refuses invalid options with a ConfigError naming the field', () => {
    expect(() => generateSyntheticMarket({ bars: 0 })).toThrow(ConfigError);
    expect(() => generateSyntheticMarket({ bars: 0 })).toThrow(/bars/);
    expect(() => generateSyntheticMarket({ seed: 1.5 })).toThrow(/seed/);
    expect(() => generateSyntheticMarket({ symbols: ['A', 'A'] })).toThrow(/unique/);
    expect(() => generateSyntheticMarket({ symbols: [] })).toThrow(/symbols/);
    expect(() => generateSyntheticMarket({ timeframeMs: 0 })).toThrow(/timeframeMs/);
  });
});

describe('generateSyntheticMarket: stylised facts of the default year', () => {
  it('has hourly volatility of 0.4-1.3 % per asset', () => {
    for (const r of returns) {
      expect(std(r)).toBeGreaterThan(0.004);
      expect(std(r)).toBeLessThan(0.013);
    }
  });

  it('has fat tails: excess kurtosis of hourly log returns > 1 for every asset', () => {
    for (const r of returns) expect(excessKurtosis(r)).toBeGreaterThan(1);
  });

  it('clusters volatility (squared returns autocorrelated) while raw returns barely are', () => {
    const squared = returns.map((r) =>
      autocorrelation(
        r.map((x) => x * x),
        1,
      ),
    );
    const absolute24 = returns.map((r) => autocorrelation(r.map(Math.abs), 24));
    const raw = returns.map((r) => autocorrelation(r, 1));
    expect(mean(squared)).toBeGreaterThan(0.04);
    for (const a of squared) expect(a).toBeGreaterThan(0.02);
    expect(mean(absolute24)).toBeGreaterThan(0.03);
    for (const a of raw) expect(Math.abs(a)).toBeLessThan(0.08);
    expect(Math.abs(mean(raw))).toBeLessThan(mean(squared));
  });

  it('moves assets together: mean pairwise correlation in [0.3, 0.9]', () => {
    const pairs: number[] = [];
    for (let i = 0; i < returns.length; i++)
      for (let j = i + 1; j < returns.length; j++) pairs.push(correlation(returns[i]!, returns[j]!));
    expect(mean(pairs)).toBeGreaterThan(0.3);
    expect(mean(pairs)).toBeLessThan(0.9);
    expect(Math.min(...pairs)).toBeGreaterThan(0);
  });

  it('trades more volume on large moves', () => {
    const n = year.symbols.length;
    year.symbols.forEach((_, i) => {
      const logVolume = Array.from({ length: year.length }, (_, t) => Math.log(year.volume[t * n + i]!));
      expect(correlation(logVolume, returns[i]!.map(Math.abs))).toBeGreaterThan(0.2);
    });
  });

  it('visits every regime, each lasting more than 10 bars on average', () => {
    const { regimes } = fullYear;
    const bars = [0, 0, 0];
    const episodes = [0, 0, 0];
    for (let t = 0; t < regimes.length; t++) {
      bars[regimes[t]!]! += 1;
      if (t === 0 || regimes[t] !== regimes[t - 1]) episodes[regimes[t]!]! += 1;
    }
    for (let r = 0; r < REGIME_NAMES.length; r++) {
      expect(episodes[r], REGIME_NAMES[r]).toBeGreaterThan(0);
      expect(bars[r]! / episodes[r]!, REGIME_NAMES[r]).toBeGreaterThan(10);
    }
  });

  it('trends in trending regimes and reverts in the ranging one', () => {
    // Next-bar returns and a 24-bar momentum rule's next-bar P&L, pooled over assets, by regime.
    const { regimes } = fullYear;
    const byRegime: number[][] = [[], [], []];
    const momentum: number[][] = [[], [], []];
    for (const r of returns) {
      let cumulative = 0;
      const level = r.map((x) => (cumulative += x));
      for (let t = 24; t < r.length - 1; t++) {
        byRegime[regimes[t + 1]!]!.push(r[t + 1]!);
        momentum[regimes[t + 1]!]!.push(Math.sign(level[t]! - level[t - 24]!) * r[t + 1]!);
      }
    }
    expect(mean(byRegime[0]!)).toBeGreaterThan(0);
    expect(mean(byRegime[1]!)).toBeLessThan(0);
    expect(mean(momentum[0]!)).toBeGreaterThan(0);
    expect(mean(momentum[1]!)).toBeGreaterThan(0);
    expect(mean(momentum[2]!)).toBeLessThan(0);
  });
});

/** Close of BTC and XYZ, high of BTC, low of XYZ, volume of BTC at the last of 100 bars for seed 7. */
const GOLDEN_SEED_7 = [42454.26, 7.778384, 42523.99, 7.734582, 495.7955];
