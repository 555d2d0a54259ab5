// Reads one cell of a data row as a number or a timestamp, refusing what cannot be read without guessing.
import { refuse, type SourceRef } from './refusal.js';

/** How a timestamp was written: ISO-8601 text, epoch seconds or epoch milliseconds. */
export type TimestampUnit = 'iso' | 'seconds' | 'milliseconds';

/** Epoch numbers below this are seconds, at or above it milliseconds (1e11 s is year 5138, 1e11 ms is 1973). */
export const SECONDS_LIMIT = 1e11;

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(?:inf|infinity|nan)$/i;
const ISO = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?)?\s*(Z|[+-]\d\d:?\d\d)?$/i;

function describe(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(JSON.stringify(value));
}

/** A finite number from a JSON number or a decimal string. Throws VALUE_UNPARSABLE or VALUE_NOT_FINITE. */
export function readNumber(value: unknown, at: SourceRef, field: string): number {
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string') {
    const text = value.trim();
    if (NON_FINITE.test(text)) n = Number.NaN;
    else if (DECIMAL.test(text)) n = Number(text);
  }
  if (n === undefined)
    throw refuse('VALUE_UNPARSABLE', at, field, `expected a number, found ${describe(value)}`, { value });
  if (!Number.isFinite(n))
    throw refuse('VALUE_NOT_FINITE', at, field, `expected a finite number, found ${describe(value)}`, {
      value,
    });
  return n;
}

function epochToMs(n: number, at: SourceRef, field: string): { ts: number; unit: TimestampUnit } {
  if (n < 0) throw refuse('TIMESTAMP_INVALID', at, field, `timestamp must be >= 0, was ${n}`);
  const unit: TimestampUnit = n < SECONDS_LIMIT ? 'seconds' : 'milliseconds';
  const exact = unit === 'seconds' ? n * 1000 : n;
  const ts = Math.round(exact);
  // Seconds with a fraction finer than 1 ms, or milliseconds with a fraction, are not a bar open time.
  if (Math.abs(exact - ts) > 1e-3)
    throw refuse(
      'TIMESTAMP_INVALID',
      at,
      field,
      `timestamp must be a whole number of ms, was ${n} (${unit})`,
    );
  return { ts, unit };
}

function isoToMs(text: string, at: SourceRef, field: string): number {
  const m = ISO.exec(text)!;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  const valid = month! >= 1 && month! <= 12 && day! >= 1 && day! <= daysInMonth;
  const ts = Date.parse(`${text.replace(' ', 'T').replace(/\s+/g, '')}${m[7] ? '' : 'Z'}`);
  if (!valid || hour! > 23 || minute! > 59 || second! > 59 || !Number.isFinite(ts))
    throw refuse('TIMESTAMP_INVALID', at, field, `"${text}" is not a valid date-time`, { value: text });
  return ts;
}

/**
 * A bar open time in epoch ms from an ISO-8601 string (UTC when it has no zone), or epoch seconds or
 * milliseconds (a number or a decimal string; below SECONDS_LIMIT it is seconds), decided per value.
 * Throws VALUE_UNPARSABLE, VALUE_NOT_FINITE or TIMESTAMP_INVALID.
 */
export function readTimestamp(
  value: unknown,
  at: SourceRef,
  field: string,
): { ts: number; unit: TimestampUnit } {
  if (typeof value === 'string' && ISO.test(value.trim()))
    return { ts: isoToMs(value.trim(), at, field), unit: 'iso' };
  if (typeof value === 'number' || (typeof value === 'string' && DECIMAL.test(value.trim())))
    return epochToMs(readNumber(value, at, field), at, field);
  if (typeof value === 'string' && NON_FINITE.test(value.trim())) readNumber(value, at, field);
  throw refuse(
    'VALUE_UNPARSABLE',
    at,
    field,
    `expected an ISO date-time, epoch seconds or epoch milliseconds, found ${describe(value)}`,
    { value },
  );
}
