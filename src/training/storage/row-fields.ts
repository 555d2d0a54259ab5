// Typed reads of SQLite row fields: a value of the wrong kind is a StateError naming table, row and field.
import { StateError } from '../../core/errors.js';

/** A row as the driver returns it: column name -> SQLite value. */
export type Row = Readonly<Record<string, unknown>>;

/** Where a value came from, for error messages: `trial_params` row `param_id=7`, field `distribution_json`. */
export interface RowRef {
  readonly table: string;
  /** Primary key column and value, e.g. `param_id=7`. */
  readonly rowId: string;
}

/** The error for a stored row that cannot be decoded (code STUDY_STORAGE_ROW_INVALID). Never skipped silently. */
export function invalidRow(
  ref: RowRef,
  field: string,
  expected: string,
  found: unknown,
  cause?: unknown,
): StateError {
  const shown = typeof found === 'string' ? JSON.stringify(found.slice(0, 200)) : String(found);
  return new StateError(
    'STUDY_STORAGE_ROW_INVALID',
    `study storage: ${ref.table} row ${ref.rowId}, field ${field}: expected ${expected}, found ${shown}`,
    { table: ref.table, row: ref.rowId, field, expected, found: shown },
    cause === undefined ? undefined : { cause },
  );
}

/** Builds a RowRef from the row's primary key column. */
export function rowRef(table: string, row: Row, idColumn: string): RowRef {
  return { table, rowId: `${idColumn}=${String(row[idColumn])}` };
}

export function intField(row: Row, ref: RowRef, field: string): number {
  const v = row[field];
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  throw invalidRow(ref, field, 'an integer', v);
}

/** A REAL column; SQLite may hand back an integer for an integral value, which is fine. */
export function numberOrNullField(row: Row, ref: RowRef, field: string): number | null {
  const v = row[field];
  if (v === null || (typeof v === 'number' && Number.isFinite(v))) return v;
  throw invalidRow(ref, field, 'a finite number or NULL', v);
}

export function stringField(row: Row, ref: RowRef, field: string): string {
  const v = row[field];
  if (typeof v === 'string') return v;
  throw invalidRow(ref, field, 'a string', v);
}

export function stringOrNullField(row: Row, ref: RowRef, field: string): string | null {
  const v = row[field];
  if (v === null || typeof v === 'string') return v;
  throw invalidRow(ref, field, 'a string or NULL', v);
}

/** A text column whose value must be one of `allowed`. */
export function enumField<T extends string>(row: Row, ref: RowRef, field: string, allowed: readonly T[]): T {
  const v = row[field];
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  throw invalidRow(ref, field, `one of ${allowed.join(', ')}`, v);
}
