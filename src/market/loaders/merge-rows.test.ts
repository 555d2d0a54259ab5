import { describe, expect, it } from 'vitest';
import { parseCsvFile } from './csv-loader.js';
import { mergeRows, rowOrder } from './merge-rows.js';

const H = 3_600_000;
const T = Date.UTC(2024, 0, 1);
const file = (name: string, ...rows: string[]) =>
  parseCsvFile(name, ['timestamp,symbol,open,high,low,close,volume', ...rows].join('\n'));
const row = (hour: number, symbol: string, close = 1.5) => `${T + hour * H},${symbol},1,2,0.5,${close},10`;

describe('rowOrder', () => {
  it('judges each symbol on its own rows', () => {
    expect(rowOrder(file('a.csv', row(0, 'A'), row(1, 'A'), row(0, 'B')).rows)).toBe('ascending');
    expect(rowOrder(file('a.csv', row(2, 'A'), row(2, 'B'), row(1, 'A'), row(1, 'B')).rows)).toBe(
      'descending',
    );
    expect(rowOrder(file('a.csv', row(0, 'A'), row(2, 'A'), row(1, 'A')).rows)).toBe('mixed');
  });
});

describe('mergeRows', () => {
  it('sorts each symbol ascending, symbols in order of first appearance across files', () => {
    const { series } = mergeRows([
      file('a.csv', row(2, 'B'), row(1, 'B'), row(0, 'A')),
      file('b.csv', row(3, 'C')),
    ]);
    expect([...series.keys()]).toEqual(['B', 'A', 'C']);
    expect(series.get('B')!.map((r) => (r.bar.ts - T) / H)).toEqual([1, 2]);
  });

  it('drops exact duplicates within and across files, keeping the first read', () => {
    const merged = mergeRows([
      file('a.csv', row(0, 'A'), row(1, 'A'), row(1, 'A')),
      file('b.csv', row(0, 'A')),
    ]);
    expect(merged.duplicatesDropped).toBe(2);
    expect(merged.series.get('A')!.map((r) => [r.at.file, r.at.line])).toEqual([
      ['a.csv', 2],
      ['a.csv', 3],
    ]);
  });

  it('refuses a conflicting duplicate, naming both lines and the differing field', () => {
    expect(() =>
      mergeRows([file('a.csv', row(0, 'A'), row(1, 'A')), file('b.csv', row(1, 'A', 1.6))]),
    ).toThrow(
      expect.objectContaining({
        code: 'DUPLICATE_CONFLICT',
        message:
          'b.csv line 2, field "close": conflicting duplicate of a.csv line 3 (A at 2024-01-01T01:00:00.000Z): close 1.6 here, 1.5 there',
        context: expect.objectContaining({
          file: 'b.csv',
          line: 2,
          field: 'close',
          other: { file: 'a.csv', line: 3 },
        }),
      }),
    );
  });
});
