// Start-up repair of the paper trader's journals: drop lines the state file never committed, load equity.
import { StateError } from '../../core/errors.js';
import { readJournal, rewriteJournal } from '../../state/index.js';
import { EquityHistory } from './equity-history.js';
import { type EquityLine, EquityLineSchema, TradeLineSchema } from './paper-state.js';

export interface JournalRepair {
  /** Entries (plus a torn last line) removed from trades.jsonl and equity.jsonl. */
  readonly droppedTrades: number;
  readonly droppedEquity: number;
  /** The last kept equity points, ready for returnSince. */
  readonly history: EquityHistory;
}

/**
 * Brings trades.jsonl and equity.jsonl in line with the state file: lines for frames after `lastBarTs`
 * (appended before a crash whose state write never happened) and a torn last line are dropped, so that
 * frame is applied again exactly once. Without a state file (`lastBarTs` null) only lines of a single
 * frame can be such leftovers; more is a workspace whose state file is missing, refused with StateError
 * rather than wiped. Also refuses an equity journal that does not end at `lastBarTs` with `equity`.
 */
export function repairJournals(
  paths: { state: string; trades: string; equity: string },
  committed: { lastBarTs: number | null; equity: number; initialEquity: number; firstBarTs: number | null },
  historyCapacity: number,
): JournalRepair {
  const { lastBarTs } = committed;
  const trades = readJournal(paths.trades, TradeLineSchema).entries;
  const equity = readJournal(paths.equity, EquityLineSchema).entries;
  if (lastBarTs === null) {
    const frames = new Set([...trades.map((e) => e.barTs), ...equity.map((e) => e.ts)]);
    if (frames.size > 1)
      throw new StateError(
        'PAPER_STATE_MISSING',
        `${paths.state} is missing but ${paths.equity} and ${paths.trades} hold ${frames.size} frames: restore the state file or move the journals away`,
        { path: paths.state, frames: frames.size },
      );
  }
  const keep = (barTs: number) => lastBarTs !== null && barTs <= lastBarTs;
  const kept = equity.filter((e) => keep(e.ts));
  checkEquityJournal(paths.equity, kept, committed); // before any rewrite: a refused workspace stays untouched
  const droppedTrades = rewriteJournal(paths.trades, TradeLineSchema, (e) => keep(e.barTs));
  const droppedEquity = rewriteJournal(paths.equity, EquityLineSchema, (e) => keep(e.ts));
  const history = new EquityHistory(historyCapacity, committed.initialEquity, committed.firstBarTs);
  for (let k = Math.max(0, kept.length - historyCapacity); k < kept.length; k++)
    history.push(kept[k]!.ts, kept[k]!.equity);
  return { droppedTrades, droppedEquity, history };
}

/** The equity journal must be in ts order and end at the committed frame with the committed equity. */
function checkEquityJournal(
  path: string,
  kept: readonly EquityLine[],
  committed: { lastBarTs: number | null; equity: number },
): void {
  for (let k = 1; k < kept.length; k++)
    if (!(kept[k]!.ts > kept[k - 1]!.ts))
      throw new StateError(
        'PAPER_EQUITY_JOURNAL_INVALID',
        `${path} line ${k + 1}: field "ts": not after line ${k}`,
        {
          path,
          line: k + 1,
        },
      );
  if (committed.lastBarTs === null) return;
  const last = kept[kept.length - 1];
  if (!last || last.ts !== committed.lastBarTs || last.equity !== committed.equity)
    throw new StateError(
      'PAPER_EQUITY_JOURNAL_INVALID',
      `${path}: the last line (ts ${last?.ts ?? 'none'}, equity ${last?.equity ?? 'none'}) differs from positions_state.json (lastBarTs ${committed.lastBarTs}, equity ${committed.equity})`,
      { path },
    );
}
