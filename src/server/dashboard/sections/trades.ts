// The trades section: the paper trader's round trips (a symbol from flat to flat, with P/L) and its most
// recent fills, newest first.
import type { TradesPage } from '../api-types.js';
import { el, reconcile, setText } from '../dom.js';
import { fixed, money, signed, utcTime } from '../format.js';
import { type RoundTrip, roundTrips } from '../trades-data.js';

export interface TradesSection {
  update(page: TradesPage): void;
}

type Fill = TradesPage['entries'][number];

/** Fills shown in the fills table (the round trips use every fill fetched). */
const FILLS_SHOWN = 50;
const TRIP_COLUMNS = [
  'symbol',
  'model',
  'opened',
  'closed',
  'quantity',
  'entry',
  'exit',
  'pnl',
  'pnlpct',
  'fills',
] as const;
const FILL_COLUMNS = [
  'time',
  'model',
  'symbol',
  'side',
  'quantity',
  'price',
  'notional',
  'fee',
  'pnl',
  'reason',
] as const;
const NUMERIC = new Set(['quantity', 'entry', 'exit', 'pnl', 'pnlpct', 'fills', 'price', 'notional', 'fee']);

function rowOf(columns: readonly string[]): () => HTMLElement {
  return () => {
    const tr = el('tr');
    for (const c of columns) {
      const td = el('td', NUMERIC.has(c) ? 'num' : undefined);
      td.dataset['col'] = c;
      tr.appendChild(td);
    }
    return tr;
  };
}

const quantity = (q: number) => q.toPrecision(6);
/** A profit or loss in the quote currency, signed. */
const pl = (x: number) => signed(x, '').trim();

export function createTrades(trips: HTMLElement, fills: HTMLElement, note: HTMLElement): TradesSection {
  return {
    update(page) {
      const all = page.entries;
      const tripRows = roundTrips(all);
      const closed = tripRows.filter((t) => t.closedTs !== null);
      const pnl = closed.reduce((s, t) => s + t.pnl, 0);
      setText(
        note,
        all.length === 0
          ? 'No fill yet.'
          : `${page.total} fills in all; the last ${all.length} from ${utcTime(all[0]!.ts)}: ${closed.length} round trips closed (P/L ${pl(pnl)}, fees included), ${tripRows.length - closed.length} open. A round trip opened before the first of these fills is left out.`,
      );
      reconcile(
        trips,
        tripRows,
        (t) => `${t.symbol}\n${t.openedTs}`,
        rowOf(TRIP_COLUMNS),
        (tr, t: RoundTrip) => {
          const cell = (c: (typeof TRIP_COLUMNS)[number]) =>
            tr.querySelector<HTMLElement>(`[data-col="${c}"]`)!;
          tr.dataset['open'] = String(t.closedTs === null);
          setText(cell('symbol'), t.symbol);
          setText(cell('model'), t.modelId ?? '–');
          setText(cell('opened'), utcTime(t.openedTs));
          setText(cell('closed'), t.closedTs === null ? 'open' : utcTime(t.closedTs));
          setText(cell('quantity'), quantity(t.quantity));
          setText(cell('entry'), money(t.entryPrice));
          setText(cell('exit'), money(t.exitPrice));
          setText(cell('pnl'), t.closedTs === null && t.pnl === 0 ? '–' : pl(t.pnl));
          setText(cell('pnlpct'), t.closedTs === null ? '–' : signed(t.pnlPct, '%'));
          setText(cell('fills'), String(t.fills));
        },
      );
      const recent = all.slice(-FILLS_SHOWN).reverse();
      reconcile(
        fills,
        recent,
        (f) => `${f.ts}\n${f.symbol}\n${f.side}\n${f.quantity}`,
        rowOf(FILL_COLUMNS),
        (tr, f: Fill) => {
          const cell = (c: (typeof FILL_COLUMNS)[number]) =>
            tr.querySelector<HTMLElement>(`[data-col="${c}"]`)!;
          tr.dataset['side'] = f.side;
          setText(cell('time'), utcTime(f.ts));
          setText(cell('model'), f.modelId ?? '–');
          setText(cell('symbol'), f.symbol);
          setText(cell('side'), f.side);
          setText(cell('quantity'), quantity(f.quantity));
          setText(cell('price'), money(f.price));
          setText(cell('notional'), money(f.notional));
          setText(cell('fee'), fixed(f.fee));
          setText(cell('pnl'), f.realisedPnl === null ? '–' : pl(f.realisedPnl));
          setText(cell('reason'), f.reason);
        },
      );
    },
  };
}
