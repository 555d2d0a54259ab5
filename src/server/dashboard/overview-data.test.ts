import { describe, expect, it } from 'vitest';
import { positionWeights } from './overview-data.js';

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
