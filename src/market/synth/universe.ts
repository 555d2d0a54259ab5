// The synthetic universe: per-asset profiles (start price, beta, idiosyncratic vol, volume) for any symbol.
import { hashString, mix32 } from '../../core/random.js';

/** How one synthetic asset behaves. Vols and volumes are per hour; prices in quote currency. */
export interface AssetProfile {
  /** Price of the first bar's open. */
  readonly startPrice: number;
  /** Loading on the common market factor (hourly log returns). */
  readonly beta: number;
  /** Standard deviation of the idiosyncratic hourly log return (unconditional, before regimes). */
  readonly idioVolPerHour: number;
  /** Typical traded notional per hour, quote currency (volume in base units = notional / price). */
  readonly quoteVolumePerHour: number;
}

/** The default universe, in order: seven liquid USDT pairs. */
export const DEFAULT_SYNTH_SYMBOLS: readonly string[] = Object.freeze([
  'BTC/USDT',
  'ETH/USDT',
  'SOL/USDT',
  'AVAX/USDT',
  'LINK/USDT',
  'LTC/USDT',
  'UNI/USDT',
]);

/** Profiles of the default symbols: start prices near 2024-01-01, betas and vols near their 2023-24 levels. */
const KNOWN_PROFILES: Readonly<Record<string, AssetProfile>> = {
  'BTC/USDT': { startPrice: 42_000, beta: 0.9, idioVolPerHour: 0.0025, quoteVolumePerHour: 60e6 },
  'ETH/USDT': { startPrice: 2_300, beta: 1.1, idioVolPerHour: 0.0035, quoteVolumePerHour: 35e6 },
  'SOL/USDT': { startPrice: 100, beta: 1.35, idioVolPerHour: 0.006, quoteVolumePerHour: 15e6 },
  'AVAX/USDT': { startPrice: 38, beta: 1.3, idioVolPerHour: 0.0065, quoteVolumePerHour: 5e6 },
  'LINK/USDT': { startPrice: 15, beta: 1.15, idioVolPerHour: 0.0055, quoteVolumePerHour: 5e6 },
  'LTC/USDT': { startPrice: 72, beta: 1, idioVolPerHour: 0.005, quoteVolumePerHour: 3e6 },
  'UNI/USDT': { startPrice: 6.5, beta: 1.2, idioVolPerHour: 0.006, quoteVolumePerHour: 3e6 },
};

const UINT32_RANGE = 4_294_967_296;

/**
 * The profile of `symbol`: the table above for the default symbols; for any other symbol a
 * deterministic profile derived from its name alone (same on every machine and for every seed):
 * start price log-uniform in [0.1, 1000), beta in [0.9, 1.4), idiosyncratic vol in [0.4, 0.8) %/h,
 * notional log-uniform in [1e6, 1e7) per hour.
 */
export function assetProfile(symbol: string): AssetProfile {
  const known = KNOWN_PROFILES[symbol];
  if (known) return known;
  const h1 = mix32(hashString(symbol));
  const h2 = mix32(h1);
  const h3 = mix32(h2);
  const h4 = mix32(h3);
  const u = (h: number) => h / UINT32_RANGE;
  // exp(x ln 10) rather than 10 ** x: only exp/log/sqrt/cos are relied on to agree across machines.
  const pow10 = (x: number) => Math.exp(x * Math.LN10);
  return {
    startPrice: pow10(-1 + 4 * u(h1)),
    beta: 0.9 + 0.5 * u(h2),
    idioVolPerHour: 0.004 + 0.004 * u(h3),
    quoteVolumePerHour: pow10(6 + u(h4)),
  };
}
