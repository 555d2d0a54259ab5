// The trial-history section: a study picker and the trial chart; trials are fetched again only when the
// study's counts change.
import type { StudySummary, TrialRow, TrialsResponse } from '../api-types.js';
import { createTrialChart, type TrialChart } from '../charts/trial-chart.js';
import { trialHistory } from '../charts/trial-data.js';
import { el, setText } from '../dom.js';
import { fixed } from '../format.js';

export interface TrialsSection {
  /** Shows the chosen study (by default `preferred`, the deployed model's study), fetching what changed. */
  update(
    studies: readonly StudySummary[],
    preferred: string | null,
    fetchPage: (study: string, offset: number, limit: number) => Promise<TrialsResponse>,
  ): Promise<void>;
}

const PAGE = 500;

export function createTrials(host: HTMLElement, select: HTMLSelectElement, note: HTMLElement): TrialsSection {
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
