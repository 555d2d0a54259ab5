import { describe, expect, it } from 'vitest';
import { type FillLike, roundTrips } from './trades-data.js';

const fill = (
  ts: number,
  symbol: string,
  side: 'buy' | 'sell',
  quantity: number,
  price: number,
  pnl: number | null = null,
): FillLike => ({
  ts,
  symbol,
  side,
  quantity,
  notional: quantity * price,
  fee: quantity * price * 0.001,
  realisedPnl: pnl,
  modelId: 's/1',
});

describe('roundTrips', () => {
  it('groups a symbol from flat to flat, with mean prices and the realised P/L of its sells', () => {
    const trips = roundTrips([
      fill(1, 'BTC', 'buy', 1, 100),
      fill(2, 'BTC', 'buy', 1, 110),
      fill(3, 'ETH', 'buy', 2, 10),
      fill(4, 'BTC', 'sell', 0.5, 120, 6),
      fill(5, 'BTC', 'sell', 1.5, 120, 18),
    ]);
    expect(trips).toEqual([
      {
        symbol: 'ETH',
        modelId: 's/1',
        openedTs: 3,
        closedTs: null,
        quantity: 2,
        entryPrice: 10,
        exitPrice: null,
        pnl: 0,
        pnlPct: 0,
        fills: 1,
      },
      {
        symbol: 'BTC',
        modelId: 's/1',
        openedTs: 1,
        closedTs: 5,
        quantity: 2,
        entryPrice: 105,
        exitPrice: 120,
        pnl: 24,
        pnlPct: (24 / (210 * 1.001)) * 100,
        fills: 4,
      },
    ]);
  });

  it('leaves out sells of a position opened before the first fill given, and starts again after flat', () => {
    const trips = roundTrips([
      fill(1, 'BTC', 'sell', 1, 100, 5),
      fill(2, 'BTC', 'buy', 1, 100),
      fill(3, 'BTC', 'sell', 1, 90, -10.2),
      fill(4, 'BTC', 'buy', 1, 95),
    ]);
    expect(trips.map((t) => [t.openedTs, t.closedTs, t.pnl])).toEqual([
      [4, null, 0],
      [2, 3, -10.2],
    ]);
  });
});
