// Writes MarketData as the plain long CSV layout: timestamp,symbol,open,high,low,close,volume.
import type { MarketData } from './market-data.js';

/** Header of the plain layout the loaders read back. */
export const PLAIN_CSV_HEADER = 'timestamp,symbol,open,high,low,close,volume';

/** CSV text of `data`, ISO timestamps, one row per symbol and frame, frames oldest first. */
export function formatMarketCsv(data: MarketData): string {
  const n = data.symbols.length;
  const lines: string[] = [PLAIN_CSV_HEADER];
  for (let t = 0; t < data.length; t++) {
    const iso = new Date(data.ts[t]!).toISOString();
    for (let i = 0; i < n; i++) {
      const k = t * n + i;
      lines.push(
        `${iso},${data.symbols[i]},${data.open[k]},${data.high[k]},${data.low[k]},${data.close[k]},${data.volume[k]}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
