// The leaderboard table: active arena models in rank order with the promotion gate's verdict on each rule.
import { describeFailures, formatRule } from '../../../lifecycle/rule-format.js';
import type { BenchmarkRow, GateVerdict, LeaderboardResponse, LeaderRow } from '../api-types.js';
import { el, reconcile, setAttr, setText } from '../dom.js';
import { fixed, signed, utcTime } from '../format.js';

export interface LeaderboardSection {
  update(board: LeaderboardResponse): void;
}

const COLUMNS = [
  'rank',
  'model',
  'trial',
  'entered',
  'hours',
  'since',
  'window',
  'return',
  'excess',
  'sharpe',
  'psr',
  'sortino',
  'maxdd',
  'trades',
  'gate',
  'status',
] as const;

/** The thresholds of every rule the gate applied, from a verdict the arena stored (its config at that bar). */
function rulesNote(rows: readonly LeaderRow[]): string {
  const judged = rows.find((r) => r.gate !== null);
  if (!judged?.gate) return 'No challenger has been judged by the promotion gate yet.';
  const rules = judged.gate.rules.map((r) => `${r.rule} ${r.threshold}`).join(', ');
  return `Promotion rules and thresholds: ${rules}. Each model's verdict is the gate's at the arena's last bar.`;
}

/**
 * The gate's stored verdict, one line per rule ("✓ minHours 171 vs 168"), as the arena computed it: every
 * rule it applied, optional and later ones included.
 */
function fillGate(td: HTMLElement, gate: GateVerdict | null): void {
  td.dataset['qualifies'] = gate === null ? '' : String(gate.qualifies);
  setAttr(
    td,
    'title',
    gate === null ? 'not judged: the champion shadow, or no bar yet' : describeFailures(gate.rules),
  );
  if (gate === null) {
    setText(td, '–');
    return;
  }
  let list = td.querySelector('ul');
  if (list === null) {
    list = el('ul', 'rules');
    td.replaceChildren(list);
  }
  while (list.children.length > gate.rules.length) list.lastElementChild!.remove();
  while (list.children.length < gate.rules.length) list.appendChild(el('li'));
  gate.rules.forEach((r, k) => {
    const li = list.children[k] as HTMLElement;
    li.dataset['passed'] = String(r.passed);
    li.dataset['rule'] = r.rule;
    setText(li, `${r.passed ? '✓' : '✗'} ${formatRule(r)}`);
  });
}

function newRow(): HTMLElement {
  const tr = el('tr');
  for (const col of COLUMNS) {
    const cell = col === 'model' ? el('th') : el('td');
    cell.dataset['col'] = col;
    if (col !== 'model' && col !== 'status' && col !== 'gate') cell.classList.add('num');
    tr.appendChild(cell);
  }
  (tr.children[1] as HTMLTableCellElement).scope = 'row';
  return tr;
}

/** What every figure covers: they all run to the close of the last bar. */
function windowsNote(board: LeaderboardResponse): string {
  const to = [...board.rows, ...board.benchmarks].find((r) => r.window)?.window?.to;
  if (!to) return '';
  return ` Every figure runs to the close of the last bar, ${utcTime(to)}: since entry (a benchmark's: since the arena's first bar), and over the window the gate reads (a challenger's whole life; the trailing evaluation window for the champion and the benchmarks). PSR: the probability that the true Sharpe over the window is above 0.`;
}

export function createLeaderboard(
  tbody: HTMLElement,
  note: HTMLElement,
  benchmarks: HTMLElement,
): LeaderboardSection {
  return {
    update(board) {
      const rows = board.rows;
      setText(
        note,
        (rows.length === 0
          ? 'No active arena models yet.'
          : `${rows.length} active model${rows.length === 1 ? '' : 's'}. ${rulesNote(rows)}`) +
          windowsNote(board),
      );
      reconcile(
        tbody,
        rows,
        (r) => r.modelId,
        newRow,
        (tr, r) => fillRow(tr, r),
      );
      reconcile(
        benchmarks,
        board.benchmarks,
        (b) => b.name,
        newRow,
        (tr, b) => fillBenchmark(tr, b),
      );
    },
  };
}

type Cell = (col: (typeof COLUMNS)[number]) => HTMLElement;

/** The figures a member and a benchmark share: since entry, and over the window, each with its window. */
function fillFigures(cell: Cell, r: LeaderRow | BenchmarkRow): void {
  const since = r.sinceEntry;
  setText(cell('entered'), utcTime(since?.from));
  const hours = cell('hours');
  hours.dataset['value'] = String(since?.hours ?? '');
  setText(hours, since ? `${fixed(since.hours, 1)} h` : '–');
  setText(cell('since'), signed(since?.returnPct, '%'));
  const window = cell('window');
  setText(window, r.window ? `${fixed(r.window.hours, 1)} h from ${utcTime(r.window.from)}` : '–');
  setAttr(window, 'title', r.window ? `${r.window.from} to ${r.window.to}` : 'no bar yet');
  setText(cell('return'), signed(r.returnPct, '%'));
  setText(cell('excess'), signed(r.excessReturnPct, 'pp'));
  setText(cell('sharpe'), fixed(r.sharpe));
  setText(cell('psr'), fixed(r.psr));
  setText(cell('sortino'), fixed(r.sortino));
  setText(cell('maxdd'), r.maxDrawdownPct === null ? '–' : `${fixed(r.maxDrawdownPct)} %`);
  setText(cell('trades'), String(r.trades));
}

function fillBenchmark(tr: HTMLElement, b: BenchmarkRow): void {
  const cell: Cell = (col) => tr.querySelector<HTMLElement>(`[data-col="${col}"]`)!;
  tr.dataset['benchmark'] = b.name;
  setText(cell('rank'), '–');
  setText(cell('model'), `benchmark: ${b.name}`);
  setText(cell('trial'), '–');
  fillFigures(cell, b);
  setText(cell('gate'), '–');
  setText(cell('status'), 'benchmark');
}

function fillRow(tr: HTMLElement, r: LeaderRow): void {
  const cell = (col: (typeof COLUMNS)[number]) => tr.querySelector<HTMLElement>(`[data-col="${col}"]`)!;
  tr.dataset['modelId'] = r.modelId;
  tr.dataset['status'] = r.status;
  setText(cell('rank'), String(r.rank));
  const model = cell('model');
  setText(model, r.role === 'champion-shadow' ? `${r.modelId} (champion)` : r.modelId);
  model.dataset['value'] = r.modelId;
  setText(cell('trial'), r.trialNumber === null ? '–' : String(r.trialNumber));
  fillFigures(cell, r);
  const hours = cell('hours');
  hours.dataset['value'] = String(r.hours);
  fillGate(cell('gate'), r.gate);
  const status = cell('status');
  status.dataset['value'] = r.status;
  setText(status, r.status);
}
