// The `exchange` section of hybrid.config.json: which exchange, symbols and timeframe the live feed polls, how.
import { z } from 'zod';

import { parseConfig } from '../../core/schema-issues.js';
import { DEFAULT_SYNTH_SYMBOLS } from '../../market/synth/universe.js';

/** Retries of one exchange request: exponential backoff with jitter, never faster than ccxt's rateLimit. */
export const RetryPolicySchema = z.strictObject({
  /** Attempts of one request before it counts as failed (the live feed then waits and polls again). */
  maxAttempts: z.int().min(1).max(100).default(5),
  /** Delay before the first retry, ms; doubles with each further attempt. */
  baseDelayMs: z.int().min(0).max(3_600_000).default(1_000),
  /** Cap of one delay, ms (also the pause between polls while the exchange is unreachable). */
  maxDelayMs: z.int().min(0).max(3_600_000).default(60_000),
  /** Each delay is scaled by a uniform factor in [1 - jitter, 1 + jitter]. */
  jitter: z.number().min(0).max(1).default(0.5),
});
export type RetryPolicy = z.infer<typeof RetryPolicySchema>;

/** Timeframes whose bars open on the epoch-aligned grid (minutes, hours, days); weekly bars do not. */
const LIVE_TIMEFRAME = /^[1-9]\d*[mhd]$/;

export const ExchangeConfigSchema = z.strictObject({
  /** ccxt exchange id (`binance`, `kraken`, ...): public market data only, no API key. */
  id: z.string().min(1).default('binance'),
  /**
   * Base URL replacing the exchange's API host (a proxy, or the fake exchange in tests); the path of each
   * endpoint is kept: `http://127.0.0.1:8999` serves binance's `/api/v3/klines` as `http://127.0.0.1:8999/api/v3/klines`.
   */
  apiUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** The universe, in model order, as ccxt unified symbols (`BTC/USDT`). */
  symbols: z
    .array(z.string().min(1))
    .min(1)
    .refine((s) => new Set(s).size === s.length, 'symbols must be unique')
    .default(() => [...DEFAULT_SYNTH_SYMBOLS]),
  /** Bar length: minutes, hours or days (`15m`, `1h`, `1d`). */
  timeframe: z.string().regex(LIVE_TIMEFRAME, 'timeframe must look like 15m, 1h, 4h or 1d').default('1h'),
  /** Wait after each bar close before polling, s: lets the exchange finalise the candle. */
  pollDelaySeconds: z.number().min(0).max(3_600).default(10),
  /** Interval between polls while a closed frame still lacks a bar, s. */
  repollSeconds: z.number().min(1).max(3_600).default(15),
  /** How long after its close a frame may still lack a bar before it is logged and skipped, s. */
  missingBarDeadlineSeconds: z.number().min(0).max(86_400).default(600),
  /** Closed frames loaded before the first step so indicators have history (no step on them). */
  warmupBars: z.int().min(0).max(100_000).default(1_000),
  /**
   * How long start-up (the market check and the warm-up) keeps trying an exchange that fails with
   * retryable errors (429, 5xx, timeouts, network) once a request's own retries are spent, s; each try is
   * logged; past it, start fails naming the deadline. 0: start fails after a request's retries.
   */
  startupDeadlineSeconds: z.number().min(0).max(86_400).default(300),
  /** Timeout of one HTTP request, ms. */
  requestTimeoutMs: z.int().min(100).max(600_000).default(10_000),
  retry: RetryPolicySchema.default(RetryPolicySchema.parse({})),
});

/** The resolved section (every default filled in). */
export type ExchangeConfig = z.infer<typeof ExchangeConfigSchema>;
/** What a file or flags may give (all optional). */
export type ExchangeConfigInput = z.input<typeof ExchangeConfigSchema>;

/** Fills defaults and validates; throws ConfigError (EXCHANGE_CONFIG_INVALID) naming the field and problem. */
export function resolveExchangeConfig(input: ExchangeConfigInput = {}): ExchangeConfig {
  return parseConfig(ExchangeConfigSchema, input, 'EXCHANGE_CONFIG_INVALID', 'exchange configuration', {
    prefix: ['exchange'],
  });
}
