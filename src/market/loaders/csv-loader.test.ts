import { describe, expect, it } from 'vitest';
import { parseCsvFile } from './csv-loader.js';
import { fileRows } from './source-row.js';

const HEADER = 'timestamp,open,high,low,close,volume';
const refusal = (code: string, message: string, line: number | null, field: string | null) =>
  expect.objectContaining({ code, message, context: expect.objectContaining({ line, field }) });

describe('parseCsvFile: layouts', () => {
  it('reads a one-symbol file, the symbol from the file name or the option', () => {
    const text = `${HEADER}\n2024-01-01T00:00:00Z,1,2,0.5,1.5,10\n1704070800,1.5,2,1,1.8,12\n`;
    const parsed = parseCsvFile('data/BTC_USDT-1h.csv', text);
    expect(parsed).toMatchObject({ layout: 'csv', symbolSource: 'file-name', garbageLinesSkipped: 0 });
    expect(fileRows(parsed).map((r) => [r.symbol, r.bar.ts, r.at.line])).toEqual([
      ['BTC/USDT', 1704067200000, 2],
      ['BTC/USDT', 1704070800000, 3],
    ]);
    expect(parsed.tsUnits).toEqual({ iso: 1, seconds: 1, milliseconds: 0 });
    expect(fileRows(parsed)[1]!.bar).toEqual({
      ts: 1704070800000,
      open: 1.5,
      high: 2,
      low: 1,
      close: 1.8,
      volume: 12,
    });
    expect(fileRows(parseCsvFile('data/btc.csv', text, 'XBT'))[0]!.symbol).toBe('XBT');
  });

  it('reads a long file with a symbol column, quoted cells, CRLF and blank lines', () => {
    const text = `"timestamp","symbol","open","high","low","close","volume"\r\n1704067200000,"A",1,2,0.5,1.5,10\r\n\r\n1704067200000,B,3,4,2,3,0\r\n`;
    const parsed = parseCsvFile('long.csv', text, 'IGNORED');
    expect(parsed.layout).toBe('csv-long');
    expect(fileRows(parsed).map((r) => [r.symbol, r.at.line])).toEqual([
      ['A', 2],
      ['B', 4],
    ]);
    expect(parsed.warnings).toEqual(['long.csv: --symbol IGNORED ignored, the file has a symbol column']);
  });

  it('skips a garbage first line before the header and uses the base volume of a CryptoDataDownload file', () => {
    const text =
      'https://www.CryptoDataDownload.com\nunix,date,symbol,open,high,low,close,Volume BTC,Volume USDT,tradecount\n1704067200,2024-01-01 00:00:00,BTCUSDT,42000,42100,41900,42050,3.5,147175,99\n';
    const parsed = parseCsvFile('cdd.csv', text);
    expect(parsed).toMatchObject({
      layout: 'cryptodatadownload',
      garbageLinesSkipped: 1,
      ignoredColumns: ['date', 'Volume USDT', 'tradecount'],
    });
    expect(fileRows(parsed)[0]).toMatchObject({ symbol: 'BTCUSDT', bar: { volume: 3.5 }, at: { line: 3 } });
  });

  it('warns when no volume column names the base currency, and uses the first', () => {
    const text = 'unix,open,high,low,close,Volume XRP,Volume USDT\n1704067200,1,2,0.5,1.5,7,8\n';
    const parsed = parseCsvFile('BTC_USDT.csv', text);
    expect(fileRows(parsed)[0]!.bar.volume).toBe(7);
    expect(parsed.warnings).toEqual([expect.stringContaining('used "Volume XRP"')]);
  });
});

describe('parseCsvFile: refusals name file, line and field', () => {
  it('refuses a file without a header', () => {
    expect(() => parseCsvFile('raw.csv', '1704067200,1,2,0.5,1.5,10\n1704070800,1,2,0.5,1.5,10\n')).toThrow(
      refusal('HEADER_MISSING', expect.stringMatching(/^raw\.csv line 1: expected a header/), 1, null),
    );
  });

  it('refuses a missing required column', () => {
    expect(() => parseCsvFile('x.csv', 'junk\ntimestamp,open,high,low,volume\n1,1,1,1,1\n')).toThrow(
      refusal(
        'COLUMN_MISSING',
        'x.csv line 2, field "close": required column "close" is missing (header: timestamp,open,high,low,volume; accepted names: close, c, close_price, closing_price, price_close)',
        2,
        'close',
      ),
    );
    expect(() => parseCsvFile('x.csv', 'open,high,low,close,volume\n1,1,1,1,1\n')).toThrow(
      refusal('COLUMN_MISSING', expect.stringContaining('field "timestamp"'), 1, 'timestamp'),
    );
  });

  it('refuses a column named twice', () => {
    expect(() => parseCsvFile('x.csv', `${HEADER},Close\n1,1,1,1,1,1,1\n`)).toThrow(
      refusal('COLUMN_DUPLICATE', 'x.csv line 1, field "Close": column "Close" appears twice', 1, 'Close'),
    );
  });

  it('refuses a row with the wrong number of columns, counting lines as in the file', () => {
    const text = `${HEADER}\n1704067200,1,2,0.5,1.5,10\n\n1704070800,1,2,0.5,1.5\n`;
    expect(() => parseCsvFile('x.csv', text)).toThrow(
      refusal('COLUMN_COUNT', `x.csv line 4: expected 6 columns (${HEADER}), found 5`, 4, null),
    );
  });

  it('refuses an empty symbol', () => {
    const text = 'timestamp,symbol,open,high,low,close,volume\n1704067200,,1,2,0.5,1.5,10\n';
    expect(() => parseCsvFile('x.csv', text)).toThrow(
      refusal('SYMBOL_EMPTY', 'x.csv line 2, field "symbol": symbol is empty', 2, 'symbol'),
    );
  });

  it('refuses unparsable and non-finite values with the column as written in the header', () => {
    expect(() =>
      parseCsvFile('x.csv', 'Timestamp,Open,High,Low,Close,Volume\n1704067200,1,2,n/a,1.5,10\n'),
    ).toThrow(
      refusal('VALUE_UNPARSABLE', 'x.csv line 2, field "Low": expected a number, found "n/a"', 2, 'Low'),
    );
    expect(() => parseCsvFile('x.csv', `${HEADER}\n1704067200,1,Infinity,0.5,1.5,10\n`)).toThrow(
      refusal('VALUE_NOT_FINITE', expect.stringContaining('field "high"'), 2, 'high'),
    );
  });

  it.each([
    ['9.5,9,10,9.5,1', 'high', 'high must be >= low, was high 9 < low 10'],
    ['0,2,1,1.5,1', 'open', 'open must be > 0, was 0'],
    ['1,2,0.5,-1.5,1', 'close', 'close must be > 0, was -1.5'],
    ['1,1.2,0.5,1.5,1', 'high', 'high must be >= open and close, was high 1.2 with open 1, close 1.5'],
    ['1,2,1.2,1.5,1', 'low', 'low must be <= open and close, was low 1.2 with open 1, close 1.5'],
    ['1,2,0.5,1.5,-1', 'volume', 'volume must be >= 0, was -1'],
  ])('refuses the invalid bar %s with the reason barProblem gives (field %s)', (cells, field, reason) => {
    const text = `${HEADER}\n1704067200,1,2,0.5,1.5,10\n1704070800,${cells}\n`;
    expect(() => parseCsvFile('data/btc.csv', text)).toThrow(
      refusal('BAR_INVALID', `data/btc.csv line 3, field "${field}": ${reason}`, 3, field),
    );
  });

  it('refuses a header without rows and malformed CSV', () => {
    expect(() => parseCsvFile('x.csv', `${HEADER}\n`)).toThrow(
      refusal('FILE_EMPTY', 'x.csv line 1: the file has a header but no data rows', 1, null),
    );
    expect(() => parseCsvFile('x.csv', `${HEADER}\n1704067200,"1,2,0.5,1.5,10\n`)).toThrow(
      expect.objectContaining({
        code: 'CSV_MALFORMED',
        message: expect.stringMatching(/^x\.csv line \d+: not valid CSV/),
      }),
    );
  });
});

describe('parseCsvFile: header aliases', () => {
  const row = '1704067200000,1,2,0.5,1.5,10';
  const fields = (header: string) => {
    // One cell per header column: the bar's values where they are named, 7 in every other column.
    const cells = header.split(',').length;
    const text = `${header}\n${row}${',7'.repeat(cells - 6)}\n`;
    const parsed = parseCsvFile('BTC_USDT.csv', text);
    return { bar: fileRows(parsed)[0]!.bar, ignored: parsed.ignoredColumns };
  };

  it('accepts the usual spellings of the time and OHLCV columns, in any case and with _ - or spaces', () => {
    const bar = { ts: 1704067200000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 };
    for (const header of [
      'ts_ms,open,high,low,close,volume',
      'time,open,high,low,close,volume',
      'date,open,high,low,close,volume',
      'Open Time,Open,High,Low,Close,Volume',
      'open-time,o,h,l,c,v',
      'datetime,open_price,high_price,low_price,close_price,vol',
      'Timestamp (ms),Open,High,Low,Close,Volume_(BTC)',
      '<DATE>,<OPEN>,<HIGH>,<LOW>,<CLOSE>,<VOL>',
      'epoch,open,high,low,close,base_volume',
    ])
      expect(fields(header).bar, header).toEqual(bar);
  });

  it('prefers an exact name over a looser one, and the base over the quote volume', () => {
    expect(fields('unix,open,high,low,close,volume,date')).toMatchObject({
      bar: { ts: 1704067200000, volume: 10 },
      ignored: ['date'],
    });
    expect(fields('open_time,open,high,low,close,volume,adj close,quote_volume').ignored).toEqual([
      'adj close',
      'quote_volume',
    ]);
    expect(fields('timestamp,open,high,low,close,Volume_(Currency),Volume_(BTC)').bar.volume).toBe(7);
    expect(fields('timestamp,open,high,low,close,Volume_(BTC),Volume_(Currency)').bar.volume).toBe(10);
  });

  it('refuses a header where two columns could be the same field, naming both', () => {
    expect(() =>
      parseCsvFile('x.csv', `date,time,open,high,low,close\n2024-01-01,00:00,1,2,0.5,1.5\n`),
    ).toThrow(
      refusal(
        'COLUMN_AMBIGUOUS',
        'x.csv line 1, field "time": columns "date" and "time" could both be the timestamp column; remove or rename one (a date and a time in two columns must be joined into one)',
        1,
        'time',
      ),
    );
    expect(() => parseCsvFile('x.csv', `ts,open,high,low,close,vol,v\n${row},1\n`)).toThrow(
      expect.objectContaining({
        code: 'COLUMN_AMBIGUOUS',
        message: expect.stringContaining('"vol" and "v"'),
      }),
    );
  });
});
