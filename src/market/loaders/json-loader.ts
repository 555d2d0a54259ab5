// Parses a ccxt-style JSON market file (an array of OHLCV rows, or an object of them keyed by symbol).
import { scanJsonRowLines } from './json-row-lines.js';
import { refuse, type SourceRef } from './refusal.js';
import { buildRow, type ColumnNames, type ParsedFile, type SourceRow } from './source-row.js';
import { symbolFromFileName } from './symbol-name.js';

const JSON_COLUMNS: ColumnNames = {
  ts: 'ts',
  open: 'open',
  high: 'high',
  low: 'low',
  close: 'close',
  volume: 'volume',
};
const ROW_SHAPE = '[ts, open, high, low, close, volume]';

function parseDocument(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : undefined;
    throw refuse('JSON_INVALID', { file, line }, null, `not valid JSON: ${message}`);
  }
}

function readRows(
  symbol: string,
  elements: readonly unknown[],
  lines: readonly number[],
  file: string,
): SourceRow[] {
  return elements.map((element, i) => {
    const at: SourceRef = { file, line: lines[i] ?? 1, row: i + 1 };
    if (!Array.isArray(element))
      throw refuse('JSON_SHAPE', at, null, `expected a row ${ROW_SHAPE}, found ${JSON.stringify(element)}`);
    if (element.length !== 6)
      throw refuse('COLUMN_COUNT', at, null, `expected 6 values ${ROW_SHAPE}, found ${element.length}`);
    const [ts, open, high, low, close, volume] = element as unknown[];
    return buildRow(symbol, { ts, open, high, low, close, volume }, at, JSON_COLUMNS);
  });
}

/**
 * Rows of a JSON file in file order. A top-level array holds one symbol (`symbol`, else the file name);
 * an object maps symbols to arrays. Refuses invalid JSON, any other shape, a duplicate key, a row that is
 * not an array of 6 values, and any invalid value or bar, naming file, line (and row) and field.
 */
export function parseJsonFile(file: string, text: string, symbol?: string): ParsedFile {
  const doc = parseDocument(file, text);
  const groups = scanJsonRowLines(text);
  const warnings: string[] = [];
  let rows: SourceRow[];
  if (Array.isArray(doc)) {
    rows = readRows(symbol ?? symbolFromFileName(file), doc, groups[0]?.rowLines ?? [], file);
  } else if (typeof doc === 'object' && doc !== null) {
    if (symbol !== undefined)
      warnings.push(`${file}: --symbol ${symbol} ignored, the file's keys name the symbols`);
    const record = doc as Record<string, unknown>;
    const seen = new Set<string>();
    rows = groups.flatMap((group) => {
      const key = group.key!;
      const at = { file, line: group.line };
      if (seen.has(key)) throw refuse('JSON_SHAPE', at, key, `key "${key}" appears twice`);
      seen.add(key);
      const value = record[key];
      if (!Array.isArray(value))
        throw refuse(
          'JSON_SHAPE',
          at,
          key,
          `expected an array of ${ROW_SHAPE} rows, found ${JSON.stringify(value)}`,
        );
      if (value.length === 0) warnings.push(`${file}: "${key}" has no rows`);
      return readRows(key, value, group.rowLines, file);
    });
  } else {
    throw refuse(
      'JSON_SHAPE',
      { file, line: 1 },
      null,
      `expected an array of ${ROW_SHAPE} rows or an object of them by symbol`,
    );
  }
  if (rows.length === 0) throw refuse('FILE_EMPTY', { file }, null, 'the file holds no rows');
  return {
    file,
    layout: Array.isArray(doc) ? 'ccxt-json' : 'ccxt-json-by-symbol',
    symbolSource: Array.isArray(doc) ? (symbol === undefined ? 'file-name' : 'option') : 'json-key',
    rows,
    garbageLinesSkipped: 0,
    ignoredColumns: [],
    warnings,
  };
}
