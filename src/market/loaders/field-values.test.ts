import { describe, expect, it } from 'vitest';
import { readNumber, readTimestamp, SECONDS_LIMIT } from './field-values.js';

const at = { file: 'data/x.csv', line: 4 };
const refusal = (code: string, message: string) =>
  expect.objectContaining({
    code,
    message,
    context: expect.objectContaining({ file: 'data/x.csv', line: 4 }),
  });

describe('readNumber', () => {
  it('reads JSON numbers and decimal strings', () => {
    expect(readNumber(12.5, at, 'close')).toBe(12.5);
    expect(readNumber(' 1e3 ', at, 'close')).toBe(1000);
    expect(readNumber('-.5', at, 'close')).toBe(-0.5);
  });

  it('refuses text, empty cells, hex and null as unparsable, naming file, line and field', () => {
    for (const value of ['abc', '', '0x10', null, '1,5']) {
      expect(() => readNumber(value, at, 'close')).toThrow(
        refusal(
          'VALUE_UNPARSABLE',
          expect.stringMatching(/^data\/x\.csv line 4, field "close": expected a number, found /),
        ),
      );
    }
  });

  it('refuses NaN, Infinity and overflowing numbers as non-finite', () => {
    for (const value of ['NaN', '-Infinity', 'inf', '1e400', Number.POSITIVE_INFINITY]) {
      expect(() => readNumber(value, at, 'high')).toThrow(
        refusal(
          'VALUE_NOT_FINITE',
          expect.stringContaining('line 4, field "high": expected a finite number'),
        ),
      );
    }
  });
});

describe('readTimestamp', () => {
  const t = Date.UTC(2024, 0, 1);

  it('decides seconds or milliseconds per value by magnitude', () => {
    expect(readTimestamp(t / 1000, at, 'ts')).toEqual({ ts: t, unit: 'seconds' });
    expect(readTimestamp(String(t / 1000), at, 'ts')).toEqual({ ts: t, unit: 'seconds' });
    expect(readTimestamp(t, at, 'ts')).toEqual({ ts: t, unit: 'milliseconds' });
    expect(readTimestamp(SECONDS_LIMIT - 1, at, 'ts').unit).toBe('seconds');
    expect(readTimestamp(SECONDS_LIMIT, at, 'ts')).toEqual({ ts: SECONDS_LIMIT, unit: 'milliseconds' });
    expect(readTimestamp('1704067200.5', at, 'ts')).toEqual({ ts: t + 500, unit: 'seconds' });
  });

  it('reads ISO-8601, UTC when no zone is given', () => {
    expect(readTimestamp('2024-01-01T00:00:00.000Z', at, 'ts')).toEqual({ ts: t, unit: 'iso' });
    expect(readTimestamp('2024-01-01 00:00:00', at, 'ts').ts).toBe(t);
    expect(readTimestamp('2024-01-01', at, 'ts').ts).toBe(t);
    expect(readTimestamp('2024-01-01T02:00+02:00', at, 'ts').ts).toBe(t);
  });

  it('refuses impossible dates, negative and sub-millisecond times', () => {
    for (const value of ['2024-02-30T00:00Z', '2024-13-01', '2024-01-01T24:00:00Z']) {
      expect(() => readTimestamp(value, at, 'timestamp')).toThrow(
        refusal('TIMESTAMP_INVALID', expect.stringContaining('field "timestamp": "')),
      );
    }
    expect(() => readTimestamp(-5, at, 'unix')).toThrow(
      refusal('TIMESTAMP_INVALID', 'data/x.csv line 4, field "unix": timestamp must be >= 0, was -5'),
    );
    expect(() => readTimestamp(1704067200000.5, at, 'ts')).toThrow(
      refusal('TIMESTAMP_INVALID', expect.stringContaining('whole number of ms')),
    );
  });

  it('refuses what is neither a date nor a number', () => {
    expect(() => readTimestamp('yesterday', at, 'date')).toThrow(
      refusal(
        'VALUE_UNPARSABLE',
        'data/x.csv line 4, field "date": expected an ISO date-time, epoch seconds or epoch milliseconds, found "yesterday"',
      ),
    );
    expect(() => readTimestamp('NaN', at, 'ts')).toThrow(refusal('VALUE_NOT_FINITE', expect.any(String)));
  });
});
