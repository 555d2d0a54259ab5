// The equity section: the shared equity chart fed from api/equity, with a caption of what it shows.
import type { EquityResponse } from '../api-types.js';
import { fromEquityApi } from '../charts/equity-api.js';
import { createEquityChart, type EquityChart } from '../charts/equity-chart.js';
import { el, setText } from '../dom.js';

export interface EquitySection {
  update(equity: EquityResponse): void;
}

export function createEquitySection(host: HTMLElement, caption: HTMLElement): EquitySection {
  let chart: EquityChart | null = null;
  return {
    update(equity) {
      const data = fromEquityApi(equity);
      if (data.x.length === 0) {
        chart?.destroy();
        chart = null;
        host.replaceChildren(el('p', 'empty', 'No equity yet: the paper trader has not applied a bar.'));
        setText(caption, '');
        return;
      }
      if (chart === null) chart = createEquityChart(host, data);
      else chart.update(data);
      const arena = data.series.filter((s) => s.kind === 'arena').length;
      const benchmarks = data.series.filter((s) => s.kind === 'benchmark').length;
      setText(
        caption,
        `Paper trader (bold black), ${arena} arena model${arena === 1 ? '' : 's'} and ${benchmarks} benchmark${
          benchmarks === 1 ? '' : 's'
        } (dashed); ${data.markers.length} decision${data.markers.length === 1 ? '' : 's'} marked.`,
      );
    },
  };
}
