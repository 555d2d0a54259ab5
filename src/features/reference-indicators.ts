// Test oracle: straightforward batch versions of every indicator, written from the textbook definitions.
// Deliberately not streaming and not shared with the kernels, so a kernel bug cannot hide in both.

const nan = (n: number): number[] => Array.from({ length: n }, () => Number.NaN);
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** ln(c_t / c_{t-k}). */
export function refLogReturn(close: readonly number[], k: number): number[] {
  return close.map((c, t) => (t < k ? Number.NaN : Math.log(c / close[t - k]!)));
}

/** EMA with a = 2 / (p + 1), seeded with the first input. */
export function refEma(xs: readonly number[], p: number): number[] {
  const a = 2 / (p + 1);
  const out: number[] = [];
  for (const [t, x] of xs.entries()) out.push(t === 0 ? x : a * x + (1 - a) * out[t - 1]!);
  return out;
}

/** Raw MACD lines (not divided by close): macd from slow - 1, signal and hist from slow + signal - 2. */
export function refMacd(close: readonly number[], fast: number, slow: number, signal: number) {
  const f = refEma(close, fast);
  const s = refEma(close, slow);
  const macd = close.map((_, t) => (t < slow - 1 ? Number.NaN : f[t]! - s[t]!));
  const sig = [...nan(slow - 1), ...refEma(macd.slice(slow - 1), signal)];
  const validSig = sig.map((v, t) => (t < slow + signal - 2 ? Number.NaN : v));
  return { macd, signal: validSig, hist: macd.map((m, t) => m - validSig[t]!) };
}

/** Wilder smoothing of xs[start..]: seed = mean of the first p values, then (prev x (p - 1) + x) / p. */
function wilder(xs: readonly number[], start: number, p: number): number[] {
  const out = nan(xs.length);
  if (xs.length < start + p) return out;
  out[start + p - 1] = mean(xs.slice(start, start + p));
  for (let t = start + p; t < xs.length; t++) out[t] = (out[t - 1]! * (p - 1) + xs[t]!) / p;
  return out;
}

/** Wilder's RSI: gains and losses from frame 1, first value at frame p. */
export function refRsi(close: readonly number[], p: number): number[] {
  const gains = close.map((c, t) => (t === 0 ? 0 : Math.max(c - close[t - 1]!, 0)));
  const losses = close.map((c, t) => (t === 0 ? 0 : Math.max(close[t - 1]! - c, 0)));
  const g = wilder(gains, 1, p);
  const l = wilder(losses, 1, p);
  return g.map((gv, t) => 100 - 100 / (1 + gv / l[t]!));
}

/** CCI with the mean absolute deviation around the window's SMA, constant 0.015. */
export function refCci(
  high: readonly number[],
  low: readonly number[],
  close: readonly number[],
  p: number,
): number[] {
  const tp = close.map((c, t) => (high[t]! + low[t]! + c) / 3);
  return tp.map((x, t) => {
    if (t < p - 1) return Number.NaN;
    const w = tp.slice(t - p + 1, t + 1);
    const sma = mean(w);
    const md = mean(w.map((y) => Math.abs(y - sma)));
    return (x - sma) / (0.015 * md);
  });
}

/** True range: H - L at frame 0, then max(H - L, |H - C_prev|, |L - C_prev|). */
export function refTrueRange(
  high: readonly number[],
  low: readonly number[],
  close: readonly number[],
): number[] {
  return high.map((h, t) => {
    const l = low[t]!;
    if (t === 0) return h - l;
    const pc = close[t - 1]!;
    return Math.max(h - l, Math.abs(h - pc), Math.abs(l - pc));
  });
}

/** ATR (Wilder, seeded with the mean TR of frames 0..p-1) divided by the close. */
export function refAtrOverClose(
  high: readonly number[],
  low: readonly number[],
  close: readonly number[],
  p: number,
) {
  return wilder(refTrueRange(high, low, close), 0, p).map((a, t) => a / close[t]!);
}

/**
 * Wilder's DX as in "New Concepts" (1978): running sums TR14, +DM14, -DM14 (seed = sum of frames 1..p,
 * then S - S / p + x), +DI = 100 +DM14 / TR14, -DI likewise, DX = 100 |+DI - -DI| / (+DI + -DI).
 */
export function refDx(high: readonly number[], low: readonly number[], close: readonly number[], p: number) {
  const tr = refTrueRange(high, low, close);
  const plus = high.map((h, t) => {
    if (t === 0) return 0;
    const up = h - high[t - 1]!;
    const down = low[t - 1]! - low[t]!;
    return up > down && up > 0 ? up : 0;
  });
  const minus = high.map((h, t) => {
    if (t === 0) return 0;
    const up = h - high[t - 1]!;
    const down = low[t - 1]! - low[t]!;
    return down > up && down > 0 ? down : 0;
  });
  const sums = (xs: number[]) => {
    const out = nan(xs.length);
    out[p] = xs.slice(1, p + 1).reduce((a, b) => a + b, 0);
    for (let t = p + 1; t < xs.length; t++) out[t] = out[t - 1]! - out[t - 1]! / p + xs[t]!;
    return out;
  };
  const str = sums(tr);
  const sp = sums(plus);
  const sm = sums(minus);
  return str.map((s, t) => {
    const pdi = (100 * sp[t]!) / s;
    const mdi = (100 * sm[t]!) / s;
    return (100 * Math.abs(pdi - mdi)) / (pdi + mdi);
  });
}

/** Sample std of the last w one-bar log returns. */
export function refVol(close: readonly number[], w: number): number[] {
  const r = refLogReturn(close, 1);
  return close.map((_, t) => {
    if (t < w) return Number.NaN;
    const win = r.slice(t - w + 1, t + 1);
    const m = mean(win);
    return Math.sqrt(win.reduce((a, x) => a + (x - m) ** 2, 0) / (w - 1));
  });
}

/** Z-score of volume_t against the previous w volumes (sample std). */
export function refVolumeZ(volume: readonly number[], w: number): number[] {
  return volume.map((v, t) => {
    if (t < w) return Number.NaN;
    const win = volume.slice(t - w, t);
    const m = mean(win);
    const sd = Math.sqrt(win.reduce((a, x) => a + (x - m) ** 2, 0) / (w - 1));
    return (v - m) / sd;
  });
}
