// Options of the synthetic market generator: zod schema, defaults and validation into a ConfigError.
import { z } from 'zod';
import { parseConfig } from '../../core/schema-issues.js';
import { DEFAULT_SYNTH_SYMBOLS } from './universe.js';

/** Default first bar open time: 2024-01-01T00:00:00Z, epoch ms. */
export const DEFAULT_SYNTH_START_TS = Date.UTC(2024, 0, 1);

/** Default bar length: one hour, ms. */
export const DEFAULT_SYNTH_TIMEFRAME_MS = 3_600_000;

/** Default length: one year of hourly bars (365 x 24). */
export const DEFAULT_SYNTH_BARS = 8760;

/** Default seed. */
export const DEFAULT_SYNTH_SEED = 42;

/** Upper bound on `bars` (about four years of 1-minute bars). */
export const MAX_SYNTH_BARS = 2_200_000;

/** Upper bound on bars x symbols (about 1 GB of frames): keeps memory bounded. */
export const MAX_SYNTH_CELLS = 25_000_000;

/** Latest epoch ms a JavaScript Date can hold. */
const MAX_DATE_MS = 8.64e15;

/** Schema of the generator's options; every field is optional and has the default shown. */
export const synthOptionsSchema = z
  .strictObject({
    /** Seed of every random draw (any safe integer). Default 42. */
    seed: z.int().default(DEFAULT_SYNTH_SEED),
    /** Universe in column order, unique non-empty names. Default the seven USDT pairs. */
    symbols: z
      .array(z.string().min(1))
      .min(1)
      .refine((s) => new Set(s).size === s.length, 'symbols must be unique')
      .default(() => [...DEFAULT_SYNTH_SYMBOLS]),
    /** Number of frames. Default 8760 (one year of 1h bars). */
    bars: z.int().min(1).max(MAX_SYNTH_BARS).default(DEFAULT_SYNTH_BARS),
    /** Open time of the first frame, epoch ms UTC. Default 2024-01-01T00:00:00Z. */
    startTs: z.int().min(0).default(DEFAULT_SYNTH_START_TS),
    /** Bar length in ms. Default 3_600_000 (1h). */
    timeframeMs: z.int().min(60_000).default(DEFAULT_SYNTH_TIMEFRAME_MS),
  })
  .refine((o) => o.bars * o.symbols.length <= MAX_SYNTH_CELLS, {
    message: `bars x symbols must be at most ${MAX_SYNTH_CELLS}`,
    path: ['bars'],
  })
  .refine((o) => o.startTs + (o.bars - 1) * o.timeframeMs <= MAX_DATE_MS, {
    message: `the last bar must open before ${new Date(MAX_DATE_MS).toISOString()}`,
    path: ['bars'],
  });

/** Options accepted by the generator (all optional). */
export type SynthOptions = z.input<typeof synthOptionsSchema>;

/** Options with every default filled in. */
export type ResolvedSynthOptions = z.output<typeof synthOptionsSchema>;

/** Fills defaults and validates. Throws ConfigError (code SYNTH_OPTION_INVALID) naming the field and value. */
export function resolveSynthOptions(options: SynthOptions = {}): ResolvedSynthOptions {
  return parseConfig(synthOptionsSchema, options, 'SYNTH_OPTION_INVALID', 'synthetic market options');
}
