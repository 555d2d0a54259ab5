import { describe, expect, it } from 'vitest';
import { PLAIN_CSV_HEADER } from '../../market/csv-writer.js';
import { formatCsvRow, scanDownloadedCsv } from './download-csv.js';

const T = Date.UTC(2024, 0, 1);
const row = (symbol: string, ts: number) =>
  formatCsvRow(symbol, { ts, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3 });

describe('download CSV', () => {
  it('formats rows as the plain long layout the loaders read', () => {
    expect(row('BTC/USDT', T)).toBe('2024-01-01T00:00:00.000Z,BTC/USDT,1,2,0.5,1.5,3');
  });

  it('finds the last bar of each symbol, whatever the row order', () => {
    const text = `${PLAIN_CSV_HEADER}\n${[row('A/B', T + 7_200_000), row('C/D', T), row('A/B', T)].join('\n')}\n`;
    const scan = scanDownloadedCsv(text);
    expect(scan.headerOk).toBe(true);
    expect(scan.rows).toBe(3);
    expect(Object.fromEntries(scan.lastTs)).toEqual({ 'A/B': T + 7_200_000, 'C/D': T });
    expect(scan.intactLength).toBe(text.length);
  });

  it('ignores a torn last line (no newline) and reports where the intact text ends', () => {
    const intact = `${PLAIN_CSV_HEADER}\n${row('A/B', T)}\n`;
    const scan = scanDownloadedCsv(`${intact}2024-01-01T01:00:00.000Z,A/B,1,`);
    expect(scan.intactLength).toBe(intact.length);
    expect(scan.lastTs.get('A/B')).toBe(T);
  });

  it('tells a file of another layout', () => {
    expect(scanDownloadedCsv('date,price\n2024-01-01,1\n').headerOk).toBe(false);
  });
});
