// Parses a ccxt-style JSON market file (an array of OHLCV rows, or an object of them keyed by symbol).
import { barValuesProblem } from '../bar.js';
import { readNumber, readTimestamp } from './field-values.js';
import { scanJsonRowLines } from './json-row-lines.js';
import { refuse, type SourceRef } from './refusal.js';
import { RowColumnsBuilder } from './row-columns.js';
import { settleRows } from './row-order.js';
import type { ColumnNames, ParsedFile } from './source-row.js';
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

/** Appends the rows of one array (one symbol) to the columns, validating each. */
function readRows(
  out: {
    rows: RowColumnsBuilder;
    rowNumbers: number[];
    units: { iso: number; seconds: number; milliseconds: number };
  },
  symbolId: number,
  symbol: string,
  elements: readonly unknown[],
  lines: readonly number[],
  file: string,
): void {
  elements.forEach((element, i) => {
    const at: SourceRef = { file, line: lines[i] ?? 1, row: i + 1 };
    if (!Array.isArray(element))
      throw refuse('JSON_SHAPE', at, null, `expected a row ${ROW_SHAPE}, found ${JSON.stringify(element)}`);
    if (element.length !== 6)
      throw refuse('COLUMN_COUNT', at, null, `expected 6 values ${ROW_SHAPE}, found ${element.length}`);
    const [tsCell, ...cells] = element as unknown[];
    const { ts, unit } = readTimestamp(tsCell, at, 'ts');
    const [open, high, low, close, volume] = cells.map((cell, k) =>
      readNumber(cell, at, ['open', 'high', 'low', 'close', 'volume'][k]!),
    ) as [number, number, number, number, number];
    const problem = barValuesProblem(open, high, low, close, volume);
    if (problem) throw refuse('BAR_INVALID', at, problem.split(' ', 1)[0]!, problem, { symbol });
    out.units[unit]++;
    out.rows.push(symbolId, at.line!, ts, open, high, low, close, volume);
    out.rowNumbers.push(i + 1);
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
  const symbols: string[] = [];
  const out = {
    rows: new RowColumnsBuilder(groups.reduce((n, g) => n + g.rowLines.length, 0)),
    rowNumbers: [] as number[],
    units: { iso: 0, seconds: 0, milliseconds: 0 },
  };
  if (Array.isArray(doc)) {
    symbols.push(symbol ?? symbolFromFileName(file));
    readRows(out, 0, symbols[0]!, doc, groups[0]?.rowLines ?? [], file);
  } else if (typeof doc === 'object' && doc !== null) {
    if (symbol !== undefined)
      warnings.push(`${file}: --symbol ${symbol} ignored, the file's keys name the symbols`);
    const record = doc as Record<string, unknown>;
    const seen = new Set<string>();
    for (const group of groups) {
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
      if (value.length === 0) {
        warnings.push(`${file}: "${key}" has no rows`);
        continue;
      }
      symbols.push(key);
      readRows(out, symbols.length - 1, key, value, group.rowLines, file);
    }
  } else {
    throw refuse(
      'JSON_SHAPE',
      { file, line: 1 },
      null,
      `expected an array of ${ROW_SHAPE} rows or an object of them by symbol`,
    );
  }
  if (out.rows.length === 0) throw refuse('FILE_EMPTY', { file }, null, 'the file holds no rows');
  const rows = out.rows.columns();
  const rowNumbers = Uint32Array.from(out.rowNumbers);
  return {
    ...settleRows(rows, symbols.length, [rowNumbers]),
    file,
    layout: Array.isArray(doc) ? 'ccxt-json' : 'ccxt-json-by-symbol',
    symbolSource: Array.isArray(doc) ? (symbol === undefined ? 'file-name' : 'option') : 'json-key',
    symbols,
    rows,
    columns: JSON_COLUMNS,
    tsUnits: out.units,
    rowNumbers,
    garbageLinesSkipped: 0,
    ignoredColumns: [],
    warnings,
  };
}
