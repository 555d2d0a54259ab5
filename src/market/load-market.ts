// Loads market data files from disk: the only module of market/ that reads files. CSV is streamed in
// chunks straight into typed columns; a parsed file can be kept in a binary cache keyed by its hash.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBarsCache, encodeBarsCache, readBarsCacheHeader } from './loaders/bars-cache.js';
import { CsvFileParser } from './loaders/csv-loader.js';
import { parseJsonFile } from './loaders/json-loader.js';
import {
  checkLoadOptions,
  isJsonStart,
  type LoadedMarket,
  type LoadMarketOptions,
  loadParsedFiles,
} from './loaders/load-sources.js';
import { refuse } from './loaders/refusal.js';
import type { ParsedFile } from './loaders/source-row.js';

export {
  type DataReport,
  DataReportSchema,
  type LoadedMarket,
  type LoadMarketOptions,
} from './loaders/index.js';

/** Bytes read at a time: large enough for few system calls, small enough to keep memory flat. */
const CHUNK_BYTES = 4 << 20;
/** Files smaller than this are parsed each time (a cache would save nothing worth a file). */
export const CACHE_MIN_BYTES = 1 << 20;
/** Changes whenever the parse of the same bytes could give a different result. */
const PARSER_VERSION = 'bars-parser-1';

/** Where and whether parsed files are cached. */
export interface MarketCacheOptions {
  /** Folder of the binary cache (e.g. <root>/cache/market); no cache when absent. */
  readonly cacheDir?: string;
  /** Smallest file cached (default CACHE_MIN_BYTES). */
  readonly cacheMinBytes?: number;
}

/** What the last load of each path did with the cache (for tests and the bench). */
export type CacheUse = 'hit' | 'written' | 'off';

function unreadable(path: string, error: unknown) {
  return refuse('FILE_UNREADABLE', { file: path }, null, `cannot read the file: ${(error as Error).message}`);
}

/** An open file read sequentially in chunks. */
class FileReader {
  readonly fd: number;
  readonly size: number;
  /** Device, inode, size, modification and change times: see CacheHeader.sourceStat. */
  readonly stat: string;

  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'r');
      const st = fstatSync(this.fd, { bigint: true });
      this.size = Number(st.size);
      this.stat = [st.dev, st.ino, st.size, st.mtimeNs, st.ctimeNs].join(':');
    } catch (error) {
      throw unreadable(path, error);
    }
  }

  /** Reads into buf[offset..] from file position `position`; returns the bytes read (0 at the end). */
  read(buf: Uint8Array, offset: number, position: number): number {
    try {
      return readSync(this.fd, buf, offset, buf.length - offset, position);
    } catch (error) {
      throw unreadable(this.path, error);
    }
  }

  /** sha256 of the whole file, hex. */
  sha256(): string {
    const hash = createHash('sha256');
    const buf = new Uint8Array(Math.min(CHUNK_BYTES, Math.max(1, this.size)));
    for (let position = 0; ; ) {
      const n = this.read(buf, 0, position);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      position += n;
    }
    return hash.digest('hex');
  }

  /** The first character that is not blank (after a byte-order mark), or undefined for a blank file. */
  firstNonBlank(): string | undefined {
    const buf = new Uint8Array(Math.min(65_536, Math.max(1, this.size)));
    for (let position = 0; ; ) {
      const n = this.read(buf, 0, position);
      if (n === 0) return undefined;
      const text = new TextDecoder().decode(buf.subarray(0, n)).replace(/^\uFEFF/, '');
      const c = text.trimStart()[0];
      if (c !== undefined) return c;
      position += n;
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Streams a CSV file through the parser, a chunk at a time (a line may span chunks). */
function streamCsv(reader: FileReader, symbol: string | undefined): ParsedFile {
  const parser = new CsvFileParser(reader.path, { symbol, sizeBytes: reader.size });
  let buf = new Uint8Array(Math.min(CHUNK_BYTES, reader.size + 1));
  let filled = 0;
  for (let position = 0; ; ) {
    if (filled === buf.length) {
      // A single line longer than the buffer: grow it.
      const bigger = new Uint8Array(buf.length * 2);
      bigger.set(buf);
      buf = bigger;
    }
    const n = reader.read(buf, filled, position);
    position += n;
    const total = filled + n;
    const consumed = parser.push(buf.subarray(0, total), n === 0);
    if (n === 0) break;
    buf.copyWithin(0, consumed, total);
    filled = total - consumed;
  }
  return parser.finish();
}

function parseFile(reader: FileReader, symbol: string | undefined): ParsedFile {
  const start = reader.firstNonBlank();
  if (start === undefined) throw refuse('FILE_EMPTY', { file: reader.path }, null, 'the file is empty');
  if (!isJsonStart(start)) return streamCsv(reader, symbol);
  const bytes = new Uint8Array(reader.size);
  let got = 0;
  while (got < reader.size) {
    const n = reader.read(bytes, got, got);
    if (n === 0) break;
    got += n;
  }
  return parseJsonFile(
    reader.path,
    new TextDecoder().decode(bytes.subarray(0, got)).replace(/^\uFEFF/, ''),
    symbol,
  );
}

/** The cache file of `path` read with `symbol`: one per source, replaced when the source changes. */
function cachePath(cacheDir: string, path: string, symbol: string | undefined): string {
  const id = createHash('sha256')
    .update(JSON.stringify([PARSER_VERSION, path, symbol ?? null]))
    .digest('hex');
  return join(cacheDir, `${id.slice(0, 32)}.bars`);
}

/** The whole cache file in one buffer (its columns are used in place), or null when there is none. */
function readCacheFile(file: string): ArrayBuffer | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const size = fstatSync(fd).size;
    const buffer = new ArrayBuffer(size);
    const view = new Uint8Array(buffer);
    for (let got = 0; got < size; ) {
      const n = readSync(fd, view, got, size - got, got);
      if (n === 0) return null;
      got += n;
    }
    return buffer;
  } catch {
    return null; // an unreadable cache is rebuilt, never trusted
  } finally {
    closeSync(fd);
  }
}

/** Writes the cache atomically (temporary file, rename); a failure only costs the next load a parse. */
function writeCache(file: string, parsed: ParsedFile, sha256: string, stat: string): boolean {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(join(file, '..'), { recursive: true });
    const fd = openSync(tmp, 'w');
    try {
      for (const piece of encodeBarsCache(parsed, sha256, stat)) writeSync(fd, piece);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    return true;
  } catch {
    return false;
  }
}

/**
 * The cached parse of `reader`'s file, or null. Valid when the source's bytes hash to what the cache was
 * made from; the hash is skipped while the source's stat (inode, size, times) is what it was then.
 */
function fromCache(where: string, reader: FileReader): { file: ParsedFile | null; sha256: string } {
  const buffer = readCacheFile(where);
  const header = buffer === null ? null : readBarsCacheHeader(buffer);
  if (header !== null && header.sourceStat === reader.stat)
    return { file: decodeBarsCache(buffer!, header, reader.path), sha256: header.sourceSha256 };
  const sha256 = reader.sha256();
  if (header === null || header.sourceSha256 !== sha256) return { file: null, sha256 };
  const file = decodeBarsCache(buffer!, header, reader.path);
  // Same bytes, new stat (copied, touched): record the stat so the next load skips the hash.
  if (file !== null) writeCache(where, file, sha256, reader.stat);
  return { file, sha256 };
}

/**
 * Reads one market file: from the cache when its bytes hash to what the cache was made from, else
 * parsed (CSV streamed in chunks) and cached for next time. Returns the parsed file and what the cache did.
 */
export function readMarketFile(
  path: string,
  symbol: string | undefined,
  cache: MarketCacheOptions = {},
): { file: ParsedFile; cache: CacheUse } {
  const reader = new FileReader(path);
  try {
    const useCache = cache.cacheDir !== undefined && reader.size >= (cache.cacheMinBytes ?? CACHE_MIN_BYTES);
    if (!useCache) return { file: parseFile(reader, symbol), cache: 'off' };
    const where = cachePath(cache.cacheDir!, path, symbol);
    const cached = fromCache(where, reader);
    if (cached.file !== null) return { file: cached.file, cache: 'hit' };
    const file = parseFile(reader, symbol);
    return { file, cache: writeCache(where, file, cached.sha256, reader.stat) ? 'written' : 'off' };
  } finally {
    reader.close();
  }
}

/**
 * Reads `paths` (CSV or JSON, see docs/market-data.md) and returns the complete frames of their symbols
 * with a JSON-serialisable report. Synchronous; CSV is streamed, so memory grows with the rows kept
 * (about 56 bytes a row), not with the file's text. Throws a DataError naming file, line and field for
 * data it refuses, a ConfigError for bad options.
 */
export function loadMarketFiles(
  paths: readonly string[],
  options: LoadMarketOptions & MarketCacheOptions = {},
): LoadedMarket {
  checkLoadOptions(paths, options);
  const files = paths.map((path) => readMarketFile(path, options.symbol, options).file);
  return loadParsedFiles(files, options);
}
