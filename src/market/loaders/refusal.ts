// Refusals of input data: one DataError per cause, its message naming file, line and field.
import { DataError } from '../../core/errors.js';

/** Stable codes of every refusal the loaders raise (the value is the `code` of the DataError). */
export const LoadErrorCode = {
  fileUnreadable: 'FILE_UNREADABLE',
  fileEmpty: 'FILE_EMPTY',
  jsonInvalid: 'JSON_INVALID',
  jsonShape: 'JSON_SHAPE',
  csvMalformed: 'CSV_MALFORMED',
  headerMissing: 'HEADER_MISSING',
  columnMissing: 'COLUMN_MISSING',
  columnDuplicate: 'COLUMN_DUPLICATE',
  columnAmbiguous: 'COLUMN_AMBIGUOUS',
  columnCount: 'COLUMN_COUNT',
  valueUnparsable: 'VALUE_UNPARSABLE',
  valueNotFinite: 'VALUE_NOT_FINITE',
  timestampInvalid: 'TIMESTAMP_INVALID',
  symbolEmpty: 'SYMBOL_EMPTY',
  barInvalid: 'BAR_INVALID',
  duplicateConflict: 'DUPLICATE_CONFLICT',
  timeframeUnknown: 'TIMEFRAME_UNKNOWN',
  timeframeMismatch: 'TIMEFRAME_MISMATCH',
  timeframeUnsupported: 'TIMEFRAME_UNSUPPORTED',
  barMisaligned: 'BAR_MISALIGNED',
  symbolNotFound: 'SYMBOL_NOT_FOUND',
  noCompleteFrames: 'NO_COMPLETE_FRAMES',
  barsSuspicious: 'BARS_SUSPICIOUS',
  barImplausible: 'BAR_IMPLAUSIBLE',
} as const;

/** One of the codes in `LoadErrorCode`. */
export type LoadErrorCode = (typeof LoadErrorCode)[keyof typeof LoadErrorCode];

/** Where a value came from: the file as given, the 1-based line, and for JSON the 1-based row. */
export interface SourceRef {
  readonly file: string;
  readonly line?: number;
  readonly row?: number;
}

/** "data/btc.csv line 17" (plus " (row 3)" for JSON rows), or just the file when there is no line. */
export function describeRef(at: SourceRef): string {
  if (at.line === undefined) return at.file;
  return `${at.file} line ${at.line}${at.row === undefined ? '' : ` (row ${at.row})`}`;
}

/**
 * A DataError for `code` at `at`: the message reads `FILE line N, field "F": detail`; the context holds
 * `file`, `line` and `field` (null when the cause is not a single line or field) plus `extra`.
 */
export function refuse(
  code: LoadErrorCode,
  at: SourceRef,
  field: string | null,
  detail: string,
  extra: Record<string, unknown> = {},
): DataError {
  const where = field === null ? describeRef(at) : `${describeRef(at)}, field "${field}"`;
  return new DataError(code, `${where}: ${detail}`, {
    ...extra,
    file: at.file,
    line: at.line ?? null,
    ...(at.row === undefined ? {} : { row: at.row }),
    field,
  });
}
