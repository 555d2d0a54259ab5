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

/** The timeframe a file name declares by its suffix (`BTC_USDT-1h.csv` -> 1h), or null. */
export function timeframeFromFileName(file: string): { text: string; ms: number } | null {
  const stem = basename(file).replace(/\.[^.]*$/, '');
  const m = /[-_.](\d+)([mhdw])$/.exec(stem);
  if (m === null || Number(m[1]) <= 0) return null;
  return { text: `${m[1]}${m[2]}`, ms: Number(m[1]) * UNIT_MS[m[2] as 'm' | 'h' | 'd' | 'w'] };
}

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
