// Finds the header of a CSV file (after at most one garbage line) and maps its columns to bar fields.
import type { Bar } from '../bar.js';
import { refuse, type SourceRef } from './refusal.js';
import type { ColumnNames, Layout } from './source-row.js';

/** Accepted names of the timestamp column, most specific first (`unix` wins over `date`). */
const TIMESTAMP_NAMES = [
  'timestamp',
  'ts',
  'unix',
  'unix timestamp',
  'open time',
  'open_time',
  'time',
  'datetime',
  'date',
];
const PRICE_FIELDS = ['open', 'high', 'low', 'close'] as const;
/** `Volume BTC` / `volume_usdt`: a volume column named after a currency (CryptoDataDownload). */
const CURRENCY_VOLUME = /^volume[ _]+(\S+)$/;

function normalise(cell: string): string {
  return cell
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .trim()
    .toLowerCase();
}

function isKnownColumn(name: string): boolean {
  return (
    TIMESTAMP_NAMES.includes(name) ||
    (PRICE_FIELDS as readonly string[]).includes(name) ||
    name === 'volume' ||
    name === 'symbol' ||
    CURRENCY_VOLUME.test(name)
  );
}

/** Whether a line is a header: at least two of its cells are known column names. */
export function looksLikeHeader(line: string | undefined): boolean {
  if (line === undefined) return false;
  return line.split(',').map(normalise).filter(isKnownColumn).length >= 2;
}

/** The refusal of a file whose line 1 and line 2 are both not a header. */
export function headerMissing(file: string, firstLine: string) {
  return refuse(
    'HEADER_MISSING',
    { file, line: 1 },
    null,
    `expected a header naming the columns timestamp,open,high,low,close,volume (optionally symbol), found "${firstLine.slice(0, 80)}"`,
  );
}

/** The cells of a header line, unquoted (`"a,b",c` is two cells) and trimmed. */
export function splitHeaderCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}

/** How the cells of a CSV row map to bar fields. */
export interface CsvColumns {
  readonly layout: Layout;
  readonly index: Readonly<Record<keyof Bar, number>>;
  readonly names: ColumnNames;
  /** Index of the `symbol` column, or -1 for a one-symbol file. */
  readonly symbolIndex: number;
  readonly ignored: readonly string[];
  readonly warnings: readonly string[];
}

/** A header: the cells as written (trimmed), and normalised (unquoted, lower case) for matching. */
interface Header {
  readonly cells: readonly string[];
  readonly names: readonly string[];
}

function required(header: Header, wanted: readonly string[], at: SourceRef): number {
  for (const name of wanted) {
    const i = header.names.indexOf(name);
    if (i >= 0) return i;
  }
  throw refuse(
    'COLUMN_MISSING',
    at,
    wanted[0]!,
    `required column "${wanted[0]}" is missing (header: ${header.cells.join(',')})`,
  );
}

/** The volume column: `volume`, else the `volume <currency>` column whose currency starts the symbol (base volume). */
function volumeColumn(header: Header, symbolHint: string, at: SourceRef, warnings: string[]): number {
  const plain = header.names.indexOf('volume');
  if (plain >= 0) return plain;
  const candidates = header.names.flatMap((name, i) => {
    const m = CURRENCY_VOLUME.exec(name);
    return m ? [{ i, currency: m[1]!.toUpperCase() }] : [];
  });
  if (candidates.length === 0) return required(header, ['volume'], at);
  const compact = symbolHint.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const base = candidates.find((c) => compact.startsWith(c.currency));
  if (base) return base.i;
  const used = header.cells[candidates[0]!.i];
  warnings.push(`${at.file}: no volume column names the base currency of ${symbolHint}; used "${used}"`);
  return candidates[0]!.i;
}

/**
 * Maps a header to bar fields. `firstRow` and `fileSymbol` tell which `volume <currency>` column holds
 * the base volume. Throws COLUMN_DUPLICATE or COLUMN_MISSING naming the column and the header line.
 */
export function mapCsvColumns(
  cells: readonly string[],
  at: SourceRef,
  firstRow: readonly string[] | undefined,
  fileSymbol: string,
): CsvColumns {
  const header: Header = { cells: cells.map((c) => c.trim()), names: cells.map(normalise) };
  const { names } = header;
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i)
      throw refuse('COLUMN_DUPLICATE', at, header.cells[i]!, `column "${header.cells[i]}" appears twice`);
  });
  const warnings: string[] = [];
  const symbolIndex = names.indexOf('symbol');
  const symbolHint = (symbolIndex >= 0 ? firstRow?.[symbolIndex] : undefined) ?? fileSymbol;
  const index = {
    ts: required(header, TIMESTAMP_NAMES, at),
    open: required(header, ['open'], at),
    high: required(header, ['high'], at),
    low: required(header, ['low'], at),
    close: required(header, ['close'], at),
    volume: volumeColumn(header, symbolHint, at, warnings),
  };
  const used = new Set<number>([...Object.values(index), symbolIndex]);
  const cdd =
    (names.includes('unix') || names.includes('unix timestamp')) &&
    names.some((n) => CURRENCY_VOLUME.test(n));
  const layout: Layout = cdd ? 'cryptodatadownload' : symbolIndex >= 0 ? 'csv-long' : 'csv';
  const name = (i: number) => header.cells[i]!;
  return {
    layout,
    index,
    names: {
      ts: name(index.ts),
      open: name(index.open),
      high: name(index.high),
      low: name(index.low),
      close: name(index.close),
      volume: name(index.volume),
    },
    symbolIndex,
    ignored: header.cells.filter((_, i) => !used.has(i)),
    warnings,
  };
}
