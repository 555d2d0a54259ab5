import { describe, expect, it } from 'vitest';
import { HOUR_MS, marketFromCloses, randomWalkCloses, T0 } from '../../test/market-fixtures.js';
import { formatMarketCsv } from './csv-writer.js';
import { DataReportSchema, loadMarketFiles } from './load-market.js';
import { loadMarketSources } from './loaders/index.js';
import type { MarketData } from './market-data.js';

const FIXTURES = 'test/fixtures/market';
const MESSY = `${FIXTURES}/cdd-BTCUSDT-1h-messy.csv`;
const ETH = `${FIXTURES}/ETH_USDT-1h.csv`;
const iso = (hour: number) => new Date(T0 + hour * HOUR_MS).toISOString();

function valid(data: MarketData) {
  const n = data.symbols.length * data.length;
  return {
    symbols: data.symbols,
    timeframeMs: data.timeframeMs,
    length: data.length,
    ts: [...data.ts.subarray(0, data.length)],
    open: [...data.open.subarray(0, n)],
    high: [...data.high.subarray(0, n)],
    low: [...data.low.subarray(0, n)],
    close: [...data.close.subarray(0, n)],
    volume: [...data.volume.subarray(0, n)],
  };
}

describe('loadMarketFiles', () => {
  it('loads the messy CryptoDataDownload export: garbage line, newest first, seconds and ms, a duplicate, a gap', () => {
    const { data, report } = loadMarketFiles([MESSY]);
    expect(DataReportSchema.parse(report)).toEqual(report);
    expect(report.files).toEqual([
      {
        path: MESSY,
        layout: 'cryptodatadownload',
        symbolSource: 'column',
        rowsRead: 7,
        symbols: ['BTC/USDT'],
        garbageLinesSkipped: 1,
        order: 'descending',
        timestampUnits: { iso: 0, seconds: 4, milliseconds: 3 },
        ignoredColumns: ['date', 'Volume USDT', 'tradecount'],
      },
    ]);
    expect(report).toMatchObject({
      rowsRead: 7,
      symbols: ['BTC/USDT'],
      timeframe: '1h',
      timeframeSource: 'inferred',
      firstTs: iso(0),
      lastTs: iso(7),
      frames: 6,
      bars: [{ symbol: 'BTC/USDT', bars: 6, firstTs: iso(0), lastTs: iso(7) }],
      duplicatesDropped: 1,
      garbageLinesSkipped: 1,
      reorderedNewestFirst: 1,
      secondsConverted: 4,
      gaps: [{ symbol: 'BTC/USDT', from: iso(4), to: iso(5), missingBars: 2 }],
      incompleteFrames: { count: 0 },
    });
    expect(report.warnings).toEqual([expect.stringContaining('mix epoch seconds (4) and milliseconds (3)')]);
    expect([...data.ts.subarray(0, data.length)]).toEqual([0, 1, 2, 3, 6, 7].map((h) => T0 + h * HOUR_MS));
    // base volume (Volume BTC), oldest first
    expect([...data.volume.subarray(0, 6)]).toEqual([11, 7, 8.5, 9, 10.25, 12.5]);
    expect(data.close[5]).toBe(42600);
  });

  it('aligns two files into complete frames, dropping (not filling) the hours one symbol lacks', () => {
    const { data, report } = loadMarketFiles([MESSY, ETH]);
    expect(data.symbols).toEqual(['BTC/USDT', 'ETH/USDT']);
    expect(data.length).toBe(6);
    expect(report.incompleteFrames).toEqual({
      count: 2,
      missingBySymbol: { 'BTC/USDT': 2, 'ETH/USDT': 0 },
      first: [
        { ts: iso(4), missing: ['BTC/USDT'] },
        { ts: iso(5), missing: ['BTC/USDT'] },
      ],
      last: [],
    });
    expect(report.files[1]).toMatchObject({
      layout: 'csv',
      symbolSource: 'file-name',
      symbols: ['ETH/USDT'],
    });
    expect(report.bars[1]).toEqual({ symbol: 'ETH/USDT', bars: 8, firstTs: iso(0), lastTs: iso(7) });
  });

  it('keeps and orders only the symbols asked for', () => {
    const { data, report } = loadMarketFiles([MESSY, ETH], { symbols: ['ETH/USDT'] });
    expect(data.symbols).toEqual(['ETH/USDT']);
    expect(data.length).toBe(8);
    expect(report.symbolsFound).toEqual(['BTC/USDT', 'ETH/USDT']);
    expect(report.warnings).toContain('symbols not selected, left out: BTC/USDT');
    const both = loadMarketFiles([MESSY, ETH], { symbols: ['ETH/USDT', 'BTC/USDT'] });
    expect(both.data.symbols).toEqual(['ETH/USDT', 'BTC/USDT']);
    expect(both.data.close[1]).toBe(42050);
  });

  it('loads ccxt JSON, one symbol per file or several by key', () => {
    const sol = loadMarketFiles([`${FIXTURES}/SOL_USDT-1h.json`]);
    expect(sol.data.symbols).toEqual(['SOL/USDT']);
    expect(sol.report.files[0]).toMatchObject({
      layout: 'ccxt-json',
      timestampUnits: { iso: 1, seconds: 2, milliseconds: 1 },
    });
    expect(sol.data.length).toBe(4);
    const renamed = loadMarketFiles([`${FIXTURES}/SOL_USDT-1h.json`], { symbol: 'SOL-PERP' });
    expect(renamed.data.symbols).toEqual(['SOL-PERP']);
    const multi = loadMarketFiles([`${FIXTURES}/ccxt-by-symbol.json`]);
    expect(multi.data.symbols).toEqual(['BTC/USDT', 'ETH/USDT']);
    expect(multi.report.files[0]).toMatchObject({ layout: 'ccxt-json-by-symbol', symbolSource: 'json-key' });
    expect(multi.data.length).toBe(3);
  });

  it('refuses a file it cannot read, naming it', () => {
    expect(() => loadMarketFiles([`${FIXTURES}/nope.csv`])).toThrow(
      expect.objectContaining({
        code: 'FILE_UNREADABLE',
        message: expect.stringContaining('nope.csv: cannot read'),
      }),
    );
  });
});

describe('round trip formatMarketCsv -> loader', () => {
  it('gives back exactly the MarketData that was written', () => {
    const symbols = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'];
    const original = marketFromCloses(symbols, randomWalkCloses(symbols.length, 200, 7));
    const { data, report } = loadMarketSources([{ path: 'written.csv', text: formatMarketCsv(original) }]);
    expect(valid(data)).toEqual(valid(original));
    expect(report.files[0]!.layout).toBe('csv-long');
    expect(report.warnings).toEqual([]);
  });
});
