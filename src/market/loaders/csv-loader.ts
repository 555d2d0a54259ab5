// Parses CSV market data from bytes straight into typed columns, chunk by chunk (no row objects, no strings
// for numbers), with the refusals of the text loaders: each names the file, the line and the column.
import { barValuesProblem } from '../bar.js';
import {
  type CsvColumns,
  headerMissing,
  looksLikeHeader,
  mapCsvColumns,
  splitHeaderCells,
} from './csv-columns.js';
import { readNumber, readTimestamp, SECONDS_LIMIT } from './field-values.js';
import { refuse } from './refusal.js';
import { RowColumnsBuilder } from './row-columns.js';
import { settleRows } from './row-order.js';
import type { ParsedFile, SymbolSource } from './source-row.js';
import { symbolFromFileName } from './symbol-name.js';

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/** Bytes that end an unquoted cell (or are refused in one): comma, LF, CR and the quote. */
const STOPS = new Uint8Array(256);
for (const c of [COMMA, LF, CR, QUOTE]) STOPS[c] = 1;

/** Powers of ten that are exact doubles: dividing an exact integer by one of them rounds correctly. */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
/** Integers of up to 15 digits are exact doubles (10^15 < 2^53). */
const MAX_FAST_DIGITS = 15;

const utf8 = new TextDecoder('utf-8');

/** Where the cells of the current line start and end (byte offsets), and whether each was quoted. */
interface CellBounds {
  start: Int32Array;
  end: Int32Array;
  quoted: Uint8Array;
  count: number;
}

/**
 * Stores the decimal in bytes [s, e) at out[r] exactly as `Number(text)` reads it and returns true, or
 * returns false when it is not a plain decimal of at most 15 significant digits and 22 decimals (the
 * caller then reads the text the slow way). Exact: the digits form an integer below 2^53 and 10^k is
 * exact for k <= 22, so one IEEE division rounds the exact decimal value correctly, as Number() does.
 * The value is stored, not returned, so that no double is boxed per cell.
 */
function decimalInto(b: Uint8Array, s: number, e: number, out: Float64Array, r: number): boolean {
  let i = s;
  let negative = false;
  if (i < e && (b[i] === MINUS || b[i] === PLUS)) {
    negative = b[i] === MINUS;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let decimals = 0;
  let dot = false;
  let any = false;
  for (; i < e; i++) {
    const c = b[i]!;
    if (c >= ZERO && c <= NINE) {
      any = true;
      if (mantissa !== 0 || c !== ZERO) digits++;
      mantissa = mantissa * 10 + (c - ZERO);
      if (dot) decimals++;
    } else if (c === DOT && !dot) dot = true;
    else return false;
  }
  if (!any || digits > MAX_FAST_DIGITS || decimals > 22) return false;
  const value = decimals === 0 ? mantissa : mantissa / POW10[decimals]!;
  out[r] = negative ? -value : value;
  return true;
}

/**
 * Stores bytes [s, e), an integer of 1 to 15 digits (no sign, no dot), at out[r] as epoch ms (numbers
 * below SECONDS_LIMIT are seconds) and returns 1 for seconds, 2 for milliseconds; 0 when it is not such
 * an integer. Stored, not returned: epoch ms do not fit a small integer and would be boxed.
 */
function epochInto(b: Uint8Array, s: number, e: number, out: Float64Array, r: number): number {
  if (e <= s || e - s > MAX_FAST_DIGITS) return 0;
  let n = 0;
  for (let i = s; i < e; i++) {
    const d = b[i]! - ZERO;
    if (d < 0 || d > 9) return 0;
    n = n * 10 + d;
  }
  if (n < SECONDS_LIMIT) {
    out[r] = n * 1000;
    return 1;
  }
  out[r] = n;
  return 2;
}

/** Offset of the end of the line starting at s (its terminator), the end for a final line, or -1. */
function rawLineEnd(b: Uint8Array, s: number, last: boolean): number {
  let i = s;
  while (i < b.length && b[i] !== LF && b[i] !== CR) i++;
  if (i >= b.length) return last ? i : -1;
  if (b[i] === CR && i + 1 >= b.length && !last) return -1;
  return i;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

/** Two ASCII digits at i as a number, or -1. */
function two(b: Uint8Array, i: number): number {
  const x = b[i]! - ZERO;
  const y = b[i + 1]! - ZERO;
  return x >= 0 && x <= 9 && y >= 0 && y <= 9 ? x * 10 + y : -1;
}

/**
 * Stores `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DDTHH:MM:SS[.fff][Z]` in bytes [s, e) at out[r]
 * as epoch ms and returns true, or returns false for anything else (other forms and invalid dates go
 * through readTimestamp, which names the cause).
 */
function isoInto(b: Uint8Array, s: number, e: number, out: Float64Array, r: number): boolean {
  const len = e - s;
  if (len !== 10 && len !== 19 && len !== 20 && len !== 23 && len !== 24) return false;
  if (b[s + 4] !== MINUS || b[s + 7] !== MINUS) return false;
  const y1 = two(b, s);
  const y2 = two(b, s + 2);
  const month = two(b, s + 5);
  const day = two(b, s + 8);
  if (y1 < 0 || y2 < 0 || month < 1 || month > 12 || day < 1) return false;
  const year = y1 * 100 + y2;
  if (year < 100) return false; // Date.UTC would read years 0-99 as 1900-1999
  if (day > daysInMonth(year, month)) return false;
  if (len === 10) {
    out[r] = Date.UTC(year, month - 1, day);
    return true;
  }
  const sep = b[s + 10];
  if ((sep !== 0x54 && sep !== SPACE) || b[s + 13] !== 0x3a || b[s + 16] !== 0x3a) return false;
  const hour = two(b, s + 11);
  const minute = two(b, s + 14);
  const second = two(b, s + 17);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  let ms = 0;
  let rest = s + 19;
  if (len >= 23) {
    if (b[rest] !== DOT) return false;
    const h = two(b, rest + 1);
    const u = b[rest + 3]! - ZERO;
    if (h < 0 || u < 0 || u > 9) return false;
    ms = h * 10 + u;
    rest += 4;
  }
  if (rest < e && !(rest === e - 1 && (b[rest] === 0x5a || b[rest] === 0x7a))) return false;
  // A 'T' form without Z is also UTC here (no zone means UTC, see docs/market-data.md).
  out[r] = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  return true;
}

/** Options of one CSV parse. */
export interface CsvParseOptions {
  /** Symbol of a file without a symbol column (default: from the file name). */
  readonly symbol?: string;
  /** Size of the whole file in bytes, to size the columns once (optional). */
  readonly sizeBytes?: number;
}

/**
 * A CSV market file parsed incrementally: `push` each chunk of bytes (a line may span chunks; the
 * unconsumed tail is returned to be passed again with the next chunk), then `finish`. Refuses with the
 * same codes as the text loaders (HEADER_MISSING, COLUMN_*, VALUE_*, TIMESTAMP_INVALID, SYMBOL_EMPTY,
 * BAR_INVALID, CSV_MALFORMED), naming file, line and column.
 */
export class CsvFileParser {
  private readonly file: string;
  private readonly symbolOption: string | undefined;
  private readonly sizeBytes: number | undefined;
  /** 1-based number of the next line to be read. */
  private lineNo = 1;
  /** The first line, for the message when no header is found. */
  private firstLine: string | null = null;
  /** Whether every line before the header was blank. */
  private onlyBlank = true;
  private bom = true;
  private header: { cells: string[]; line: number; columns: CsvColumns | null } | null = null;
  private rows: RowColumnsBuilder | null = null;
  private readonly cells: CellBounds = {
    start: new Int32Array(64),
    end: new Int32Array(64),
    quoted: new Uint8Array(64),
    count: 0,
  };
  private readonly symbols: string[] = [];
  private readonly symbolIds = new Map<string, number>();
  private lastSymbolBytes: Uint8Array = new Uint8Array(0);
  private lastSymbolId = -1;
  private fileSymbolId = -1;
  private readonly units = { iso: 0, seconds: 0, milliseconds: 0 };
  private garbageLines = 0;
  private symbolSource: SymbolSource;
  private readonly warnings: string[] = [];

  constructor(file: string, options: CsvParseOptions = {}) {
    this.file = file;
    this.symbolOption = options.symbol;
    this.sizeBytes = options.sizeBytes;
    this.symbolSource = options.symbol === undefined ? 'file-name' : 'option';
  }

  /**
   * Parses the complete lines of `bytes`; returns how many bytes were consumed (the rest, a partial
   * line, must be passed again at the start of the next chunk). With `last`, everything is consumed.
   */
  push(bytes: Uint8Array, last: boolean): number {
    let i = 0;
    if (this.bom && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
    if (bytes.length > 0) this.bom = false;
    while (i < bytes.length) {
      if (this.header === null) {
        const end = rawLineEnd(bytes, i, last);
        if (end < 0) break;
        this.headerCandidate(utf8.decode(bytes.subarray(i, end)));
        this.lineNo++;
        i = this.afterLineEnd(bytes, end);
        continue;
      }
      const end = this.splitLine(bytes, i, last);
      if (end < 0) break; // partial line: wait for more bytes
      const next = this.afterLineEnd(bytes, end);
      this.line(bytes);
      this.lineNo++;
      i = next;
    }
    return i;
  }

  /** Byte offset just past the line terminator that starts at `end` (LF, CRLF or CR). */
  private afterLineEnd(b: Uint8Array, end: number): number {
    if (end >= b.length) return end;
    return b[end] === CR && b[end + 1] === LF ? end + 2 : end + 1;
  }

  /**
   * Splits the line starting at `s` into cells (bounds in this.cells); returns the offset of its
   * terminator, the end of the bytes for a final line, or -1 when the line is not complete yet.
   */
  private splitLine(b: Uint8Array, s: number, last: boolean): number {
    const cells = this.cells;
    cells.count = 0;
    let i = s;
    const n = b.length;
    for (;;) {
      // One cell: skip leading blanks, then a quoted or a plain value, then trailing blanks.
      while (i < n && (b[i] === SPACE || b[i] === TAB)) i++;
      let start = i;
      let end: number;
      let quoted = 0;
      if (i < n && b[i] === QUOTE) {
        quoted = 1;
        i++;
        start = i;
        for (;;) {
          while (i < n && b[i] !== QUOTE && b[i] !== LF && b[i] !== CR) i++;
          if (i >= n) {
            if (!last) return -1;
            throw refuse(
              'CSV_MALFORMED',
              { file: this.file, line: this.lineNo },
              null,
              'not valid CSV: a quote is not closed',
            );
          }
          if (b[i] !== QUOTE)
            throw refuse(
              'CSV_MALFORMED',
              { file: this.file, line: this.lineNo },
              null,
              'not valid CSV: a quote is not closed on its line (cells spanning lines are not supported)',
            );
          if (b[i + 1] === QUOTE) {
            quoted = 2; // an escaped quote inside: unescaped when the cell is read
            i += 2;
            continue;
          }
          break;
        }
        end = i;
        i++;
        while (i < n && (b[i] === SPACE || b[i] === TAB)) i++;
        if (i < n && b[i] !== COMMA && b[i] !== LF && b[i] !== CR)
          throw refuse(
            'CSV_MALFORMED',
            { file: this.file, line: this.lineNo },
            null,
            'not valid CSV: characters after a closing quote',
          );
      } else {
        while (i < n && STOPS[b[i]!] === 0) i++;
        if (i < n && b[i] === QUOTE)
          throw refuse(
            'CSV_MALFORMED',
            { file: this.file, line: this.lineNo },
            null,
            'not valid CSV: a quote inside an unquoted cell',
          );
        end = i;
        while (end > start && (b[end - 1] === SPACE || b[end - 1] === TAB)) end--;
      }
      if (cells.count === cells.start.length) this.growCells();
      cells.start[cells.count] = start;
      cells.end[cells.count] = end;
      cells.quoted[cells.count] = quoted;
      cells.count++;
      if (i >= n) {
        if (!last) return -1;
        return n;
      }
      if (b[i] === COMMA) {
        i++;
        continue;
      }
      // CR at the very end of a chunk may be the first half of CRLF: wait for the next byte.
      if (b[i] === CR && i + 1 >= n && !last) return -1;
      return i;
    }
  }

  private growCells(): void {
    const cells = this.cells;
    const grow = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const bigger = make(a.length * 2);
      bigger.set(a);
      return bigger;
    };
    cells.start = grow(cells.start, (n) => new Int32Array(n));
    cells.end = grow(cells.end, (n) => new Int32Array(n));
    cells.quoted = grow(cells.quoted, (n) => new Uint8Array(n));
  }

  /** The text of cell k (quotes removed, "" unescaped). */
  private cellText(b: Uint8Array, k: number): string {
    const text = utf8.decode(b.subarray(this.cells.start[k], this.cells.end[k]));
    return this.cells.quoted[k] === 2 ? text.replaceAll('""', '"') : text;
  }

  /** Handles one data line (cells already split); blank lines are skipped. */
  private line(b: Uint8Array): void {
    const cells = this.cells;
    if (cells.count === 1 && cells.start[0] === cells.end[0] && cells.quoted[0] === 0) return;
    this.row(b);
  }

  /** A line before the header: the header (line 1, or line 2 after one garbage line), else refused. */
  private headerCandidate(text: string): void {
    const blank = text.trim() === '';
    if (!blank && this.lineNo <= 2 && looksLikeHeader(text)) {
      this.garbageLines = this.lineNo - 1;
      this.header = { cells: splitHeaderCells(text), line: this.lineNo, columns: null };
      return;
    }
    if (this.firstLine === null) this.firstLine = text;
    this.onlyBlank &&= blank;
    // Blank lines alone may still turn out to be an empty file (FILE_EMPTY at the end).
    if (this.lineNo >= 2 && !this.onlyBlank) throw headerMissing(this.file, this.firstLine);
  }

  private startRows(b: Uint8Array): void {
    const header = this.header!;
    const fileSymbol = this.symbolOption ?? symbolFromFileName(this.file);
    const firstRow = Array.from({ length: this.cells.count }, (_, k) => this.cellText(b, k));
    const columns = mapCsvColumns(header.cells, { file: this.file, line: header.line }, firstRow, fileSymbol);
    header.columns = columns;
    this.warnings.push(...columns.warnings);
    if (columns.symbolIndex >= 0) {
      this.symbolSource = 'column';
      if (this.symbolOption !== undefined)
        this.warnings.push(
          `${this.file}: --symbol ${this.symbolOption} ignored, the file has a symbol column`,
        );
    } else {
      this.fileSymbolId = this.symbolId(fileSymbol);
    }
    // Size the columns from the file size and the length of this first row, so they rarely grow.
    const rowBytes = Math.max(16, this.cells.end[this.cells.count - 1]! - this.cells.start[0]! + 2);
    this.rows = new RowColumnsBuilder(
      this.sizeBytes === undefined ? 1024 : (this.sizeBytes / rowBytes) * 1.05 + 16,
    );
  }

  private symbolId(name: string): number {
    let id = this.symbolIds.get(name);
    if (id === undefined) {
      id = this.symbols.length;
      this.symbols.push(name);
      this.symbolIds.set(name, id);
    }
    return id;
  }

  /** The id of the symbol in cell k, comparing bytes with the previous row's before decoding. */
  private rowSymbol(b: Uint8Array, k: number): number {
    const start = this.cells.start[k]!;
    const end = this.cells.end[k]!;
    const last = this.lastSymbolBytes;
    if (end - start === last.length && this.cells.quoted[k] !== 2) {
      let same = true;
      for (let i = 0; i < last.length; i++)
        if (b[start + i] !== last[i]) {
          same = false;
          break;
        }
      if (same && this.lastSymbolId >= 0) return this.lastSymbolId;
    }
    const name = this.cellText(b, k);
    if (name === '')
      throw refuse(
        'SYMBOL_EMPTY',
        { file: this.file, line: this.lineNo },
        this.header!.cells[k]!.trim(),
        'symbol is empty',
      );
    this.lastSymbolBytes = b.slice(start, end);
    this.lastSymbolId = this.symbolId(name);
    return this.lastSymbolId;
  }

  /** Reads cell k as a number into out[r] (fast for plain decimals, else as readNumber does). */
  private numberInto(b: Uint8Array, k: number, column: string, out: Float64Array, r: number): void {
    const cells = this.cells;
    if (cells.quoted[k] === 0 && decimalInto(b, cells.start[k]!, cells.end[k]!, out, r)) return;
    out[r] = readNumber(this.cellText(b, k), { file: this.file, line: this.lineNo }, column);
  }

  /** Reads cell k as a bar open time into out[r], counting how it was written. */
  private timestampInto(b: Uint8Array, k: number, column: string, out: Float64Array, r: number): void {
    const s = this.cells.start[k]!;
    const e = this.cells.end[k]!;
    if (this.cells.quoted[k] === 0) {
      const unit = epochInto(b, s, e, out, r);
      if (unit === 1) {
        this.units.seconds++;
        return;
      }
      if (unit === 2) {
        this.units.milliseconds++;
        return;
      }
      if (isoInto(b, s, e, out, r)) {
        this.units.iso++;
        return;
      }
    }
    const { ts, unit } = readTimestamp(this.cellText(b, k), { file: this.file, line: this.lineNo }, column);
    this.units[unit]++;
    out[r] = ts;
  }

  private row(b: Uint8Array): void {
    if (this.rows === null) this.startRows(b);
    const header = this.header!;
    const { index, names, symbolIndex } = header.columns!;
    const cells = this.cells;
    if (cells.count !== header.cells.length)
      throw refuse(
        'COLUMN_COUNT',
        { file: this.file, line: this.lineNo },
        null,
        `expected ${header.cells.length} columns (${header.cells.join(',')}), found ${cells.count}`,
      );
    const symbol = symbolIndex >= 0 ? this.rowSymbol(b, symbolIndex) : this.fileSymbolId;
    const rows = this.rows!;
    const r = rows.next();
    const c = rows.cols;
    this.timestampInto(b, index.ts, names.ts, c.ts, r);
    this.numberInto(b, index.open, names.open, c.open, r);
    this.numberInto(b, index.high, names.high, c.high, r);
    this.numberInto(b, index.low, names.low, c.low, r);
    this.numberInto(b, index.close, names.close, c.close, r);
    this.numberInto(b, index.volume, names.volume, c.volume, r);
    const open = c.open[r]!;
    const high = c.high[r]!;
    const low = c.low[r]!;
    const close = c.close[r]!;
    const volume = c.volume[r]!;
    // The usual valid bar in one test; barValuesProblem names the cause otherwise.
    if (
      !(
        open > 0 &&
        close > 0 &&
        low > 0 &&
        high >= open &&
        high >= close &&
        low <= open &&
        low <= close &&
        volume >= 0
      )
    ) {
      const problem = barValuesProblem(open, high, low, close, volume);
      if (problem !== null) {
        const field = problem.split(' ', 1)[0] as keyof typeof names;
        throw refuse('BAR_INVALID', { file: this.file, line: this.lineNo }, names[field] ?? field, problem, {
          symbol: this.symbols[symbol],
        });
      }
    }
    c.line[r] = this.lineNo;
    c.symbol[r] = symbol;
    rows.commit();
  }

  /** The parsed file. Refuses a file without a header (HEADER_MISSING) or without data rows (FILE_EMPTY). */
  finish(): ParsedFile {
    if (this.header === null) {
      if (this.onlyBlank) throw refuse('FILE_EMPTY', { file: this.file }, null, 'the file is empty');
      throw headerMissing(this.file, this.firstLine ?? '');
    }
    const header = this.header;
    if (this.rows === null || header.columns === null)
      throw refuse(
        'FILE_EMPTY',
        { file: this.file, line: header.line },
        null,
        'the file has a header but no data rows',
      );
    const { columns } = header;
    const rows = this.rows.columns();
    return {
      ...settleRows(rows, this.symbols.length),
      file: this.file,
      layout: columns.layout,
      symbolSource: this.symbolSource,
      symbols: this.symbols,
      rows,
      rowNumbers: null,
      columns: columns.names,
      tsUnits: { ...this.units },
      garbageLinesSkipped: this.garbageLines,
      ignoredColumns: columns.ignored,
      warnings: this.warnings,
    };
  }
}

/** Parses a whole CSV text (tests, text sources): the same parser fed one chunk. */
export function parseCsvFile(file: string, text: string, symbol?: string): ParsedFile {
  const parser = new CsvFileParser(file, { symbol });
  parser.push(new TextEncoder().encode(text), true);
  return parser.finish();
}
