import { describe, expect, it } from 'vitest';
import { parseCsvFile } from './csv-loader.js';
import { mergeRows } from './merge-rows.js';
import { fileRows, type ParsedFile, rowRef } from './source-row.js';

const H = 3_600_000;
const T = Date.UTC(2024, 0, 1);
const file = (name: string, ...rows: string[]) =>
  parseCsvFile(name, ['timestamp,symbol,open,high,low,close,volume', ...rows].join('\n'));
/** The merged rows of `symbol` as objects: ts, close and where each was read. */
const merged = (files: ParsedFile[], policy?: 'refuse' | 'first' | 'last') => {
  const result = mergeRows(files, policy);
  const rows = (symbol: string) => {
    const r = result.series.get(symbol)!;
    return Array.from({ length: r.length }, (_, k) => ({
      ts: r.ts[k]!,
      close: files[r.file[k]!]!.rows.close[r.row[k]!]!,
      at: rowRef(files[r.file[k]!]!, r.row[k]!),
    }));
  };
  return { ...result, rows };
};
const row = (hour: number, symbol: string, close = 1.5) => `${T + hour * H},${symbol},1,2,0.5,${close},10`;

describe('the order of a file', () => {
  it('is judged on the rows of each symbol', () => {
    expect(file('a.csv', row(0, 'A'), row(1, 'A'), row(0, 'B')).order).toBe('ascending');
    expect(file('a.csv', row(2, 'A'), row(2, 'B'), row(1, 'A'), row(1, 'B')).order).toBe('descending');
    expect(file('a.csv', row(0, 'A'), row(2, 'A'), row(1, 'A')).order).toBe('mixed');
  });

  it('stores newest-first rows oldest first, with their lines, unless a time repeats', () => {
    const parsed = file('a.csv', row(2, 'A'), row(2, 'B'), row(1, 'A'), row(1, 'B'));
    expect(fileRows(parsed).map((r) => [r.symbol, (r.bar.ts - T) / H, r.at.line])).toEqual([
      ['B', 1, 5],
      ['A', 1, 4],
      ['B', 2, 3],
      ['A', 2, 2],
    ]);
    const repeated = file('a.csv', row(2, 'A'), row(1, 'A'), row(1, 'A', 1.6));
    expect(fileRows(repeated).map((r) => r.at.line)).toEqual([2, 3, 4]);
    expect(repeated.order).toBe('descending');
  });
});

describe('mergeRows', () => {
  it('sorts each symbol ascending, symbols in order of first appearance across files', () => {
    const { series } = mergeRows([
      file('a.csv', row(2, 'B'), row(1, 'B'), row(0, 'A')),
      file('b.csv', row(3, 'C')),
    ]);
    expect([...series.keys()]).toEqual(['B', 'A', 'C']);
    expect([...series.get('B')!.ts].map((ts) => (ts - T) / H)).toEqual([1, 2]);
  });

  it('drops exact duplicates within and across files, keeping the first read', () => {
    const result = merged([file('a.csv', row(0, 'A'), row(1, 'A'), row(1, 'A')), file('b.csv', row(0, 'A'))]);
    expect(result.duplicatesDropped).toBe(2);
    expect(result.rows('A').map((r) => [r.at.file, r.at.line])).toEqual([
      ['a.csv', 2],
      ['a.csv', 3],
    ]);
  });

  it('refuses a conflicting duplicate by default, naming both lines, the differing field and the option', () => {
    expect(() =>
      mergeRows([file('a.csv', row(0, 'A'), row(1, 'A')), file('b.csv', row(1, 'A', 1.6))]),
    ).toThrow(
      expect.objectContaining({
        code: 'DUPLICATE_CONFLICT',
        message:
          'b.csv line 2, field "close": 1 conflicting duplicate (same symbol and time, different values), e.g. ' +
          'A 2024-01-01T01:00:00.000Z (a.csv line 3 vs b.csv line 2): close 1.5 vs 1.6. Keep the first or the ' +
          'last row of each in file order with --on-duplicate first|last (or data.onDuplicate in hybrid.config.json)',
        context: expect.objectContaining({
          file: 'b.csv',
          line: 2,
          field: 'close',
          conflicts: 1,
          other: { file: 'a.csv', line: 3 },
        }),
      }),
    );
  });

  it('keeps the first or the last differing row in file order, and counts what it dropped', () => {
    const files = () => [
      file('a.csv', row(0, 'A'), row(1, 'A', 1.6), row(1, 'A'), row(1, 'A', 1.7)),
      file('b.csv', row(1, 'A', 1.8), row(0, 'A')),
    ];
    const first = merged(files(), 'first');
    expect(first.rows('A').map((r) => r.close)).toEqual([1.5, 1.6]);
    expect(first.duplicates).toMatchObject({
      policy: 'first',
      identicalDropped: 1,
      conflicts: 1,
      conflictingRowsDropped: 3,
      largestPriceDifference: { symbol: 'A', field: 'close', kept: 1.6, dropped: 1.8 },
      examples: [{ kept: { file: 'a.csv', line: 3 }, dropped: { file: 'a.csv', line: 4 } }],
    });
    expect(first.duplicates.largestPriceDifference!.relative).toBeCloseTo(0.2 / 1.6, 12);
    const last = merged(files(), 'last');
    expect(last.rows('A').map((r) => r.close)).toEqual([1.5, 1.8]);
    expect(last.rows('A').map((r) => r.at)).toEqual([
      { file: 'b.csv', line: 3 },
      { file: 'b.csv', line: 2 },
    ]);
    expect(last.duplicates).toMatchObject({ policy: 'last', identicalDropped: 1, conflictingRowsDropped: 3 });
  });

  it('counts every conflict in the refusal and names only the first three', () => {
    const rows = [0, 1, 2, 3, 4].flatMap((h) => [row(h, 'A'), row(h, 'A', 1.9)]);
    expect(() => mergeRows([file('a.csv', ...rows)])).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(
          /^a\.csv line 3, field "close": 5 conflicting duplicates .*e\.g\. A 2024-01-01T00:00:00\.000Z \(a\.csv line 2 vs line 3\): close 1\.5 vs 1\.9; A 2024-01-01T01:00.*; A 2024-01-01T02:00[^;]*; and 2 more\. Keep/,
        ),
        context: expect.objectContaining({ conflicts: 5 }),
      }),
    );
  });
});
