// The leaderboard table: active arena models in rank order with progress toward each promotion rule.
import type { LeaderboardResponse, LeaderRow, RuleProgress } from '../api-types.js';
import { el, reconcile, setAttr, setText } from '../dom.js';
import { fixed, progressFraction, signed } from '../format.js';

export interface LeaderboardSection {
  update(board: LeaderboardResponse): void;
}

const COLUMNS = [
  'rank',
  'model',
  'trial',
  'hours',
  'return',
  'excess',
  'sharpe',
  'sortino',
  'maxdd',
  'trades',
  'status',
] as const;

/** A cell with a figure over a bar showing how far it is toward its rule's threshold. */
function ruleCell(): HTMLElement {
  const td = el('td', 'rule');
  const bar = el('div', 'bar');
  bar.setAttribute('role', 'progressbar');
  bar.setAttribute('aria-valuemin', '0');
  bar.setAttribute('aria-valuemax', '100');
  td.append(el('span', 'figure'), bar);
  bar.appendChild(el('span', 'fill'));
  return td;
}

function fillRule(td: HTMLElement, text: string, rule: RuleProgress, need: string): void {
  const fraction = rule.passed ? 1 : progressFraction(rule.value, rule.threshold);
  setText(td.querySelector('.figure')!, text);
  const bar = td.querySelector<HTMLElement>('.bar')!;
  setAttr(bar, 'aria-valuenow', String(Math.round(fraction * 100)));
  setAttr(bar, 'aria-label', `${need}: ${rule.passed ? 'passed' : 'not yet'}`);
  setAttr(td, 'title', `${need}: ${rule.passed ? 'passed' : 'not yet'}`);
  td.dataset['passed'] = String(rule.passed);
  const fill = bar.querySelector<HTMLElement>('.fill')!;
  const width = `${(fraction * 100).toFixed(1)}%`;
  if (fill.style.width !== width) fill.style.width = width;
}

export function createLeaderboard(tbody: HTMLElement, note: HTMLElement): LeaderboardSection {
  return {
    update(board) {
      const rows = board.rows;
      const first = rows[0];
      setText(
        note,
        first === undefined
          ? 'No active arena models yet.'
          : `${rows.length} active model${rows.length === 1 ? '' : 's'}. Promotion needs ≥ ${fixed(
              first.progress.hours.threshold,
              0,
            )} h, ≥ ${signed(first.progress.excessReturnPct.threshold, 'pp')} over the paper trader on the same window, and Sharpe > ${fixed(
              first.progress.sharpe.threshold,
              1,
            )}.`,
      );
      reconcile(
        tbody,
        rows,
        (r) => r.modelId,
        () => {
          const tr = el('tr');
          for (const col of COLUMNS) {
            const cell =
              col === 'hours' || col === 'excess' || col === 'sharpe'
                ? ruleCell()
                : col === 'model'
                  ? el('th')
                  : el('td');
            cell.dataset['col'] = col;
            if (col !== 'model' && col !== 'status') cell.classList.add('num');
            tr.appendChild(cell);
          }
          (tr.children[1] as HTMLTableCellElement).scope = 'row';
          return tr;
        },
        (tr, r) => fillRow(tr, r),
      );
    },
  };
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
  const hours = cell('hours');
  hours.dataset['value'] = String(r.hours);
  fillRule(
    hours,
    `${fixed(r.hours, 1)} h`,
    r.progress.hours,
    `${fixed(r.progress.hours.threshold, 0)} h in the arena`,
  );
  setText(cell('return'), signed(r.returnPct, '%'));
  fillRule(
    cell('excess'),
    signed(r.excessReturnPct, 'pp'),
    r.progress.excessReturnPct,
    `${signed(r.progress.excessReturnPct.threshold, 'pp')} over the paper trader`,
  );
  fillRule(
    cell('sharpe'),
    fixed(r.sharpe),
    r.progress.sharpe,
    `Sharpe above ${fixed(r.progress.sharpe.threshold, 1)}`,
  );
  setText(cell('sortino'), fixed(r.sortino));
  setText(cell('maxdd'), r.maxDrawdownPct === null ? '–' : `${fixed(r.maxDrawdownPct)} %`);
  setText(cell('trades'), String(r.trades));
  const status = cell('status');
  status.dataset['value'] = r.status;
  setText(status, r.status);
}
