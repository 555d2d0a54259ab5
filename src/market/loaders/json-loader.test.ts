import { describe, expect, it } from 'vitest';
import { parseJsonFile } from './json-loader.js';
import { fileRows } from './source-row.js';

const T = 1704067200000;
const refusal = (code: string, message: string, line: number | null, field: string | null) =>
  expect.objectContaining({ code, message, context: expect.objectContaining({ line, field }) });

describe('parseJsonFile', () => {
  it('reads an array of [ts, open, high, low, close, volume] rows, mixing seconds, ms and ISO', () => {
    const text = `[\n[${T / 1000}, 1, 2, 0.5, 1.5, 10],\n[${T + 3_600_000}, "1.5", 2, 1, 1.8, 12],\n["2024-01-01T02:00:00Z", 1.8, 2, 1.5, 1.9, 0]\n]`;
    const parsed = parseJsonFile('data/ETH_USDT-1h.json', text);
    expect(parsed).toMatchObject({ layout: 'ccxt-json', symbolSource: 'file-name' });
    expect(fileRows(parsed).map((r) => [r.symbol, r.bar.ts, r.at.line, r.at.row])).toEqual([
      ['ETH/USDT', T, 2, 1],
      ['ETH/USDT', T + 3_600_000, 3, 2],
      ['ETH/USDT', T + 7_200_000, 4, 3],
    ]);
    expect(parsed.tsUnits).toEqual({ iso: 1, seconds: 1, milliseconds: 1 });
    expect(fileRows(parsed)[1]!.bar.open).toBe(1.5);
    expect(fileRows(parseJsonFile('x.json', text, 'ETH'))[0]!.symbol).toBe('ETH');
  });

  it('reads an object of rows keyed by symbol, in key order', () => {
    const text = `{"B/USDT": [[${T}, 1, 2, 0.5, 1.5, 10]], "A/USDT": [[${T}, 3, 4, 2, 3, 1]], "C": []}`;
    const parsed = parseJsonFile('m.json', text, 'X');
    expect(parsed).toMatchObject({ layout: 'ccxt-json-by-symbol', symbolSource: 'json-key' });
    expect(fileRows(parsed).map((r) => r.symbol)).toEqual(['B/USDT', 'A/USDT']);
    expect(parsed.warnings).toEqual([
      "m.json: --symbol X ignored, the file's keys name the symbols",
      'm.json: "C" has no rows',
    ]);
  });

  it('refuses invalid JSON with the line of the error', () => {
    expect(() => parseJsonFile('x.json', `[\n[${T}, 1, 2, 0.5, 1.5, 10],\n[1, 2}\n]`)).toThrow(
      refusal('JSON_INVALID', expect.stringMatching(/^x\.json line 3: not valid JSON/), 3, null),
    );
  });

  it('refuses other shapes, naming the key or row', () => {
    expect(() => parseJsonFile('x.json', '42')).toThrow(
      refusal('JSON_SHAPE', expect.stringContaining('x.json line 1: expected an array'), 1, null),
    );
    expect(() => parseJsonFile('x.json', '{"A": [],\n "B": {"ts": 1}}')).toThrow(
      refusal(
        'JSON_SHAPE',
        'x.json line 2, field "B": expected an array of [ts, open, high, low, close, volume] rows, found {"ts":1}',
        2,
        'B',
      ),
    );
    expect(() => parseJsonFile('x.json', '{"A": [],\n "A": []}')).toThrow(
      refusal('JSON_SHAPE', 'x.json line 2, field "A": key "A" appears twice', 2, 'A'),
    );
    expect(() => parseJsonFile('x.json', `[\n[${T}, 1, 2, 0.5, 1.5, 10],\n{"ts": 1}\n]`)).toThrow(
      refusal('JSON_SHAPE', expect.stringContaining('x.json line 3 (row 2): expected a row'), 3, null),
    );
  });

  it('refuses a row with the wrong number of values', () => {
    expect(() => parseJsonFile('x.json', `[\n[${T}, 1, 2, 0.5, 1.5, 10, 99]\n]`)).toThrow(
      refusal(
        'COLUMN_COUNT',
        'x.json line 2 (row 1): expected 6 values [ts, open, high, low, close, volume], found 7',
        2,
        null,
      ),
    );
  });

  it('refuses bad values and bars naming line, row and field', () => {
    expect(() => parseJsonFile('x.json', `[\n[${T}, 1, 2, null, 1.5, 10]\n]`)).toThrow(
      refusal(
        'VALUE_UNPARSABLE',
        'x.json line 2 (row 1), field "low": expected a number, found null',
        2,
        'low',
      ),
    );
    expect(() =>
      parseJsonFile('x.json', `{"A": [\n[${T}, 1, 2, 0.5, 1.5, 10],\n[${T}, 10, 9, 10, 9.5, 1]]}`),
    ).toThrow(
      refusal(
        'BAR_INVALID',
        'x.json line 3 (row 2), field "high": high must be >= low, was high 9 < low 10',
        3,
        'high',
      ),
    );
  });

  it('refuses a file without rows', () => {
    expect(() => parseJsonFile('x.json', '[]')).toThrow(
      refusal('FILE_EMPTY', 'x.json: the file holds no rows', null, null),
    );
    expect(() => parseJsonFile('x.json', '{}')).toThrow(
      refusal('FILE_EMPTY', expect.any(String), null, null),
    );
  });
});
