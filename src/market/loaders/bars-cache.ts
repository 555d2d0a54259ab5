// The compact binary form of a parsed market file, for repeated loads: typed columns behind a JSON header.
import type { RowColumns } from './row-columns.js';
import type { ParsedFile } from './source-row.js';

/** Magic and version at the start of every cache file; a different version is ignored and rebuilt. */
const MAGIC = 'hybrid-trader bars v2';
const F64_COLUMNS = ['ts', 'open', 'high', 'low', 'close', 'volume'] as const;
const U32_COLUMNS = ['line', 'symbol'] as const;

/** What a cache file holds besides the columns: the source's identity and the parse's findings. */
export interface CacheHeader {
  readonly magic: string;
  /** sha256 (hex) of the source file's bytes the columns were parsed from: what the cache is valid for. */
  readonly sourceSha256: string;
  /**
   * The source's device, inode, size, modification and change times (ns) when it was hashed: while they
   * are all the same the bytes are too (every write changes the change time), so the hash need not be
   * computed again.
   */
  readonly sourceStat: string;
  readonly rows: number;
  readonly file: Omit<ParsedFile, 'rows' | 'rowNumbers'> & { readonly hasRowNumbers: boolean };
}

const pad8 = (n: number) => Math.ceil(n / 8) * 8;

/**
 * The bytes of the cache of `file` (parsed from a source whose sha256 is `sourceSha256`): an 8-byte
 * little-endian header length, the JSON header, padding to 8 bytes, then the Float64 columns and the
 * Uint32 columns (and JSON row numbers), each `rows` long. Returned as pieces to write one after another.
 */
export function encodeBarsCache(file: ParsedFile, sourceSha256: string, sourceStat: string): Uint8Array[] {
  const { rows, rowNumbers, ...rest } = file;
  const header: CacheHeader = {
    magic: MAGIC,
    sourceSha256,
    sourceStat,
    rows: rows.length,
    file: { ...rest, hasRowNumbers: rowNumbers !== null },
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const head = new Uint8Array(pad8(8 + json.length));
  new DataView(head.buffer).setUint32(0, json.length, true);
  head.set(json, 8);
  const bytes = (a: Float64Array | Uint32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const pieces = [head, ...F64_COLUMNS.map((c) => bytes(rows[c])), ...U32_COLUMNS.map((c) => bytes(rows[c]))];
  if (rowNumbers !== null) pieces.push(bytes(rowNumbers));
  // Keep the total a multiple of 8 (an odd row count leaves the Uint32 columns 4 bytes short).
  const total = pieces.reduce((n, p) => n + p.length, 0);
  if (total % 8 !== 0) pieces.push(new Uint8Array(8 - (total % 8)));
  return pieces;
}

/** The header of a cache file of this version, or null (another version, damaged, not a cache). */
export function readBarsCacheHeader(buffer: ArrayBuffer): CacheHeader | null {
  if (buffer.byteLength < 8) return null;
  const length = new DataView(buffer).getUint32(0, true);
  if (8 + length > buffer.byteLength) return null;
  try {
    const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, length))) as CacheHeader;
    return header.magic === MAGIC ? header : null;
  } catch {
    return null;
  }
}

/**
 * The parsed file stored in `buffer` (the whole cache file, whose `header` was read and judged valid;
 * the columns become views of the buffer, no copy), or null when the file is truncated. `path`
 * replaces the stored path (the one given now is named in messages).
 */
export function decodeBarsCache(buffer: ArrayBuffer, header: CacheHeader, path: string): ParsedFile | null {
  const length = new DataView(buffer).getUint32(0, true);
  const n = header.rows;
  let offset = pad8(8 + length);
  const needed =
    offset + n * 8 * F64_COLUMNS.length + n * 4 * (U32_COLUMNS.length + (header.file.hasRowNumbers ? 1 : 0));
  if (needed > buffer.byteLength) return null;
  const f64 = () => {
    const a = new Float64Array(buffer, offset, n);
    offset += n * 8;
    return a;
  };
  const u32 = () => {
    const a = new Uint32Array(buffer, offset, n);
    offset += n * 4;
    return a;
  };
  const rows: RowColumns = {
    length: n,
    ts: f64(),
    open: f64(),
    high: f64(),
    low: f64(),
    close: f64(),
    volume: f64(),
    line: u32(),
    symbol: u32(),
  };
  const { hasRowNumbers, ...file } = header.file;
  return { ...file, file: path, rows, rowNumbers: hasRowNumbers ? u32() : null };
}
