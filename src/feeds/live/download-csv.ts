// The CSV `data fetch` writes (the plain long layout the loaders read) and what an earlier download left.
import type { Bar } from '../../market/bar.js';
import { PLAIN_CSV_HEADER } from '../../market/csv-writer.js';

/** One row of the plain long layout: `timestamp,symbol,open,high,low,close,volume`, ISO time. */
export function formatCsvRow(symbol: string, bar: Bar): string {
  return `${new Date(bar.ts).toISOString()},${symbol},${bar.open},${bar.high},${bar.low},${bar.close},${bar.volume}`;
}

/** What an existing download holds. */
export interface DownloadedCsv {
  /** Whether line 1 is the plain long header (else the file is not one `data fetch` can continue). */
  readonly headerOk: boolean;
  /** The last bar time of each symbol (the latest of its rows). */
  readonly lastTs: ReadonlyMap<string, number>;
  readonly rows: number;
  /**
   * Characters up to the end of the last complete line: a hard kill mid-write can leave a torn last line
   * (no newline); it is cut off before the download continues.
   */
  readonly intactLength: number;
}

/** Scans the text of an earlier download. Rows whose time or symbol cannot be read are not counted. */
export function scanDownloadedCsv(text: string): DownloadedCsv {
  const intactLength = text.lastIndexOf('\n') + 1;
  const lines = text.slice(0, intactLength).split('\n');
  const headerOk = lines[0]?.replace(/^\uFEFF/, '').trim() === PLAIN_CSV_HEADER;
  const lastTs = new Map<string, number>();
  let rows = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const a = line.indexOf(',');
    const b = line.indexOf(',', a + 1);
    if (a < 0 || b < 0) continue;
    const ts = Date.parse(line.slice(0, a));
    const symbol = line.slice(a + 1, b);
    if (!Number.isFinite(ts) || symbol === '') continue;
    rows++;
    if (ts > (lastTs.get(symbol) ?? Number.NEGATIVE_INFINITY)) lastTs.set(symbol, ts);
  }
  return { headerOk, lastTs, rows, intactLength };
}
