// The paper trader's fills grouped into round trips (a symbol's position from flat to flat) with their
// profit or loss; pure.

/** The fields of a fill (trades.jsonl) a round trip needs. */
export interface FillLike {
  readonly ts: number;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly quantity: number;
  readonly notional: number;
  readonly fee: number;
  /** Sells: proceeds net of fee minus the cost basis (buy fees included). */
  readonly realisedPnl: number | null;
  readonly modelId: string | null;
}

export interface RoundTrip {
  readonly symbol: string;
  /** The model of the fill that opened it. */
  readonly modelId: string | null;
  readonly openedTs: number;
  /** null while the position is still open. */
  readonly closedTs: number | null;
  readonly quantity: number;
  /** Mean prices of its buys and of its sells (null before a sell). */
  readonly entryPrice: number;
  readonly exitPrice: number | null;
  /** Realised profit or loss of its sells (fees included) and the same in % of what its buys cost. */
  readonly pnl: number;
  readonly pnlPct: number;
  readonly fills: number;
}

interface Open {
  symbol: string;
  modelId: string | null;
  openedTs: number;
  held: number;
  bought: number;
  boughtNotional: number;
  cost: number;
  sold: number;
  soldNotional: number;
  pnl: number;
  fills: number;
}

function trip(o: Open, closedTs: number | null): RoundTrip {
  return {
    symbol: o.symbol,
    modelId: o.modelId,
    openedTs: o.openedTs,
    closedTs,
    quantity: o.bought,
    entryPrice: o.boughtNotional / o.bought,
    exitPrice: o.sold > 0 ? o.soldNotional / o.sold : null,
    pnl: o.pnl,
    pnlPct: o.cost > 0 ? (o.pnl / o.cost) * 100 : 0,
    fills: o.fills,
  };
}

/**
 * Round trips of `fills` (oldest first), newest first: each symbol's position from its first buy while flat
 * to the sell that leaves it flat (quantities within 1e-9 of their size count as flat). Sells of a position
 * opened before the first fill given are left out (their cost is not known here).
 */
export function roundTrips(fills: readonly FillLike[]): RoundTrip[] {
  const open = new Map<string, Open>();
  const done: RoundTrip[] = [];
  for (const f of fills) {
    let o = open.get(f.symbol);
    if (f.side === 'buy') {
      if (o === undefined) {
        o = {
          symbol: f.symbol,
          modelId: f.modelId,
          openedTs: f.ts,
          held: 0,
          bought: 0,
          boughtNotional: 0,
          cost: 0,
          sold: 0,
          soldNotional: 0,
          pnl: 0,
          fills: 0,
        };
        open.set(f.symbol, o);
      }
      o.held += f.quantity;
      o.bought += f.quantity;
      o.boughtNotional += f.notional;
      o.cost += f.notional + f.fee;
      o.fills++;
      continue;
    }
    if (o === undefined) continue;
    o.held -= f.quantity;
    o.sold += f.quantity;
    o.soldNotional += f.notional;
    o.pnl += f.realisedPnl ?? 0;
    o.fills++;
    if (o.held <= 1e-9 * o.bought) {
      done.push(trip(o, f.ts));
      open.delete(f.symbol);
    }
  }
  for (const o of open.values()) done.push(trip(o, null));
  return done.sort(
    (a, b) =>
      (b.closedTs ?? Number.POSITIVE_INFINITY) - (a.closedTs ?? Number.POSITIVE_INFINITY) ||
      b.openedTs - a.openedTs,
  );
}
