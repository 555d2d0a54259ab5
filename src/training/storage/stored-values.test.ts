import { describe, expect, it } from 'vitest';
import {
  decodeAttrValue,
  encodeAttrValue,
  fromOptunaDatetime,
  fromStoredValue,
  toOptunaDatetime,
  toStoredValue,
} from './stored-values.js';

const ref = { table: 'trials', rowId: 'trial_id=3' };

describe('stored numeric values', () => {
  it.each([
    [0.5, { value: 0.5, type: 'FINITE' }],
    [Number.POSITIVE_INFINITY, { value: null, type: 'INF_POS' }],
    [Number.NEGATIVE_INFINITY, { value: null, type: 'INF_NEG' }],
    [Number.NaN, { value: null, type: 'NAN' }],
  ])('stores %s as Optuna does and reads it back', (x, stored) => {
    expect(toStoredValue(x)).toEqual(stored);
    expect(fromStoredValue(stored.value, stored.type as 'FINITE', ref, 'value')).toBe(x);
  });

  it('refuses FINITE with a NULL value', () => {
    expect(() => fromStoredValue(null, 'FINITE', ref, 'value')).toThrow(/trials row trial_id=3, field value/);
  });
});

describe('datetimes (naive local time, as Optuna datetime.now())', () => {
  it('writes local wall-clock time with microseconds and reads it back to the millisecond', () => {
    const ms = new Date(2024, 2, 5, 7, 8, 9, 123).getTime();
    expect(toOptunaDatetime(ms)).toBe('2024-03-05 07:08:09.123000');
    expect(fromOptunaDatetime('2024-03-05 07:08:09.123000', ref, 'datetime_start')).toBe(ms);
  });

  it('truncates microseconds and accepts a missing fraction', () => {
    const base = new Date(2024, 0, 31, 23, 59, 59, 0).getTime();
    expect(fromOptunaDatetime('2024-01-31 23:59:59.999999', ref, 'datetime_start')).toBe(base + 999);
    expect(fromOptunaDatetime('2024-01-31 23:59:59', ref, 'datetime_start')).toBe(base);
  });

  it.each(['2024-02-30 00:00:00', '2024-01-01', 'yesterday'])('refuses %j naming the field', (text) => {
    expect(() => fromOptunaDatetime(text, ref, 'datetime_complete')).toThrow(/field datetime_complete/);
  });
});

describe('attribute values (value_json)', () => {
  it('writes json.dumps output of the equivalent Python value', () => {
    expect(encodeAttrValue('model_path', 'models/s/3')).toBe('"models/s/3"');
    expect(encodeAttrValue('obj', { q: 1.5, l: [true, null], n: 3, skipped: undefined })).toBe(
      '{"q": 1.5, "l": [true, null], "n": 3}',
    );
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, new Date(0), [1, undefined], 10n, () => 1])(
    'refuses a value that is not plain JSON: %s',
    (value) => {
      expect(() => encodeAttrValue('k', value)).toThrow(
        expect.objectContaining({ code: 'STUDY_ATTR_NOT_JSON' }),
      );
    },
  );

  it('reads what Python wrote, NaN included, and names the row when it cannot', () => {
    expect(decodeAttrValue('{"a": [1, 2.5, null], "b": "x"}', ref)).toEqual({ a: [1, 2.5, null], b: 'x' });
    expect(decodeAttrValue('NaN', ref)).toBeNaN();
    expect(() => decodeAttrValue('{bad', ref)).toThrow(/trials row trial_id=3, field value_json/);
  });
});
