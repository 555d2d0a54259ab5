import { describe, expect, it } from 'vitest';
import { EquityHistory } from './equity-history.js';

describe('EquityHistory', () => {
  it('keeps at most `capacity` points over 10 000 frames and answers windows it still covers', () => {
    const h = new EquityHistory(100, 1000, null);
    for (let k = 0; k < 10_000; k++) h.push(k * 10, 1000 + k);
    expect(h.size).toBe(100);
    expect(h.firstBarTs).toBe(0);
    expect(h.tsAt(0)).toBe(9_900 * 10);
    // window starting at frame 9950: base = equity after frame 9949
    expect(h.returnSince(9_950 * 10)).toBe(((1000 + 9_999) / (1000 + 9_949) - 1) * 100);
    // the frame before 9900 has left the ring
    expect(h.returnSince(9_900 * 10)).toBeNull();
    // a window from the very first frame is still answerable: base = initial equity
    expect(h.returnSince(0)).toBe(((1000 + 9_999) / 1000 - 1) * 100);
  });

  it('is null before any frame and for windows before the first frame; 0 for a window after the last', () => {
    const h = new EquityHistory(10, 500, null);
    expect(h.returnSince(0)).toBeNull();
    h.push(100, 550);
    h.push(200, 605);
    expect(h.returnSince(50)).toBeNull();
    expect(h.returnSince(100)).toBeCloseTo(21, 12);
    expect(h.returnSince(200)).toBeCloseTo(10, 12);
    expect(h.returnSince(300)).toBe(0);
  });
});
