// The paper trader's recent equity curve in a fixed-size ring: the promotion gate's reference (returnSince).

/**
 * The last `capacity` points (frame ts, equity after that frame) of an equity curve, oldest first, in
 * preallocated typed arrays: memory stays flat however many frames are pushed. Knows the first frame ever
 * applied and the equity before it, so windows that start at the very beginning stay answerable after
 * the ring has wrapped.
 */
export class EquityHistory {
  private readonly tsRing: Float64Array;
  private readonly equityRing: Float64Array;
  /** Index of the oldest point. */
  private head = 0;
  private count = 0;

  /**
   * @param capacity points kept (> 0)
   * @param initialEquity equity before the first frame ever applied
   * @param firstBarTs ts of the first frame ever applied (null before it; set by the first push)
   */
  constructor(
    readonly capacity: number,
    readonly initialEquity: number,
    private first: number | null,
  ) {
    this.tsRing = new Float64Array(capacity);
    this.equityRing = new Float64Array(capacity);
  }

  get firstBarTs(): number | null {
    return this.first;
  }

  get size(): number {
    return this.count;
  }

  /** ts of the i-th kept point, oldest first. */
  tsAt(i: number): number {
    return this.tsRing[(this.head + i) % this.capacity]!;
  }

  /** Equity of the i-th kept point, oldest first. */
  equityAt(i: number): number {
    return this.equityRing[(this.head + i) % this.capacity]!;
  }

  /** Appends the point of a frame after every kept one; drops the oldest when full. */
  push(ts: number, equity: number): void {
    if (this.first === null) this.first = ts;
    const slot = (this.head + this.count) % this.capacity;
    this.tsRing[slot] = ts;
    this.equityRing[slot] = equity;
    if (this.count < this.capacity) this.count++;
    else this.head = (this.head + 1) % this.capacity;
  }

  /**
   * Equity after the last frame before `ts`: the initial equity when `ts` is at or before the first frame
   * ever applied (or nothing was applied yet); null when that frame has left the ring.
   */
  equityBefore(ts: number): number | null {
    if (this.first === null || ts <= this.first) return this.initialEquity;
    const k = this.lastIndexBefore(ts);
    return k < 0 ? null : this.equityAt(k);
  }

  /**
   * Return in percent over (windowStartTs, last frame]: from `equityBefore(windowStartTs)` to the last
   * equity. Null when nothing was applied yet, when the window starts before the first frame ever applied
   * (the trader did not exist then), or when the frame before the window has left the ring.
   */
  returnSince(windowStartTs: number): number | null {
    if (this.count === 0 || this.first === null || windowStartTs < this.first) return null;
    const base = this.equityBefore(windowStartTs);
    return base === null ? null : (this.equityAt(this.count - 1) / base - 1) * 100;
  }

  /** Index of the last kept point with ts < `ts`, or -1 (binary search: points are in ts order). */
  private lastIndexBefore(ts: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.tsAt(mid) < ts) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }
}
