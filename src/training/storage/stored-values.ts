// Optuna's stored forms of objective values, intermediate values, datetimes and attribute values.
import { DataError } from '../../core/errors.js';
import {
  type PythonJsonSyntaxError,
  type PythonJsonValue,
  parsePythonJson,
  pythonJsonDumps,
} from './python-json.js';
import { invalidRow, type RowRef } from './row-fields.js';

/** trial_values.value_type: Optuna stores infinities as a type with value NULL (no NaN objective). */
export const TRIAL_VALUE_TYPES = ['FINITE', 'INF_POS', 'INF_NEG'] as const;
/** trial_intermediate_values.intermediate_value_type: as above plus NAN. */
export const INTERMEDIATE_VALUE_TYPES = ['FINITE', 'INF_POS', 'INF_NEG', 'NAN'] as const;
export type StoredValueType = (typeof INTERMEDIATE_VALUE_TYPES)[number];

/** A number as (value, type): finite -> (x, FINITE); +-Infinity -> (NULL, INF_POS/INF_NEG); NaN -> (NULL, NAN). */
export function toStoredValue(x: number): { value: number | null; type: StoredValueType } {
  if (Number.isNaN(x)) return { value: null, type: 'NAN' };
  if (x === Number.POSITIVE_INFINITY) return { value: null, type: 'INF_POS' };
  if (x === Number.NEGATIVE_INFINITY) return { value: null, type: 'INF_NEG' };
  return { value: x, type: 'FINITE' };
}

/** Inverse of {@link toStoredValue}; a FINITE type with a NULL value is an invalid row. */
export function fromStoredValue(
  value: number | null,
  type: StoredValueType,
  ref: RowRef,
  valueField: string,
): number {
  switch (type) {
    case 'FINITE':
      if (value === null) throw invalidRow(ref, valueField, 'a number for type FINITE', value);
      return value;
    case 'INF_POS':
      return Number.POSITIVE_INFINITY;
    case 'INF_NEG':
      return Number.NEGATIVE_INFINITY;
    case 'NAN':
      return Number.NaN;
  }
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * trials.datetime_start / datetime_complete as Optuna writes them (`datetime.now()` through SQLAlchemy):
 * naive LOCAL time `YYYY-MM-DD HH:MM:SS.ffffff`. JS has millisecond resolution, so microseconds end in 000.
 */
export function toOptunaDatetime(epochMs: number): string {
  const d = new Date(epochMs);
  const date = `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1, 2)}-${pad(d.getDate(), 2)}`;
  const time = `${pad(d.getHours(), 2)}:${pad(d.getMinutes(), 2)}:${pad(d.getSeconds(), 2)}`;
  return `${date} ${time}.${pad(d.getMilliseconds(), 3)}000`;
}

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/** Parses an Optuna datetime (naive local time, optional fraction) to epoch ms, truncating microseconds. */
export function fromOptunaDatetime(text: string, ref: RowRef, field: string): number {
  const m = DATETIME.exec(text);
  if (m === null) throw invalidRow(ref, field, "a datetime 'YYYY-MM-DD HH:MM:SS[.ffffff]'", text);
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const ms = Math.floor(Number((m[7] ?? '0').padEnd(6, '0')) / 1000);
  const d = new Date(year, month - 1, day, hour, minute, second, ms);
  if (d.getDate() !== day || d.getMonth() !== month - 1) {
    throw invalidRow(ref, field, 'a calendar date', text);
  }
  return d.getTime();
}

/** Checks that an attribute value is plain JSON (finite numbers); undefined object members are dropped. */
function toJsonValue(value: unknown, path: string): PythonJsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
  } else if (Array.isArray(value)) {
    return value.map((item, i) => toJsonValue(item, `${path}[${i}]`));
  } else if (typeof value === 'object') {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) {
      const out: Record<string, PythonJsonValue> = {};
      for (const [k, v] of Object.entries(value)) {
        if (v !== undefined) {
          Object.defineProperty(out, k, { value: toJsonValue(v, `${path}.${k}`), enumerable: true });
        }
      }
      return out;
    }
  }
  const found = typeof value === 'number' ? String(value) : typeof value;
  throw new DataError(
    'STUDY_ATTR_NOT_JSON',
    `attribute ${path} must be JSON (null, boolean, finite number, string, array, plain object), was ${found}`,
    { path, found },
  );
}

/** value_json of a user/system attribute: `json.dumps(value)` as Python writes it. Throws DataError if not JSON. */
export function encodeAttrValue(key: string, value: unknown): string {
  return pythonJsonDumps(toJsonValue(value, key));
}

/** Parses value_json (Python may have written NaN or Infinity, which are kept as numbers). */
export function decodeAttrValue(text: string, ref: RowRef): PythonJsonValue {
  try {
    return parsePythonJson(text);
  } catch (error) {
    throw invalidRow(ref, 'value_json', `JSON (${(error as PythonJsonSyntaxError).message})`, text, error);
  }
}
