// Finds the header of a CSV file (after at most one garbage line) and maps its columns to bar fields.
import type { Bar } from '../bar.js';
import { refuse, type SourceRef } from './refusal.js';
import type { ColumnNames, Layout } from './source-row.js';

/**
 * Accepted names of each column, after normalise() (lower case; spaces, `_`, `-`, `.` and `/` as one
 * `_`; brackets dropped), in tiers: a name of an earlier tier wins over one of a later tier (`unix`
 * over `date`), two columns of the same tier are ambiguous and refused by name.
 */
export const COLUMN_ALIASES: Readonly<Record<keyof Bar | 'symbol', readonly (readonly string[])[]>> = {
  ts: [
    [
      'timestamp',
      'ts',
      'ts_ms',
      'timestamp_ms',
      'time_ms',
      'unix',
      'unix_ms',
      'unix_time',
      'unix_timestamp',
      'epoch',
      'epoch_ms',
      'open_time',
      'opentime',
    ],
    ['time', 'datetime', 'date_time', 'date', 'open_date', 't'],
  ],
  open: [['open'], ['o', 'open_price', 'opening_price', 'price_open']],
  high: [['high'], ['h', 'high_price', 'price_high']],
  low: [['low'], ['l', 'low_price', 'price_low']],
  close: [['close'], ['c', 'close_price', 'closing_price', 'price_close']],
  volume: [['volume'], ['vol', 'v', 'base_volume', 'volume_base', 'base_asset_volume']],
  symbol: [['symbol'], ['pair', 'ticker']],
};

/** `Volume BTC`, `volume_usdt`, `Volume_(BTC)`: a volume column named after a currency. */
const CURRENCY_VOLUME = /^volume_([a-z0-9]+)$/;
/** Named after the quote side: never the base volume. */
const QUOTE_VOLUME = new Set(['quote_volume', 'volume_quote', 'quote_asset_volume', 'volume_currency']);

/** A header cell as matched against COLUMN_ALIASES. */
export function normalise(cell: string): string {
  return cell
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .toLowerCase()
    .replace(/[()[\]<>"]/g, '')
    .replace(/[\s_\-./]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

const KNOWN = new Set(Object.values(COLUMN_ALIASES).flatMap((tiers) => tiers.flat()));

function isKnownColumn(name: string): boolean {
  return KNOWN.has(name) || (CURRENCY_VOLUME.test(name) && !QUOTE_VOLUME.has(name));
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

/** A header: the cells as written (trimmed), and normalised for matching. */
interface Header {
  readonly cells: readonly string[];
  readonly names: readonly string[];
}

const FIELD_WORD: Record<keyof Bar | 'symbol', string> = {
  ts: 'timestamp',
  open: 'open',
  high: 'high',
  low: 'low',
  close: 'close',
  volume: 'volume',
  symbol: 'symbol',
};

/**
 * The column of `field`: the only column named by the first tier of aliases that names any, or -1
 * when none does. Two columns in that tier are refused (COLUMN_AMBIGUOUS) naming both.
 */
function findColumn(header: Header, field: keyof Bar | 'symbol', at: SourceRef): number {
  for (const tier of COLUMN_ALIASES[field]) {
    const found = header.names.flatMap((name, i) => (tier.includes(name) ? [i] : []));
    if (found.length === 1) return found[0]!;
    if (found.length > 1) {
      const [a, b] = found.map((i) => `"${header.cells[i]}"`);
      throw refuse(
        'COLUMN_AMBIGUOUS',
        at,
        header.cells[found[1]!]!,
        `columns ${a} and ${b} could both be the ${FIELD_WORD[field]} column; remove or rename one (a date and a time in two columns must be joined into one)`,
        { columns: found.map((i) => header.cells[i]) },
      );
    }
  }
  return -1;
}

function required(header: Header, field: keyof Bar, at: SourceRef): number {
  const i = findColumn(header, field, at);
  if (i >= 0) return i;
  const word = FIELD_WORD[field];
  throw refuse(
    'COLUMN_MISSING',
    at,
    word,
    `required column "${word}" is missing (header: ${header.cells.join(',')}; accepted names: ${COLUMN_ALIASES[field].flat().join(', ')})`,
  );
}

/**
 * The volume column: a base-volume name (`volume`, `vol`, ...), else the `volume <currency>` column whose
 * currency starts the symbol (base volume; CryptoDataDownload writes `Volume BTC,Volume USDT`).
 */
function volumeColumn(header: Header, symbolHint: string, at: SourceRef, warnings: string[]): number {
  const named = findColumn(header, 'volume', at);
  if (named >= 0) return named;
  const candidates = header.names.flatMap((name, i) => {
    const m = QUOTE_VOLUME.has(name) ? null : CURRENCY_VOLUME.exec(name);
    return m ? [{ i, currency: m[1]!.toUpperCase() }] : [];
  });
  if (candidates.length === 0) return required(header, 'volume', at);
  const compact = symbolHint.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const base = candidates.find((c) => compact.startsWith(c.currency));
  if (base) return base.i;
  const used = header.cells[candidates[0]!.i];
  warnings.push(`${at.file}: no volume column names the base currency of ${symbolHint}; used "${used}"`);
  return candidates[0]!.i;
}

/**
 * Maps a header to bar fields. `firstRow` and `fileSymbol` tell which `volume <currency>` column holds
 * the base volume. Throws COLUMN_DUPLICATE, COLUMN_AMBIGUOUS or COLUMN_MISSING naming the column and the
 * header line.
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
    if (name !== '' && names.indexOf(name) !== i)
      throw refuse('COLUMN_DUPLICATE', at, header.cells[i]!, `column "${header.cells[i]}" appears twice`);
  });
  const warnings: string[] = [];
  const symbolIndex = findColumn(header, 'symbol', at);
  const symbolHint = (symbolIndex >= 0 ? firstRow?.[symbolIndex] : undefined) ?? fileSymbol;
  const index = {
    ts: required(header, 'ts', at),
    open: required(header, 'open', at),
    high: required(header, 'high', at),
    low: required(header, 'low', at),
    close: required(header, 'close', at),
    volume: volumeColumn(header, symbolHint, at, warnings),
  };
  const used = new Set<number>([...Object.values(index), symbolIndex]);
  const tsName = names[index.ts]!;
  const cdd =
    (tsName === 'unix' || tsName === 'unix_timestamp') &&
    names.some((n) => CURRENCY_VOLUME.test(n) && !QUOTE_VOLUME.has(n));
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
