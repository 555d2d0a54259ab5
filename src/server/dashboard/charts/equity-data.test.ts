import { describe, expect, it } from 'vitest';
import type { EquityResponse } from '../api-types.js';
import { alignEquity, fromEquityApi, seriesSummary } from './equity-data.js';

const H = 3_600_000;

describe('alignEquity', () => {
  it('puts every series on the union of timestamps, null where a series has no point', () => {
    const data = alignEquity(
      [
        { id: 'paper', label: 'paper trader', kind: 'paper', ts: [H, 2 * H, 3 * H], equity: [100, 101, 102] },
        { id: 'm/1', label: 'm/1', kind: 'arena', ts: [2 * H, 3 * H, 4 * H], equity: [50, 51, 52] },
      ],
      [],
    );
    expect(data.x).toEqual([H, 2 * H, 3 * H, 4 * H]);
    expect(data.series.map((s) => [s.id, s.values])).toEqual([
      ['m/1', [null, 50, 51, 52]],
      ['paper', [100, 101, 102, null]],
    ]);
  });

  it('orders arena models, then benchmarks, then the paper trader (drawn last, on top), stable within a kind', () => {
    const s = (id: string, kind: 'paper' | 'arena' | 'benchmark') => ({
      id,
      label: id,
      kind,
      ts: [1],
      equity: [1],
    });
    const data = alignEquity(
      [s('paper', 'paper'), s('b1', 'benchmark'), s('a2', 'arena'), s('a1', 'arena')],
      [],
    );
    expect(data.series.map((x) => x.id)).toEqual(['a2', 'a1', 'b1', 'paper']);
  });

  it('rounds to the given digits and sorts markers by time', () => {
    const data = alignEquity(
      [{ id: 'p', label: 'p', kind: 'paper', ts: [1, 2], equity: [10.123456, 10.98765] }],
      [
        { ts: 2, kind: 'promote', text: 'promote b', detail: 'b' },
        { ts: 1, kind: 'deploy', text: 'deploy a', detail: 'a' },
      ],
      2,
    );
    expect(data.series[0]!.values).toEqual([10.12, 10.99]);
    expect(data.markers.map((m) => m.ts)).toEqual([1, 2]);
  });

  it('gives an empty chart for no series', () => {
    expect(alignEquity([], [])).toEqual({ x: [], series: [], markers: [] });
  });
});

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
    });
    expect(data.series.map((s) => [s.id, s.label])).toEqual([
      ['s/1', 's/1'],
      ['s/1#2', 's/1 (2)'],
      ['paper', 'paper trader'],
    ]);
  });
});
