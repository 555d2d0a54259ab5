import { describe, expect, it } from 'vitest';
import { PythonJsonSyntaxError, parsePythonJson, pythonFloatRepr, pythonJsonDumps } from './python-json.js';

describe('pythonJsonDumps', () => {
  it('writes floats exactly as Python 3.11 json.dumps([float, ...]) does', () => {
    const xs = [
      0,
      -0,
      1,
      -1,
      0.1,
      0.25,
      1e-3,
      1e-4,
      1e-5,
      1.5e-5,
      123.456,
      1e15,
      1e16,
      12345678901234568,
      1234567890123456,
      5e-324,
      1.7976931348623157e308,
      1e21,
      1e22,
      0.30000000000000004,
      2.5e-7,
      100,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NaN,
    ];
    // Output of /usr/bin/python3 -c 'import json; print(json.dumps([0.0, -0.0, 1.0, ...]))'
    expect(pythonJsonDumps(xs, 'float')).toBe(
      '[0.0, -0.0, 1.0, -1.0, 0.1, 0.25, 0.001, 0.0001, 1e-05, 1.5e-05, 123.456, 1000000000000000.0, 1e+16, ' +
        '1.2345678901234568e+16, 1234567890123456.0, 5e-324, 1.7976931348623157e+308, 1e+21, 1e+22, ' +
        '0.30000000000000004, 2.5e-07, 100.0, Infinity, -Infinity, NaN]',
    );
  });

  it('writes safe integers as Python ints and other numbers as floats in auto mode', () => {
    expect(pythonJsonDumps([1, -7, 2.5, 1e20, -0])).toBe('[1, -7, 2.5, 1e+20, -0.0]');
  });

  it('escapes strings like ensure_ascii=True, with separators ", " and ": "', () => {
    const value = { s: 'é€😀\u007f\u0000\n\t"\\/', k: [true, false, null, 1, {}], e: [] };
    expect(pythonJsonDumps(value)).toBe(
      '{"s": "\\u00e9\\u20ac\\ud83d\\ude00\\u007f\\u0000\\n\\t\\"\\\\/", "k": [true, false, null, 1, {}], "e": []}',
    );
  });

  it('round-trips the float repr of random doubles', () => {
    for (const x of [Math.PI, -Math.E * 1e-9, 6.02214076e23, 1 / 3, 9007199254740992, 4.35e-5]) {
      expect(Number(pythonFloatRepr(x))).toBe(x);
    }
  });
});

describe('parsePythonJson', () => {
  it('reads standard JSON like JSON.parse', () => {
    const text = '{"a": [1, 2.5e-3, -0.0, "x\\u00e9\\n", true, false, null], "b": {}, "c": []}';
    expect(parsePythonJson(text)).toEqual(JSON.parse(text));
  });

  it('reads NaN, Infinity and -Infinity as Python writes them', () => {
    const parsed = parsePythonJson('[NaN, Infinity, -Infinity, {"k": NaN}]') as unknown[];
    expect(parsed[0]).toBeNaN();
    expect(parsed.slice(1, 3)).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect((parsed[3] as { k: number }).k).toBeNaN();
  });

  it('keeps a __proto__ key as data', () => {
    const parsed = parsePythonJson('{"__proto__": 1}') as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
  });

  it.each(['', '{', '[1,]', '{"a" 1}', 'nan', '"unterminated', '1 2', "{'a': 1}"])('rejects %j', (text) => {
    expect(() => parsePythonJson(text)).toThrow(PythonJsonSyntaxError);
  });
});
