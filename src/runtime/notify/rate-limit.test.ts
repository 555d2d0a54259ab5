import { describe, expect, it } from 'vitest';
import { Deduplicator, SlidingWindowLimiter } from './rate-limit.js';

describe('SlidingWindowLimiter', () => {
  it('allows max sends in any window and says when the next slot frees', () => {
    const l = new SlidingWindowLimiter(3, 60_000);
    expect([0, 10, 20, 30].map((t) => l.tryTake(t))).toEqual([true, true, true, false]);
    expect(l.nextFreeMs(30)).toBe(60_000);
    expect(l.tryTake(59_999)).toBe(false);
    expect(l.tryTake(60_000)).toBe(true); // the send at 0 left the window
    expect(l.tryTake(60_005)).toBe(false);
    expect(l.nextFreeMs(60_005)).toBe(60_010);
  });

  it('counts forced sends, so later sends wait for them too', () => {
    const l = new SlidingWindowLimiter(1, 1000);
    expect(l.tryTake(0)).toBe(true);
    l.force(10);
    expect(l.nextFreeMs(20)).toBe(1010);
    expect(l.tryTake(1000)).toBe(false);
    expect(l.tryTake(1010)).toBe(true);
  });
});

describe('Deduplicator', () => {
  it('passes a key once per window, measured from the last pass', () => {
    const d = new Deduplicator(60_000);
    expect(d.pass('a', 0)).toBe(true);
    expect(d.pass('a', 59_999)).toBe(false);
    expect(d.pass('b', 59_999)).toBe(true);
    expect(d.pass('a', 60_000)).toBe(true);
    expect(d.pass('a', 90_000)).toBe(false);
  });

  it('is off with a zero window and forgets old keys (bounded memory)', () => {
    const off = new Deduplicator(0);
    expect(off.pass('a', 0) && off.pass('a', 0)).toBe(true);
    const d = new Deduplicator(10);
    for (let i = 0; i < 10_000; i++) expect(d.pass(`k${i}`, i)).toBe(true);
    expect((d as unknown as { seen: Map<string, number> }).seen.size).toBeLessThan(300);
  });
});
