import { describe, expect, it } from 'vitest';
import { alignEquity } from './equity-data.js';

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
