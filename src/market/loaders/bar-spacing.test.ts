import { describe, expect, it } from 'vitest';
import { checkGrid, findGaps, inferTimeframeMs } from './bar-spacing.js';
import { parseCsvFile } from './csv-loader.js';
import { mergeRows } from './merge-rows.js';

const M = 60_000;
const H = 60 * M;
const T = Date.UTC(2024, 0, 1);
const load = (...rows: [number, string][]) => {
  const files = [
    parseCsvFile(
      'x.csv',
      [
        'timestamp,symbol,open,high,low,close,volume',
        ...rows.map(([ms, s]) => `${T + ms},${s},1,2,0.5,1.5,10`),
      ].join('\n'),
    ),
  ];
  return { files, series: mergeRows(files).series };
};
const series = (...rows: [number, string][]) => load(...rows).series;
const infer = (rows: [number, string][], symbols: string[]) => {
  const { files, series } = load(...rows);
  return inferTimeframeMs(files, series, symbols);
};
const grid = (rows: [number, string][], symbols: string[], ms: number) => {
  const { files, series } = load(...rows);
  checkGrid(files, series, symbols, ms);
};

describe('inferTimeframeMs', () => {
  it('takes the most common spacing of each symbol, ties to the smallest', () => {
    expect(
      infer(
        [
          [0, 'A'],
          [H, 'A'],
          [2 * H, 'A'],
          [5 * H, 'A'],
          [0, 'B'],
          [H, 'B'],
        ],
        ['A', 'B'],
      ),
    ).toBe(H);
    expect(
      infer(
        [
          [0, 'A'],
          [H, 'A'],
          [3 * H, 'A'],
        ],
        ['A'],
      ),
    ).toBe(H);
    expect(
      infer(
        [
          [0, 'A'],
          [4 * H, 'A'],
          [0, 'B'],
        ],
        ['A', 'B'],
      ),
    ).toBe(4 * H);
  });

  it('refuses when symbols disagree, when nothing has two bars, and sub-minute spacing', () => {
    expect(() =>
      infer(
        [
          [0, 'A'],
          [H, 'A'],
          [0, 'B'],
          [4 * H, 'B'],
        ],
        ['A', 'B'],
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'TIMEFRAME_MISMATCH',
        message: expect.stringContaining('x.csv: B bars are mostly 4h apart but A bars 1h (x.csv)'),
      }),
    );
    expect(() =>
      infer(
        [
          [0, 'A'],
          [0, 'B'],
        ],
        ['A', 'B'],
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'TIMEFRAME_UNKNOWN',
        message: expect.stringContaining('pass a timeframe'),
      }),
    );
    expect(() =>
      infer(
        [
          [0, 'A'],
          [90_000, 'A'],
        ],
        ['A'],
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'TIMEFRAME_UNSUPPORTED',
        message: expect.stringContaining('90000 ms apart'),
      }),
    );
  });
});

describe('checkGrid', () => {
  it('accepts bars on the grid of the earliest bar of all symbols', () => {
    expect(() =>
      grid(
        [
          [0, 'A'],
          [3 * H, 'A'],
          [H, 'B'],
        ],
        ['A', 'B'],
        H,
      ),
    ).not.toThrow();
  });

  it('refuses a bar off the grid, naming file, line and timestamp column', () => {
    expect(() =>
      grid(
        [
          [0, 'A'],
          [H, 'A'],
          [2 * H, 'B'],
          [2 * H + 30 * M, 'B'],
        ],
        ['A', 'B'],
        H,
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'BAR_MISALIGNED',
        message:
          'x.csv line 5, field "timestamp": B bar at 2024-01-01T02:30:00.000Z is not on the 1h grid of the first bar 2024-01-01T00:00:00.000Z (1800000 ms past a grid point)',
        context: expect.objectContaining({ line: 5, field: 'timestamp' }),
      }),
    );
  });
});

describe('findGaps', () => {
  it('reports each run of missing bars inside a symbol range, first and last missing bar inclusive', () => {
    const s = series([0, 'A'], [H, 'A'], [4 * H, 'A'], [6 * H, 'A'], [2 * H, 'B'], [3 * H, 'B']);
    expect(findGaps(s, ['A', 'B'], H)).toEqual([
      { symbol: 'A', from: T + 2 * H, to: T + 3 * H, missingBars: 2 },
      { symbol: 'A', from: T + 5 * H, to: T + 5 * H, missingBars: 1 },
    ]);
  });
});
