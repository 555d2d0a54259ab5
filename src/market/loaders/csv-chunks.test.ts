import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvFileParser, parseCsvFile } from './csv-loader.js';
import { fileRows } from './source-row.js';
import { sortedOrder } from './stable-sort.js';

/** Feeds `text` to a parser `size` bytes at a time, as the file reader does (leftover carried over). */
function parseInChunks(file: string, text: string, size: number) {
  const bytes = new TextEncoder().encode(text);
  const parser = new CsvFileParser(file);
  let pending = new Uint8Array(0);
  for (let at = 0; ; at += size) {
    const chunk = bytes.subarray(at, at + size);
    const buf = new Uint8Array(pending.length + chunk.length);
    buf.set(pending);
    buf.set(chunk, pending.length);
    const last = chunk.length === 0;
    const used = parser.push(buf, last);
    pending = buf.slice(used);
    if (last) break;
  }
  return parser.finish();
}

const EXPORT = [
  '\uFEFFhttps://www.CryptoDataDownload.com',
  'unix,date,symbol,open,high,low,close,Volume BTC,Volume USDT,tradecount',
  '1704092400000,2024-01-01 07:00:00,BTC/USDT,42500,42650.5,42400,42600,12.5,532500,NULL',
  '',
  '1704088800,"2024-01-01 06:00:00","BTC/USDT", 42300 ,42550,42250,42500.25,10.25,435625,980',
  '2024-01-01T05:00:00.000Z,x,BTC/USDT,42000,42350,41900,42300,9,380700,870',
].join('\r\n');

describe('CSV parsed in chunks', () => {
  it('gives the same rows whatever the chunk size: lines, CRLF and quotes split anywhere', () => {
    const whole = parseCsvFile('cdd.csv', EXPORT);
    expect(fileRows(whole).map((r) => [r.bar.ts, r.bar.close, r.at.line])).toEqual([
      [1704085200000, 42300, 6],
      [1704088800000, 42500.25, 5],
      [1704092400000, 42600, 3],
    ]);
    expect(whole.tsUnits).toEqual({ iso: 1, seconds: 1, milliseconds: 1 });
    for (const size of [1, 2, 3, 7, 64]) {
      const chunked = parseInChunks('cdd.csv', EXPORT, size);
      expect(fileRows(chunked)).toEqual(fileRows(whole));
      expect(chunked.tsUnits).toEqual(whole.tsUnits);
      expect(chunked.garbageLinesSkipped).toBe(1);
    }
  });

  it('reads every decimal exactly as Number() does', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ min: 1e-9, max: 1e12, noNaN: true }).map((x) => String(x)),
          fc
            .tuple(fc.integer({ min: 1, max: 99_999_999 }), fc.integer({ min: 0, max: 12 }))
            .map(([m, d]) => (m / 10 ** d).toFixed(d)),
          fc.stringMatching(/^[1-9]\d{0,8}\.\d{1,14}$/),
        ),
        (cell) => {
          const text = `timestamp,open,high,low,close,volume\n1704067200000,${cell},${cell},${cell},${cell},${cell}\n`;
          expect(fileRows(parseCsvFile('x.csv', text))[0]!.bar.close).toBe(Number(cell));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('sortedOrder', () => {
  it('is a stable sort: equal keys keep their order, whatever runs the input has', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 60 }), (keys) => {
        const order = sortedOrder(Float64Array.from(keys));
        const expected = keys.map((k, i) => [k, i]).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
        expect(order === null ? keys.map((_, i) => i) : [...order]).toEqual(expected.map(([, i]) => i));
      }),
      { numRuns: 500 },
    );
    expect(sortedOrder(Float64Array.from([1, 2, 2, 3]))).toBeNull();
    expect([...sortedOrder(Float64Array.from([5, 4, 3, 3, 1]))!]).toEqual([4, 2, 3, 1, 0]);
  });
});
