// Entry of dist/dashboard/report-chart.js, inlined into the replay report: draws each embedded equity chart
// with the same code as the dashboard. Each chart is a `[data-equity-source]` element naming the id of a
// `<script type="application/json">` that holds its EquityChartData.

import type { EquityChartData } from '../../../runtime/report/equity-data.js';
import { createEquityChart } from './equity-chart.js';

function drawAll(): void {
  for (const target of document.querySelectorAll<HTMLElement>('[data-equity-source]')) {
    const source = document.getElementById(target.dataset['equitySource'] ?? '');
    try {
      if (source === null) throw new Error('its data is missing from the report');
      createEquityChart(target, JSON.parse(source.textContent ?? '') as EquityChartData);
    } catch (error) {
      target.textContent = `This chart could not be drawn: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', drawAll);
else drawAll();
