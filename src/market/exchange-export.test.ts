import { describe, expect, it } from 'vitest';
import { loadMarketFiles } from './load-market.js';

// Built like the widespread hourly exchange exports: a banner line, newest first, `unix` in seconds for
// the older rows and milliseconds for the newer, the hours 08:00-11:00 in both forms (08:00 identical,
// 09:00 and 10:00 rounded differently, 11:00 a partial hour in the seconds rows), NULL in ignored columns.
const EXPORT = 'test/fixtures/market/cdd-ADAUSDT-1h-overlap.csv';
const T = Date.UTC(2024, 2, 1);
const H = 3_600_000;

const closes = (file: string, policy: 'first' | 'last') => {
  const { data } = loadMarketFiles([file], { onDuplicate: policy });
  return [...data.close.subarray(0, data.length)];
};

describe('an exchange export with a seconds-to-milliseconds overlap', () => {
  it('is refused by default, with the count of conflicts, the first ones named and the option', () => {
    expect(() => loadMarketFiles([EXPORT])).toThrow(
      expect.objectContaining({
        code: 'DUPLICATE_CONFLICT',
        message:
          `${EXPORT} line 17, field "open": 3 conflicting duplicates (same symbol and time, different values), e.g. ` +
          `ADA/USDT 2024-03-01T09:00:00.000Z (${EXPORT} line 13 vs line 17): open 1.0912 vs 1.091, high 1.0979 vs 1.098, low 1.0894 vs 1.089, close 1.0958 vs 1.096; ` +
          `ADA/USDT 2024-03-01T10:00:00.000Z (${EXPORT} line 12 vs line 16): open 1.1012 vs 1.101, high 1.1079 vs 1.108, low 1.0994 vs 1.099, close 1.1058 vs 1.106; ` +
          `ADA/USDT 2024-03-01T11:00:00.000Z (${EXPORT} line 11 vs line 15): high 1.1179 vs 1.1127, low 1.1094 vs 1.1103, close 1.1158 vs 1.1123, Volume ADA 111000 vs 18500. ` +
          'Keep the first or the last row of each in file order with --on-duplicate first|last (or data.onDuplicate in hybrid.config.json)',
        context: expect.objectContaining({ conflicts: 3, file: EXPORT, line: 17 }),
      }),
    );
  });

  it('loads with --on-duplicate first: the rows first in the file (the millisecond rows) win', () => {
    const { data, report } = loadMarketFiles([EXPORT], { onDuplicate: 'first' });
    expect(data.length).toBe(20);
    expect([...data.ts.subarray(0, data.length)]).toEqual(Array.from({ length: 20 }, (_, h) => T + h * H));
    expect(closes(EXPORT, 'first').slice(8, 12)).toEqual([1.0858, 1.0958, 1.1058, 1.1158]);
    expect(data.volume[11]).toBe(111000);
    expect(report).toMatchObject({
      rowsRead: 24,
      garbageLinesSkipped: 1,
      secondsConverted: 12,
      duplicatesDropped: 1,
      gaps: [],
      duplicates: {
        policy: 'first',
        identicalDropped: 1,
        conflicts: 3,
        conflictingRowsDropped: 3,
        largestPriceDifference: {
          symbol: 'ADA/USDT',
          ts: '2024-03-01T11:00:00.000Z',
          field: 'high',
          kept: 1.1179,
          dropped: 1.1127,
        },
      },
    });
    expect(report.duplicates.largestPriceDifference!.relative).toBeCloseTo(0.0052 / 1.1179, 12);
  });

  it('loads with --on-duplicate last: the rows last in the file (the second rows, incl. the partial hour) win', () => {
    const { data, report } = loadMarketFiles([EXPORT], { onDuplicate: 'last' });
    expect(data.length).toBe(20);
    expect(closes(EXPORT, 'last').slice(8, 12)).toEqual([1.0858, 1.096, 1.106, 1.1123]);
    expect(data.volume[11]).toBe(18500);
    expect(closes(EXPORT, 'last').slice(12)).toEqual(closes(EXPORT, 'first').slice(12));
    expect(report.duplicates).toMatchObject({ policy: 'last', conflicts: 3, conflictingRowsDropped: 3 });
  });
});
