// The trial-history chart: each completed trial's training score at its completion time (dots) and the
// best score so far (a stepped line), for one study.
import uPlot from 'uplot';
import { axisNumber, chartSize, followWidth } from './chart-frame.js';
import { type TrialChartData, trialAxisLabels } from './trial-data.js';

const MAX_HEIGHT = 320;
const utc = (ts: number): Date => uPlot.tzDate(new Date(ts), 'Etc/UTC');

export interface TrialChart {
  update(data: TrialChartData): void;
  destroy(): void;
}

/** Draws `data` into `container` (emptied first); `data-points` holds the number of trials drawn. */
export function createTrialChart(container: HTMLElement, data: TrialChartData): TrialChart {
  container.replaceChildren();
  container.classList.add('trial-chart');
  let current = data;
  const score = (v: number | null, idx: number | null) =>
    v === null || idx === null ? '-' : `trial ${current.numbers[idx]}: ${v.toFixed(4)}`;
  const opts: uPlot.Options = {
    ...chartSize(container, MAX_HEIGHT),
    ms: 1,
    tzDate: utc,
    scales: { x: { time: true } },
    series: [
      { label: 'completed (UTC)', value: '{YYYY}-{MM}-{DD} {HH}:{mm}:{ss}' },
      {
        label: 'score',
        stroke: '#4e79a7',
        paths: () => null,
        points: { show: true, size: 7, width: 1, fill: '#4e79a7' },
        value: (_u, v, _s, idx) => score(v, idx),
      },
      {
        label: 'best so far',
        stroke: '#1a7f37',
        width: 2,
        paths: uPlot.paths.stepped!({ align: 1 }),
        points: { show: false },
        value: (_u, v) => (v === null ? '-' : v.toFixed(4)),
      },
    ],
    axes: [
      { size: 48, values: (_u, splits) => trialAxisLabels(splits) },
      { size: 64, values: (_u, splits) => splits.map(axisNumber) },
    ],
    cursor: { drag: { x: true, y: false } },
  };
  const toData = (d: TrialChartData): uPlot.AlignedData => [d.x, d.score, d.best];
  const plot = new uPlot(opts, toData(current), container);
  const unfollow = followWidth(container, MAX_HEIGHT, () => plot);
  container.dataset['points'] = String(current.x.length);
  return {
    update(next) {
      current = next;
      plot.setData(toData(next));
      container.dataset['points'] = String(next.x.length);
    },
    destroy() {
      unfollow();
      plot.destroy();
    },
  };
}
