import { describe, expect, it } from 'vitest';
import { loadMarketSources } from './load-sources.js';
import { formatDataReport, GAPS_LISTED } from './report-text.js';

const H = 3_600_000;
const T = Date.UTC(2024, 0, 1);
const rows = (hours: number[]) => hours.map((h) => `${(T + h * H) / 1000},1,2,0.5,1.5,10`);
const csv = (hours: number[], newestFirst = false) =>
  [
    'source: some exchange',
    'unix,open,high,low,close,volume',
    ...(newestFirst ? rows(hours).reverse() : rows(hours)),
  ].join('\n');

describe('formatDataReport', () => {
  it('prints layout, rows, symbols, range, timeframe, normalisations, gaps and dropped frames', () => {
    const { report } = loadMarketSources([
      { path: 'a/BTC_USDT-1h.csv', text: csv([0, 1, 1, 2, 5, 6], true) },
      { path: 'a/ETH_USDT-1h.csv', text: csv([0, 1, 2, 3, 4, 5, 6]) },
    ]);
    expect(formatDataReport(report)).toBe(
      [
        'ok: 2 files, 13 rows, 2 symbols, 5 frames of 1h (inferred)',
        'range: 2024-01-01T00:00:00.000Z .. 2024-01-01T06:00:00.000Z',
        'files:',
        '  a/BTC_USDT-1h.csv: csv; 6 rows; symbols BTC/USDT (from file-name); newest first; timestamps 6 seconds; 1 garbage line skipped',
        '  a/ETH_USDT-1h.csv: csv; 7 rows; symbols ETH/USDT (from file-name); oldest first; timestamps 7 seconds; 1 garbage line skipped',
        'symbols:',
        '  BTC/USDT: 5 bars, 2024-01-01T00:00:00.000Z .. 2024-01-01T06:00:00.000Z',
        '  ETH/USDT: 7 bars, 2024-01-01T00:00:00.000Z .. 2024-01-01T06:00:00.000Z',
        'normalised:',
        '  1 exact duplicate row dropped',
        '  2 garbage first lines skipped',
        '  1 newest-first file sorted oldest first',
        '  13 timestamps converted from epoch seconds to ms',
        'gaps: 1 (2 bars missing, not filled)',
        '  BTC/USDT 2024-01-01T03:00:00.000Z .. 2024-01-01T04:00:00.000Z: 2 bars missing',
        'dropped incomplete frames: 2 (BTC/USDT lacks 2)',
        '  2024-01-01T03:00:00.000Z missing BTC/USDT',
        '  2024-01-01T04:00:00.000Z missing BTC/USDT',
        '',
      ].join('\n'),
    );
  });

  it('summarises long lists of gaps and dropped frames', () => {
    // Hourly bars, A missing every third hour from 2, B every third from 0: many gaps and dropped frames.
    const range = Array.from({ length: 3 * (2 * GAPS_LISTED + 4) }, (_, i) => i);
    const { report } = loadMarketSources(
      [
        { path: 'A.csv', text: csv(range.filter((h) => h % 3 !== 2)) },
        { path: 'B.csv', text: csv(range.filter((h) => h % 3 !== 0)) },
      ],
      { timeframe: '1h' },
    );
    const text = formatDataReport(report);
    expect(text).toContain(`gaps: ${report.gaps.length} (`);
    expect(text).toContain(`  ... and ${report.gaps.length - GAPS_LISTED} more\n`);
    expect(text).toMatch(
      /dropped incomplete frames: \d+ \(A lacks \d+, B lacks \d+\)\n( {2}2024.*\n){3} {2}\.\.\.\n( {2}2024.*\n){3}/,
    );
  });
});
