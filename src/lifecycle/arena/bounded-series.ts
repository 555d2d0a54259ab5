// A bounded series (ring of the last N numbers): equity windows and recent frame times, flat memory.

/**
 * The last `capacity` values pushed, oldest first (for an equity curve: point 0 is the equity before the
 * first frame until the ring wraps, then the trailing window). Preallocated: pushing never grows it.
 */
export class BoundedSeries {
  private readonly ring: Float64Array;
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.ring = new Float64Array(Math.max(1, capacity));
  }

  /** A curve holding `points` (oldest first); only the last `capacity` are kept. */
  static from(points: readonly number[], capacity: number): BoundedSeries {
    const curve = new BoundedSeries(capacity);
    for (const x of points) curve.push(x);
    return curve;
  }

  get size(): number {
    return this.count;
  }

  /** The i-th kept value, oldest first. */
  at(i: number): number {
    return this.ring[(this.head + i) % this.ring.length]!;
  }

  /** The newest point. */
  get last(): number {
    return this.ring[(this.head + this.count - 1) % this.ring.length]!;
  }

  push(equity: number): void {
    const cap = this.ring.length;
    this.ring[(this.head + this.count) % cap] = equity;
    if (this.count < cap) this.count++;
    else this.head = (this.head + 1) % cap;
  }

  /** A copy of the points, oldest first. */
  values(): Float64Array {
    const out = new Float64Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.ring[(this.head + i) % this.ring.length]!;
    return out;
  }

  toArray(): number[] {
    return Array.from(this.values());
  }
}
