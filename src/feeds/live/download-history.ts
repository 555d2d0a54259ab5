// Downloads closed bars of several symbols into one CSV, window by window, continuing an earlier download.
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../../core/errors.js';
import { timeframeToMs } from '../../core/timeframe.js';
import { type Bar, barProblem } from '../../market/bar.js';
import { PLAIN_CSV_HEADER } from '../../market/csv-writer.js';
import { lastClosedBarTs } from './closed-bars.js';
import { formatCsvRow, scanDownloadedCsv } from './download-csv.js';
import type { ExchangeClient } from './exchange-client.js';
import { fetchClosedCandles } from './fetch-candles.js';
import type { RetryContext } from './retry.js';

export interface DownloadOptions {
  readonly client: ExchangeClient;
  /** Symbols in the order rows of one time are written. */
  readonly symbols: readonly string[];
  readonly timeframe: string;
  /** First bar time wanted, epoch ms. */
  readonly sinceTs: number;
  /** End, exclusive, epoch ms; default (and at most) the latest bar closed at `now()`. */
  readonly untilTs?: number | undefined;
  /** The CSV: created with a header, or continued after each symbol's last row. */
  readonly outPath: string;
  readonly now: () => number;
  readonly retry: RetryContext;
  /** After each window is written. */
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** Checked between windows: true stops the download after the last complete window (SIGINT). */
  readonly stopRequested?: () => boolean;
  /** fsync each window (default true): a crash loses at most the window being written. */
  readonly fsync?: boolean;
}

export interface DownloadProgress {
  /** Bar slots covered so far (symbols x bar times, whether the exchange had a bar there or not). */
  readonly done: number;
  readonly total: number;
  /** Rows written in this run so far. */
  readonly rowsWritten: number;
  /** End of the window just written, epoch ms. */
  readonly throughTs: number;
}

export interface DownloadResult {
  readonly outPath: string;
  readonly created: boolean;
  /** Rows the file held before (0 when created). */
  readonly rowsBefore: number;
  readonly rowsWritten: number;
  /** Per symbol: where this run started (after the file's last row, or `sinceTs`). */
  readonly startTs: Readonly<Record<string, number>>;
  /** The last bar time asked for (inclusive), epoch ms; less than `sinceTs` when nothing was due. */
  readonly throughTs: number;
  /** Invalid candles the exchange returned (price <= 0, high < low, ...): not written. */
  readonly invalid: readonly { symbol: string; ts: number; problem: string }[];
  /** Bytes of a torn last line (an earlier run killed mid-write) cut off before continuing. */
  readonly repairedBytes: number;
  /** True when stopped on request before the end. */
  readonly stopped: boolean;
}

/** Appends `text` to the open file and, if asked, waits until it is on disk. */
function appendDurably(fd: number, text: string, fsync: boolean): void {
  const buffer = Buffer.from(text, 'utf8');
  for (let off = 0; off < buffer.length; ) off += writeSync(fd, buffer, off, buffer.length - off);
  if (fsync) fsyncSync(fd);
}

/**
 * Pages through history from `sinceTs` to `untilTs` (exclusive) in windows of `client.pageLimit` bars and
 * appends each window's valid closed bars as complete rows (time, then symbol order). An existing file
 * is continued: each symbol from the bar after its last row, so no row is written twice; a torn last line
 * is cut off first. Refuses (ConfigError OUTPUT_NOT_RESUMABLE) a file whose header is not the plain long
 * layout. Invalid candles are left out and reported; missing bars are left missing (never filled).
 */
export async function downloadHistory(options: DownloadOptions): Promise<DownloadResult> {
  const { client, symbols, timeframe, outPath, retry } = options;
  const timeframeMs = timeframeToMs(timeframe);
  const fsync = options.fsync ?? true;
  const nowMs = options.now();
  const closedEnd = lastClosedBarTs(nowMs, timeframeMs) + timeframeMs; // bars before it have closed
  const throughTs = Math.min(options.untilTs ?? closedEnd, closedEnd) - 1;

  let rowsBefore = 0;
  let repairedBytes = 0;
  let needsHeader = true;
  const created = !existsSync(outPath);
  const startTs: Record<string, number> = {};
  for (const s of symbols) startTs[s] = options.sinceTs;
  if (!created) {
    const raw = readFileSync(outPath);
    const scan = scanDownloadedCsv(raw.toString('utf8'));
    if (scan.intactLength > 0 && !scan.headerOk)
      throw new ConfigError(
        'OUTPUT_NOT_RESUMABLE',
        `--out ${outPath} exists and is not a CSV written by data fetch (line 1 should be "${PLAIN_CSV_HEADER}"); choose another --out or remove it`,
        { path: outPath },
      );
    const intactBytes = Buffer.byteLength(raw.toString('utf8').slice(0, scan.intactLength), 'utf8');
    repairedBytes = raw.length - intactBytes;
    if (repairedBytes > 0) truncateSync(outPath, intactBytes);
    needsHeader = intactBytes === 0;
    rowsBefore = scan.rows;
    for (const s of symbols) {
      const last = scan.lastTs.get(s);
      if (last !== undefined) startTs[s] = Math.max(options.sinceTs, last + timeframeMs);
    }
  } else {
    mkdirSync(dirname(outPath), { recursive: true });
  }

  const total = symbols.reduce(
    (n, s) => n + Math.max(0, Math.floor((throughTs - startTs[s]!) / timeframeMs) + 1),
    0,
  );
  const invalid: { symbol: string; ts: number; problem: string }[] = [];
  let done = 0;
  let rowsWritten = 0;
  let stopped = false;
  const fd = openSync(outPath, 'a');
  try {
    if (needsHeader) appendDurably(fd, `${PLAIN_CSV_HEADER}\n`, fsync);
    const windowMs = client.pageLimit * timeframeMs;
    const first = Math.min(...symbols.map((s) => startTs[s]!));
    for (let from = first; from <= throughTs; from += windowMs) {
      if (options.stopRequested?.()) {
        stopped = true;
        break;
      }
      const to = Math.min(from + windowMs - 1, throughTs);
      const rows: { ts: number; i: number; bar: Bar }[] = [];
      for (const [i, symbol] of symbols.entries()) {
        const fromTs = Math.max(from, startTs[symbol]!);
        if (fromTs > to) continue;
        const got = await fetchClosedCandles(
          client,
          { symbol, timeframe, timeframeMs, fromTs, toTs: to, nowMs },
          retry,
        );
        for (const bar of got.closed.values()) {
          const problem = barProblem(bar);
          if (problem === null) rows.push({ ts: bar.ts, i, bar });
          else invalid.push({ symbol, ts: bar.ts, problem });
        }
        done += Math.floor((to - fromTs) / timeframeMs) + 1;
      }
      rows.sort((a, b) => a.ts - b.ts || a.i - b.i);
      if (rows.length > 0)
        appendDurably(fd, `${rows.map((r) => formatCsvRow(symbols[r.i]!, r.bar)).join('\n')}\n`, fsync);
      rowsWritten += rows.length;
      options.onProgress?.({ done, total, rowsWritten, throughTs: to });
    }
  } finally {
    closeSync(fd);
  }
  return { outPath, created, rowsBefore, rowsWritten, startTs, throughTs, invalid, repairedBytes, stopped };
}
