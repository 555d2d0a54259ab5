// Writes MarketData as the plain long CSV layout: timestamp,symbol,open,high,low,close,volume.
import type { MarketData } from './market-data.js';

/** Header of the plain layout the loaders read back. */
export const PLAIN_CSV_HEADER = 'timestamp,symbol,open,high,low,close,volume';

/** CSV text of `data`, ISO timestamps, one row per symbol and frame, frames oldest first. */
export function formatMarketCsv(data: MarketData): string {
  return [...marketCsvChunks(data)].join('');
}

/**
 * The CSV text of formatMarketCsv in pieces of about `framesPerChunk` frames each (header first), so
 * millions of bars can be written without one string holding them all.
 */
export function* marketCsvChunks(data: MarketData, framesPerChunk = 4096): Generator<string> {
  const n = data.symbols.length;
  yield `${PLAIN_CSV_HEADER}\n`;
  for (let from = 0; from < data.length; from += framesPerChunk) {
    const lines: string[] = [];
    for (let t = from; t < Math.min(data.length, from + framesPerChunk); t++) {
      const iso = new Date(data.ts[t]!).toISOString();
      for (let i = 0; i < n; i++) {
        const k = t * n + i;
        lines.push(
          `${iso},${data.symbols[i]},${data.open[k]},${data.high[k]},${data.low[k]},${data.close[k]},${data.volume[k]}\n`,
        );
      }
    }
    yield lines.join('');
  }
}
