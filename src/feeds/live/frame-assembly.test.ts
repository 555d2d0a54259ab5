import { describe, expect, it } from 'vitest';
import type { Bar } from '../../market/bar.js';
import { assembleFrames } from './frame-assembly.js';

const H = 3_600_000;
const T = Date.UTC(2024, 0, 1);
const bar = (ts: number, close = 100): Bar => ({
  ts,
  open: 100,
  high: Math.max(101, close),
  low: Math.min(99, close),
  close,
  volume: 5,
});
const series = (times: readonly number[], tweak: (ts: number) => Bar = bar) =>
  new Map(times.map((ts) => [ts, tweak(ts)]));
const symbols = ['BTC/USDT', 'ETH/USDT'];
const base = { symbols, timeframeMs: H, deadlineMs: 600_000 };

describe('assembleFrames', () => {
  it('emits complete frames in order', () => {
    const times = [T, T + H, T + 2 * H];
    const a = assembleFrames({
      ...base,
      candles: [series(times), series(times)],
      fromTs: T,
      toTs: T + 2 * H,
      nowMs: T + 3 * H,
    });
    expect(a.decisions.map((d) => [d.kind, d.ts])).toEqual(times.map((ts) => ['frame', ts]));
    expect(a.waitingAt).toBeNull();
  });

  it('waits at an incomplete frame within its deadline and decides nothing after it', () => {
    const a = assembleFrames({
      ...base,
      candles: [series([T, T + H, T + 2 * H]), series([T, T + 2 * H])],
      fromTs: T,
      toTs: T + 2 * H,
      nowMs: T + 3 * H, // the T+H frame closed an hour ago... but let the deadline be longer
      deadlineMs: 2 * H,
    });
    expect(a.decisions.map((d) => d.ts)).toEqual([T]);
    expect(a.waitingAt).toBe(T + H);
  });

  it('skips an incomplete frame once its close is older than the deadline, naming what is missing', () => {
    const candles = [series([T, T + H, T + 2 * H]), series([T, T + 2 * H])];
    const closeOfGap = T + 2 * H;
    const assembleAt = (nowMs: number) =>
      assembleFrames({ ...base, candles, fromTs: T, toTs: T + 2 * H, nowMs });
    const before = assembleAt(closeOfGap + 599_999);
    expect(before.waitingAt).toBe(T + H);
    const after = assembleAt(closeOfGap + 600_000);
    expect(after.decisions).toEqual([
      { kind: 'frame', ts: T, bars: [bar(T), bar(T)] },
      { kind: 'skip', ts: T + H, missing: ['ETH/USDT'], invalid: [] },
      { kind: 'frame', ts: T + 2 * H, bars: [bar(T + 2 * H), bar(T + 2 * H)] },
    ]);
  });

  it('never uses an invalid bar (price 0, NaN, high < low): reported, and the frame is not complete', () => {
    const zero = (ts: number) => (ts === T + H ? { ...bar(ts), close: 0, low: 0 } : bar(ts));
    const nan = (ts: number) => (ts === T ? { ...bar(ts), open: Number.NaN } : bar(ts));
    const a = assembleFrames({
      ...base,
      candles: [series([T, T + H], zero), series([T, T + H], nan)],
      fromTs: T,
      toTs: T + H,
      nowMs: T + 10 * H,
    });
    expect(a.decisions.map((d) => d.kind)).toEqual(['skip', 'skip']);
    expect(a.invalid).toEqual([
      { symbol: 'ETH/USDT', ts: T, problem: 'open is not a finite number (NaN)' },
      { symbol: 'BTC/USDT', ts: T + H, problem: 'low must be > 0, was 0' },
    ]);
    const inverted = assembleFrames({
      ...base,
      candles: [series([T], (ts) => ({ ...bar(ts), high: 90, low: 95 })), series([T])],
      fromTs: T,
      toTs: T,
      nowMs: T + H,
    });
    expect(inverted.waitingAt).toBe(T);
    expect(inverted.invalid[0]!.problem).toBe('high must be >= low, was high 90 < low 95');
  });

  it('an empty range decides nothing', () => {
    const a = assembleFrames({ ...base, candles: [new Map(), new Map()], fromTs: T + H, toTs: T, nowMs: T });
    expect(a).toEqual({ decisions: [], waitingAt: null, invalid: [] });
  });
});
