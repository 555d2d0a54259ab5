import { describe, expect, it } from 'vitest';
import { positionWeights, returnSince } from './overview-data.js';

describe('returnSince', () => {
  const paper = { ts: [10, 20, 30, 40], equity: [100, 110, 120, 132] };

  it('measures from the last point at or before the deployment', () => {
    expect(returnSince(paper, 20, 132)!.pct).toBeCloseTo(20, 10);
    expect(returnSince(paper, 25, 132)).toEqual({ pct: expect.closeTo(20, 10), fromEquity: 110 });
    expect(returnSince(paper, 40, null)!.pct).toBe(0);
  });

  it('is null when the curve starts after the deployment or is empty', () => {
    expect(returnSince(paper, 5, 132)).toBeNull();
    expect(returnSince({ ts: [], equity: [] }, 5, 100)).toBeNull();
  });
});

describe('positionWeights', () => {
  it('orders positions by value and gives their weight of equity', () => {
    const rows = positionWeights(
      [
        { symbol: 'A', quantity: 1, value: 10 },
        { symbol: 'B', quantity: 2, value: 30 },
      ],
      100,
    );
    expect(rows.map((r) => [r.symbol, r.weightPct])).toEqual([
      ['B', 30],
      ['A', 10],
    ]);
    expect(positionWeights([{ symbol: 'A', quantity: 1, value: 10 }], null)[0]!.weightPct).toBeNull();
  });
});
