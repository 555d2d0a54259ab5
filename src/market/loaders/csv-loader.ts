// Parses a CSV market file (plain, long with a symbol column, or CryptoDataDownload) into validated rows.
import { parse } from 'csv-parse/sync';
import { findHeaderLine, mapCsvColumns } from './csv-columns.js';
import { refuse } from './refusal.js';
import { buildRow, type ParsedFile, type SourceRow, type SymbolSource } from './source-row.js';
import { symbolFromFileName } from './symbol-name.js';

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

function parseRecords(file: string, text: string, fromLine: number): CsvRecord[] {
  try {
    return parse(text, {
      from_line: fromLine,
      info: true,
      bom: true,
      trim: true,
      relax_column_count: true,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n', '\r'],
    }) as unknown as CsvRecord[];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw refuse('CSV_MALFORMED', { file, line }, null, `not valid CSV: ${(error as Error).message}`);
  }
}

/**
 * Rows of a CSV file in file order. `symbol` names the symbol of a file without a `symbol` column (else
 * the file name does, see symbolFromFileName). Refuses (DataError) a missing header or column, a row
 * with the wrong number of cells, an empty symbol and any invalid value or bar, naming file, line, column.
 */
export function parseCsvFile(file: string, text: string, symbol?: string): ParsedFile {
  const headerLine = findHeaderLine(file, text);
  const records = parseRecords(file, text, headerLine);
  const header = records[0]!.record;
  const at = { file, line: records[0]!.info.lines };
  const fileSymbol = symbol ?? symbolFromFileName(file);
  const columns = mapCsvColumns(header, at, records[1]?.record, fileSymbol);
  if (records.length < 2) throw refuse('FILE_EMPTY', at, null, 'the file has a header but no data rows');
  const warnings = [...columns.warnings];
  let symbolSource: SymbolSource = symbol === undefined ? 'file-name' : 'option';
  if (columns.symbolIndex >= 0) {
    symbolSource = 'column';
    if (symbol !== undefined)
      warnings.push(`${file}: --symbol ${symbol} ignored, the file has a symbol column`);
  }
  const rows: SourceRow[] = [];
  for (let r = 1; r < records.length; r++) {
    const { record, info } = records[r]!;
    const rowAt = { file, line: info.lines };
    if (record.length !== header.length)
      throw refuse(
        'COLUMN_COUNT',
        rowAt,
        null,
        `expected ${header.length} columns (${header.join(',')}), found ${record.length}`,
      );
    let rowSymbol = fileSymbol;
    if (columns.symbolIndex >= 0) {
      rowSymbol = record[columns.symbolIndex]!;
      if (rowSymbol === '')
        throw refuse('SYMBOL_EMPTY', rowAt, header[columns.symbolIndex]!, 'symbol is empty');
    }
    const { index } = columns;
    const cells = {
      ts: record[index.ts],
      open: record[index.open],
      high: record[index.high],
      low: record[index.low],
      close: record[index.close],
      volume: record[index.volume],
    };
    rows.push(buildRow(rowSymbol, cells, rowAt, columns.names));
  }
  return {
    file,
    layout: columns.layout,
    symbolSource,
    rows,
    garbageLinesSkipped: headerLine - 1,
    ignoredColumns: columns.ignored,
    warnings,
  };
}
