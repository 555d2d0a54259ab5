// Start-up repair of the paper trader's journals: drop lines the state file never committed, load equity.
import { StateError } from '../../core/errors.js';
import {
  dropLeftovers,
  type JournalMark,
  readJournal,
  requireJournal,
  rewriteJournal,
} from '../../state/index.js';
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
 * Brings trades.jsonl and equity.jsonl in line with the state file. When the state file records the
 * journals' marks (size and sha256 at the last commit), each journal's committed bytes must be intact:
 * a journal deleted, emptied, cut, torn or edited is refused (StateError JOURNAL_MISMATCH, naming it),
 * never continued; lines after them are dropped only when they are leftovers of an interrupted frame
 * (frames after `lastBarTs`, a torn last line). A state file without marks (written by an older version)
 * gets the older repair: lines for frames after `lastBarTs` and a torn last line are dropped. Either way
 * that frame is applied again exactly once. Without a state file (`lastBarTs` null) only lines of a single
 * frame can be such leftovers; more is a workspace whose state file is missing, refused with StateError
 * rather than wiped. Also refuses an equity journal that does not end at `lastBarTs` with `equity`.
 */
export function repairJournals(
  paths: { state: string; trades: string; equity: string },
  committed: {
    lastBarTs: number | null;
    equity: number;
    initialEquity: number;
    firstBarTs: number | null;
    journals?: { trades: JournalMark; equity: JournalMark } | undefined;
  },
  historyCapacity: number,
): JournalRepair {
  if (committed.journals !== undefined)
    return repairMarked(paths, committed, committed.journals, historyCapacity);
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

/** How an operator gets out of a JOURNAL_MISMATCH. */
function mismatchHint(statePath: string): string {
  return `restore the journal from a backup; to accept it as it is now, delete the "journals" field of ${statePath} (the next start adopts the journals as they are)`;
}

/** The repair of journals whose committed marks the state file records (see repairJournals). */
function repairMarked(
  paths: { state: string; trades: string; equity: string },
  committed: { lastBarTs: number | null; equity: number; initialEquity: number; firstBarTs: number | null },
  marks: { trades: JournalMark; equity: JournalMark },
  historyCapacity: number,
): JournalRepair {
  const hint = mismatchHint(paths.state);
  const after = (ts: number) => committed.lastBarTs === null || ts > committed.lastBarTs;
  // both are checked before either is cut: a refused workspace stays untouched
  const tradesExtra = requireJournal(paths.trades, marks.trades, hint);
  const equityExtra = requireJournal(paths.equity, marks.equity, hint);
  const droppedTrades =
    tradesExtra === null
      ? 0
      : dropLeftovers(
          paths.trades,
          marks.trades.bytes,
          tradesExtra,
          TradeLineSchema,
          (e) => after(e.barTs),
          hint,
        );
  const droppedEquity =
    equityExtra === null
      ? 0
      : dropLeftovers(
          paths.equity,
          marks.equity.bytes,
          equityExtra,
          EquityLineSchema,
          (e) => after(e.ts),
          hint,
        );
  const kept = readJournal(paths.equity, EquityLineSchema).entries;
  checkEquityJournal(paths.equity, kept, committed);
  const history = new EquityHistory(historyCapacity, committed.initialEquity, committed.firstBarTs);
  for (let k = Math.max(0, kept.length - historyCapacity); k < kept.length; k++)
    history.push(kept[k]!.ts, kept[k]!.equity);
  return { droppedTrades, droppedEquity, history };
}

/** The equity journal must be in ts order and end at the committed frame with the committed equity. */
export function checkEquityJournal(
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
