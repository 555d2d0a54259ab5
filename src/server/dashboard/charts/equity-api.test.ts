import { describe, expect, it } from 'vitest';
import { seriesSummary } from '../../../runtime/report/equity-data.js';
import type { EquityResponse } from '../api-types.js';
import { fromEquityApi } from './equity-api.js';

const H = 3_600_000;

describe('fromEquityApi', () => {
  it('maps api/equity to labelled series and marker texts, and counts points per series', () => {
    const api: EquityResponse = {
      paper: { ts: [H, 2 * H], equity: [100, 99] },
      models: [
        { modelId: 's/3', role: 'champion-shadow', status: 'evaluating', ts: [H, 2 * H], equity: [100, 98] },
        { modelId: 's/4', role: 'challenger', status: 'qualified', ts: [2 * H], equity: [101] },
      ],
      benchmarks: [{ name: 'equal-weight', ts: [H, 2 * H], equity: [100, 100.5] }],
      markers: [
        { ts: H, kind: 'deploy', modelId: 's/3', label: 'deploy s/3: first deployment' },
        { ts: 2 * H, kind: 'manual', modelId: null, label: 'paused the paper trader' },
      ],
      problems: [],
    };
    const data = fromEquityApi(api);
    expect(data.series.map((s) => [s.id, s.label, s.kind])).toEqual([
      ['s/3', 's/3 (champion)', 'arena'],
      ['s/4', 's/4', 'arena'],
      ['benchmark:equal-weight', 'benchmark: equal-weight', 'benchmark'],
      ['paper', 'paper trader', 'paper'],
    ]);
    expect(data.markers.map((m) => m.text)).toEqual(['deploy s/3', 'manual']);
    expect(data.markers[0]!.detail).toBe('deploy s/3: first deployment');
    expect(seriesSummary(data).map((s) => s.points)).toEqual([2, 1, 2, 2]);
  });

  it('keeps series ids unique when a model is listed twice', () => {
    const m = { modelId: 's/1', role: 'challenger', status: 'evaluating', ts: [H], equity: [1] };
    const data = fromEquityApi({
      paper: { ts: [], equity: [] },
      models: [m, m],
      benchmarks: [],
      markers: [],
      problems: [],
    });
    expect(data.series.map((s) => [s.id, s.label])).toEqual([
      ['s/1', 's/1'],
      ['s/1#2', 's/1 (2)'],
      ['paper', 'paper trader'],
    ]);
  });
});
