// The trial-history section: a study picker, the trial chart and the table of the latest trials (state,
// score, parameters, the score after each fold); trials are fetched again only when the study's counts change.
import type { StudySummary, TrialRow, TrialsResponse } from '../api-types.js';
import { createTrialChart, type TrialChart } from '../charts/trial-chart.js';
import { trialHistory } from '../charts/trial-data.js';
import { el, reconcile, setText } from '../dom.js';
import { fixed, utcTime } from '../format.js';

export interface TrialsSection {
  /** Shows the chosen study (by default `preferred`, the deployed model's study), fetching what changed. */
  update(
    studies: readonly StudySummary[],
    preferred: string | null,
    fetchPage: (study: string, offset: number, limit: number) => Promise<TrialsResponse>,
  ): Promise<void>;
}

const PAGE = 500;
/** Trials listed in the table, the latest first. */
const TABLE_ROWS = 50;
const COLUMNS = ['trial', 'state', 'score', 'params', 'folds', 'completed'] as const;

/** A parameter's value as the table shows it: numbers to 4 significant digits. */
function paramText(v: unknown): string {
  return typeof v === 'number' && !Number.isInteger(v) ? String(Number(v.toPrecision(4))) : String(v);
}

/** The latest trials, newest first, one row each. */
function fillTable(body: HTMLElement, trials: readonly TrialRow[]): void {
  const latest = [...trials].sort((a, b) => b.number - a.number).slice(0, TABLE_ROWS);
  reconcile(
    body,
    latest,
    (t) => String(t.number),
    () => {
      const tr = el('tr');
      for (const c of COLUMNS) {
        const td = el('td', c === 'trial' || c === 'score' ? 'num' : undefined);
        td.dataset['col'] = c;
        tr.appendChild(td);
      }
      return tr;
    },
    (tr, t) => {
      const cell = (c: (typeof COLUMNS)[number]) => tr.querySelector<HTMLElement>(`[data-col="${c}"]`)!;
      tr.dataset['state'] = t.state;
      setText(cell('trial'), String(t.number));
      setText(cell('state'), t.state);
      setText(cell('score'), fixed(t.value, 4));
      setText(
        cell('params'),
        Object.entries(t.params)
          .map(([k, v]) => `${k}=${paramText(v)}`)
          .join(', ') || '–',
      );
      setText(
        cell('folds'),
        t.intermediateValues.length === 0
          ? '–'
          : t.intermediateValues.map(([step, v]) => `${step}: ${fixed(v, 3)}`).join(', '),
      );
      setText(cell('completed'), utcTime(t.datetimeComplete));
    },
  );
}

export function createTrials(
  host: HTMLElement,
  select: HTMLSelectElement,
  note: HTMLElement,
  table: HTMLElement,
): TrialsSection {
  let chart: TrialChart | null = null;
  let shownKey = '';
  let chosenByUser = false;
  let redraw: () => void = () => {};
  select.addEventListener('change', () => {
    chosenByUser = true;
    redraw();
  });

  const section: TrialsSection = {
    async update(studies, preferred, fetchPage) {
      const names = studies.map((s) => s.name);
      if (
        Array.from(select.options)
          .map((o) => o.value)
          .join('\n') !== names.join('\n')
      )
        select.replaceChildren(...names.map((n) => new Option(n, n)));
      select.disabled = names.length < 2;
      if (!chosenByUser || !names.includes(select.value)) {
        const fallback = [...studies].sort((a, b) => b.trials - a.trials)[0]?.name ?? '';
        select.value = preferred !== null && names.includes(preferred) ? preferred : fallback;
      }
      const study = studies.find((s) => s.name === select.value);
      redraw = () => {
        shownKey = '';
        void section.update(studies, preferred, fetchPage);
      };
      if (study === undefined) {
        chart?.destroy();
        chart = null;
        host.replaceChildren(el('p', 'empty', 'No study yet: studies.db has no trials.'));
        setText(note, '');
        shownKey = '';
        return;
      }
      setText(
        note,
        `${study.trials} trials, ${study.complete} complete, ${study.direction}${
          study.best ? `; best ${fixed(study.best.value, 4)} (trial ${study.best.number})` : ''
        }`,
      );
      const key = `${study.name}:${study.trials}:${study.complete}`;
      if (key === shownKey) return;
      const trials: TrialRow[] = [];
      for (let offset = 0; ; offset += PAGE) {
        const page = await fetchPage(study.name, offset, PAGE);
        trials.push(...page.trials);
        if (page.trials.length === 0 || offset + page.trials.length >= page.total) break;
      }
      fillTable(table, trials);
      const data = trialHistory(trials, study.direction);
      if (data.x.length === 0) {
        chart?.destroy();
        chart = null;
        host.replaceChildren(el('p', 'empty', 'No completed trials yet.'));
      } else if (chart === null) chart = createTrialChart(host, data);
      else chart.update(data);
      shownKey = key;
    },
  };
  return section;
}
