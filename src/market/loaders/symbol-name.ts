// The symbol of a one-symbol file, taken from its name when no option names it.
import { basename } from 'node:path';

/**
 * Symbol named by a file name: the base name without extension, without a trailing timeframe suffix
 * (`-1h`, `_15m`, `.1d`), with its first `_` turned into `/`. `BTC_USDT-1h.csv` -> `BTC/USDT`,
 * `data/eth.json` -> `eth`, `SOL_USDT.csv` -> `SOL/USDT`. Case is kept.
 */
export function symbolFromFileName(file: string): string {
  const stem = basename(file).replace(/\.[^.]*$/, '');
  const withoutTimeframe = stem.replace(/[-_.]\d+[mhdw]$/, '');
  return (withoutTimeframe || stem).replace('_', '/');
}
