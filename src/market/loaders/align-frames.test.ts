import { describe, expect, it } from 'vitest';
import { barAt } from '../market-data.js';
import { alignFrames } from './align-frames.js';
import { parseCsvFile } from './csv-loader.js';
import { mergeRows } from './merge-rows.js';

const H = 3_600_000;
const T = Date.UTC(2024, 0, 1);
const iso = (h: number) => new Date(T + h * H).toISOString();
const aligned = (hours: Record<string, number[]>, symbols: string[]) => {
  const files = [
    parseCsvFile(
      'x.csv',
      [
        'timestamp,symbol,open,high,low,close,volume',
        ...Object.entries(hours).flatMap(([s, hs]) =>
          hs.map((h) => `${iso(h)},${s},1,2,0.5,${1 + h / 10},${h}`),
        ),
      ].join('\n'),
    ),
  ];
  return alignFrames(files, mergeRows(files).series, symbols, H);
};

describe('alignFrames', () => {
  it('keeps only timestamps where every symbol has a bar, in the given symbol order', () => {
    const { data, incomplete } = aligned({ A: [0, 1, 2, 3], B: [1, 2, 3, 4] }, ['B', 'A']);
    expect(data.symbols).toEqual(['B', 'A']);
    expect([...data.ts.subarray(0, data.length)]).toEqual([1, 2, 3].map((h) => T + h * H));
    expect(barAt(data, 0, 1)).toEqual({ ts: T + H, open: 1, high: 2, low: 0.5, close: 1.1, volume: 1 });
    expect(incomplete).toEqual({
      count: 2,
      missingBySymbol: { B: 1, A: 1 },
      first: [
        { ts: T, missing: ['B'] },
        { ts: T + 4 * H, missing: ['A'] },
      ],
      last: [],
    });
  });

  it('keeps the first and last few dropped timestamps as examples', () => {
    const { incomplete } = aligned({ A: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], B: [4] }, ['A', 'B']);
    expect(incomplete.count).toBe(9);
    expect(incomplete.first.map((f) => (f.ts - T) / H)).toEqual([0, 1, 2]);
    expect(incomplete.last.map((f) => (f.ts - T) / H)).toEqual([7, 8, 9]);
  });
});
