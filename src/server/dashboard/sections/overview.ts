// The overview cards: deployed model, equity, return since deployment, positions, arena.
import type { DeploymentResponse, StatusResponse } from '../api-types.js';
import { el, reconcile, setText } from '../dom.js';
import { duration, fixed, money, signed, utcTime } from '../format.js';
import { positionWeights } from '../overview-data.js';

export interface OverviewSection {
  update(status: StatusResponse, deployment: DeploymentResponse | null): void;
}

/** A card with a heading, one large figure and detail lines, each addressable by `data-field`. */
function card(
  title: string,
  fields: string[],
): { node: HTMLElement; set(field: string, text: string): void } {
  const node = el('article', 'card', el('h3', '', title));
  const slots = new Map<string, HTMLElement>();
  fields.forEach((field, k) => {
    const slot = el('p', k === 0 ? 'big' : 'detail');
    slot.dataset['field'] = field;
    slots.set(field, slot);
    node.appendChild(slot);
  });
  return { node, set: (field, text) => setText(slots.get(field)!, text) };
}

export function createOverview(root: HTMLElement): OverviewSection {
  const deployed = card('Deployed model', ['model', 'source', 'since', 'score']);
  const equity = card('Equity', ['equity', 'cash', 'lastBar', 'heartbeat']);
  const since = card('Return since deployment', ['return', 'from', 'start']);
  const arena = card('Arena', ['members', 'queued', 'leader', 'candidate']);
  const positions = el('article', 'card positions', el('h3', '', 'Positions'));
  const tbody = el('tbody');
  const empty = el('p', 'detail', 'None: all in cash.');
  const table = el(
    'table',
    'compact',
    el(
      'thead',
      '',
      el(
        'tr',
        '',
        ...['Symbol', 'Quantity', 'Value', 'Weight'].map((h, k) => {
          const th = el('th', k === 0 ? '' : 'num', h);
          th.scope = 'col';
          return th;
        }),
      ),
    ),
    tbody,
  );
  positions.append(table, empty);
  // Positions go below the grid: a table needs the width, the figures fit a row of cards.
  root.replaceChildren(el('div', 'cards', deployed.node, equity.node, since.node, arena.node), positions);

  return {
    update(status, deployment) {
      const current = deployment?.state?.current ?? null;
      const d = status.deployed;
      deployed.set('model', d?.modelId ?? 'none yet');
      deployed.set(
        'source',
        d ? `source: ${d.source}, mode ${status.mode ?? '–'}` : `mode ${status.mode ?? '–'}`,
      );
      deployed.set('since', d ? `since ${utcTime(d.deployedAt)}` : '');
      deployed.set(
        'score',
        d ? `training score ${fixed(d.trainingScore, 4)}${current ? `, study ${current.study}` : ''}` : '',
      );

      equity.set('equity', money(status.equity));
      equity.set('cash', `cash ${money(status.cash)}`);
      equity.set('lastBar', `last bar ${utcTime(status.lastBarTs)}`);
      equity.set(
        'heartbeat',
        status.heartbeatAgeSeconds === null
          ? 'no supervisor heartbeat'
          : `heartbeat ${duration(status.heartbeatAgeSeconds)} ago`,
      );

      // The status's figures, each with its window (the same numbers `status` prints).
      const r = status.paper?.sinceModel ?? null;
      const start = status.paper?.sinceStart ?? null;
      since.set('return', r ? signed(r.returnPct, '%') : '–');
      since.set(
        'from',
        d === null
          ? 'nothing deployed'
          : r
            ? `${r.modelId} over ${fixed(r.hours, 0)} h, ${utcTime(r.from)} to ${utcTime(r.to)}`
            : `${d.modelId} has not traded a bar yet`,
      );
      since.set(
        'start',
        start
          ? `since start: ${signed(start.returnPct, '%')} over ${fixed(start.hours, 0)} h from ${utcTime(start.from)}`
          : '',
      );
      since.node.dataset['sign'] = r === null ? '' : r.returnPct >= 0 ? 'up' : 'down';

      const rows = positionWeights(status.positions, status.equity);
      empty.hidden = rows.length > 0;
      table.hidden = rows.length === 0;
      reconcile(
        tbody,
        rows,
        (p) => p.symbol,
        () => el('tr', '', el('th', ''), el('td', 'num'), el('td', 'num'), el('td', 'num')),
        (tr, p) => {
          const [symbol, quantity, value, weight] = Array.from(tr.children);
          (symbol as HTMLTableCellElement).scope = 'row';
          setText(symbol!, p.symbol);
          setText(quantity!, p.quantity.toPrecision(6));
          setText(value!, money(p.value));
          setText(weight!, p.weightPct === null ? '–' : `${p.weightPct.toFixed(1)} %`);
        },
      );

      const a = status.arena;
      arena.set('members', a ? `${a.members} model${a.members === 1 ? '' : 's'}` : 'not running');
      arena.set('queued', a ? `${a.queued} queued for a slot` : '');
      arena.set('leader', a?.leader ? `leader ${a.leader}` : '');
      arena.set(
        'candidate',
        status.candidate
          ? `promotion candidate ${status.candidate.modelId} (${signed(status.candidate.excessReturnPct, 'pp')} after ${fixed(status.candidate.hours, 0)} h)`
          : 'no promotion candidate',
      );
    },
  };
}
