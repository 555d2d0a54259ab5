// A sliding-window rate limit: at most `max` sends in any window of `windowMs`, on an injected clock.

export class SlidingWindowLimiter {
  /** Times of the sends still inside the window, oldest first (at most `max`). */
  private readonly sent: number[] = [];

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Takes a slot at `nowMs` if one is free (and returns true); otherwise takes nothing. */
  tryTake(nowMs: number): boolean {
    this.expire(nowMs);
    if (this.sent.length >= this.max) return false;
    this.sent.push(nowMs);
    return true;
  }

  /** Takes a slot even when none is free (a notice at shutdown): later sends wait for it too. */
  force(nowMs: number): void {
    this.expire(nowMs);
    this.sent.push(nowMs);
  }

  /** The earliest time >= nowMs at which `tryTake` would succeed. */
  nextFreeMs(nowMs: number): number {
    this.expire(nowMs);
    if (this.sent.length < this.max) return nowMs;
    return this.sent[this.sent.length - this.max]! + this.windowMs;
  }

  private expire(nowMs: number): void {
    while (this.sent.length > 0 && this.sent[0]! <= nowMs - this.windowMs) this.sent.shift();
  }
}

/** Remembers dedupe keys for `windowMs`: the first occurrence passes, repeats within the window do not. */
export class Deduplicator {
  private readonly seen = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  /** True if `key` was not passed within the window before `nowMs`; a passing key is remembered. */
  pass(key: string, nowMs: number): boolean {
    if (this.windowMs <= 0) return true;
    const last = this.seen.get(key);
    if (last !== undefined && nowMs - last < this.windowMs) return false;
    this.seen.delete(key); // re-insert: the map stays ordered by time, so pruning can stop early
    this.seen.set(key, nowMs);
    if (this.seen.size > 256) this.prune(nowMs);
    return true;
  }

  private prune(nowMs: number): void {
    for (const [key, ts] of this.seen) {
      if (nowMs - ts < this.windowMs) break;
      this.seen.delete(key);
    }
  }
}
