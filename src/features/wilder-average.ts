// Wilder's smoothing, the running average ATR, RSI and DX share.

/**
 * Wilder's moving average of a stream: the seed is the simple mean of the first `period` inputs, then
 * each input moves it by `(x - avg) / period` (an EMA with alpha = 1 / period). `value` is meaningful
 * once `ready` (after `period` inputs); before that it holds the running sum of the seed.
 */
export class WilderAverage {
  /** Inputs seen so far. */
  count = 0;
  value = 0;

  constructor(private readonly period: number) {}

  add(x: number): void {
    const p = this.period;
    const k = this.count++;
    if (k < p) {
      this.value += x;
      if (k === p - 1) this.value /= p;
    } else {
      this.value += (x - this.value) / p;
    }
  }

  /** Whether the seed is complete (at least `period` inputs). */
  get ready(): boolean {
    return this.count >= this.period;
  }
}

/**
 * The Wilder averages of a stream of (up, down) moves, both seeded and smoothed over the same `period`:
 * RSI's gains and losses of the close, DX's directional movements of the highs and lows. Both are
 * ready together.
 */
export class UpDownAverages {
  readonly up: WilderAverage;
  readonly down: WilderAverage;

  constructor(period: number) {
    this.up = new WilderAverage(period);
    this.down = new WilderAverage(period);
  }

  add(up: number, down: number): void {
    this.up.add(up);
    this.down.add(down);
  }

  get ready(): boolean {
    return this.up.ready;
  }
}
