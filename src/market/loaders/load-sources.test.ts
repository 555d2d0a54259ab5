import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../core/errors.js';
import { loadMarketSources } from './load-sources.js';

const H = 3_600_000;
const T = Date.UTC(2024, 0, 1);
const HEADER = 'timestamp,open,high,low,close,volume';
const csv = (...hours: number[]) => [HEADER, ...hours.map((h) => `${T + h * H},1,2,0.5,1.5,10`)].join('\n');
const source = (path: string, text: string) => ({ path, text });

describe('loadMarketSources', () => {
  it('detects JSON by its first character and CSV otherwise, after a byte-order mark', () => {
    const { report } = loadMarketSources([
      source('A.csv', `\uFEFF${csv(0, 1, 2)}`),
      source('B.txt', ` \n[[${T}, 1, 2, 0.5, 1.5, 1], [${T + H}, 1, 2, 0.5, 1.5, 1]]`),
    ]);
    expect(report.files.map((f) => [f.path, f.layout])).toEqual([
      ['A.csv', 'csv'],
      ['B.txt', 'ccxt-json'],
    ]);
    expect(report.frames).toBe(2);
  });

  it('uses a given timeframe, refusing a file whose bars are mostly another distance apart', () => {
    const { report } = loadMarketSources([source('A.csv', csv(0, 1, 2, 4))], { timeframe: '1h' });
    expect(report).toMatchObject({ timeframe: '1h', timeframeSource: 'option', gaps: [{ missingBars: 1 }] });
    expect(() => loadMarketSources([source('A.csv', csv(0, 2, 4))], { timeframe: '1h' })).toThrow(
      expect.objectContaining({
        code: 'TIMEFRAME_MISMATCH',
        message:
          'A.csv: A bars are mostly 2h apart, not the declared timeframe 1h; pass the timeframe of the file (--timeframe 2h)',
      }),
    );
    expect(() => loadMarketSources([source('A.csv', csv(0, 1, 2))], { timeframe: '2h' })).toThrow(
      expect.objectContaining({
        code: 'TIMEFRAME_MISMATCH',
        message: expect.stringMatching(/^A\.csv: A bars are mostly 1h apart/),
      }),
    );
  });

  it('refuses a file whose name declares another timeframe than its bars, and one symbol at two timeframes', () => {
    expect(() => loadMarketSources([source('BTC_USDT-1d.csv', csv(0, 1, 2))])).toThrow(
      expect.objectContaining({
        code: 'TIMEFRAME_MISMATCH',
        message:
          'BTC_USDT-1d.csv: BTC/USDT bars are mostly 1h apart, but the file name says 1d; rename the file or pass --timeframe 1h',
      }),
    );
    const daily = [HEADER, ...[0, 24, 48].map((h) => `${T + h * H},1,2,0.5,1.5,10`)].join('\n');
    expect(() =>
      loadMarketSources([source('BTC_USDT-1h.csv', csv(0, 1, 2, 3)), source('BTC_USDT-1d.csv', daily)]),
    ).toThrow(
      expect.objectContaining({
        code: 'TIMEFRAME_MISMATCH',
        message:
          'BTC_USDT-1d.csv: BTC/USDT bars are mostly 1d apart here but 1h apart in BTC_USDT-1h.csv; load one timeframe at a time',
      }),
    );
  });

  it('warns about a file that is neither oldest- nor newest-first, and sorts it', () => {
    const { data, report } = loadMarketSources([source('A.csv', csv(0, 2, 1, 3))]);
    expect([...data.ts.subarray(0, data.length)]).toEqual([0, 1, 2, 3].map((h) => T + h * H));
    expect(report.files[0]!.order).toBe('mixed');
    expect(report.reorderedNewestFirst).toBe(0);
    expect(report.warnings).toEqual([
      'A.csv: rows are neither oldest-first nor newest-first; sorted by timestamp',
    ]);
  });

  it('refuses empty files, unknown symbols and data without a complete frame', () => {
    expect(() => loadMarketSources([source('e.csv', ' \n')])).toThrow(
      expect.objectContaining({ code: 'FILE_EMPTY', message: 'e.csv: the file is empty' }),
    );
    expect(() => loadMarketSources([source('A.csv', csv(0, 1))], { symbols: ['A', 'Z'] })).toThrow(
      expect.objectContaining({
        code: 'SYMBOL_NOT_FOUND',
        message: 'A.csv: symbol Z is not in the data (found A)',
      }),
    );
    expect(() => loadMarketSources([source('A.csv', csv(0, 1)), source('B.csv', csv(2, 3))])).toThrow(
      expect.objectContaining({
        code: 'NO_COMPLETE_FRAMES',
        message: 'A.csv, B.csv: no timestamp has a bar for every symbol (A, B)',
      }),
    );
  });

  it('refuses bad options as configuration errors', () => {
    const one = [source('A.csv', csv(0, 1))];
    const cases: [Parameters<typeof loadMarketSources>, string][] = [
      [[[]], 'FILES_MISSING'],
      [[[...one, source('B.csv', csv(0, 1))], { symbol: 'X' }], 'SYMBOL_OPTION_AMBIGUOUS'],
      [[one, { symbols: [] }], 'SYMBOLS_EMPTY'],
      [[one, { symbols: ['A', 'A'] }], 'SYMBOLS_DUPLICATE'],
      [[one, { timeframe: 'hourly' }], 'TIMEFRAME_INVALID'],
    ];
    for (const [args, code] of cases) {
      expect(() => loadMarketSources(...args)).toThrow(expect.objectContaining({ code }));
      expect(() => loadMarketSources(...args)).toThrow(ConfigError);
    }
  });

  it('refuses data problems as DataErrors, never ConfigErrors', () => {
    expect(() => loadMarketSources([source('A.csv', `${csv(0)}\n${T + H},1,2,3,1.5,10`)])).toThrow(DataError);
  });
});
