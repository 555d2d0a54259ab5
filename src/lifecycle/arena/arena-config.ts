// Arena configuration: membership limits, starting equity and the promotion gate's thresholds (zod, defaults).
import { z } from 'zod';
import { parseConfig } from '../../core/schema-issues.js';
import { MAX_CASH } from '../../sim/index.js';
import { ExcessTestConfigSchema } from './excess-test.js';

/** The promotion gate. Every threshold applies to the challenger's window [enteredAt, now]. */
export const GateConfigSchema = z.strictObject({
  /** A challenger is judged only after this many hours in the arena (frames applied x timeframe). */
  minHours: z.number().min(0).default(168),
  /** Its return minus the paper trader's return over the same window, in percentage points, must be >= this. */
  minExcessPct: z.number().finite().default(2.0),
  /** Its annualised Sharpe over the window must be > this (null Sharpe never passes). */
  minSharpe: z.number().finite().default(0),
  /** Optional: Probabilistic Sharpe Ratio (vs 0) over the window must be >= this, in [0, 1]. */
  minPsr: z.number().min(0).max(1).nullable().default(null),
  /** Optional: max drawdown over the window, in percent, must be <= this. */
  maxDrawdownPct: z.number().gt(0).max(100).nullable().default(null),
  /**
   * Optional: the statistical rule, a sequential HAC test of the paired per-bar excess returns over the
   * paper trader, corrected for the challengers and the hourly looks (docs/lifecycle.md); null = off.
   */
  test: ExcessTestConfigSchema.nullable().default(null),
  /**
   * The smallest edge (annualised information ratio of the excess returns) worth promoting: `promote
   * --check` recommends the arena life that gives the test 80 % power for it and warns when maxEvalHours
   * is shorter. Null = no recommendation.
   */
  targetIr: z.number().gt(0).nullable().default(null),
});
export type GateConfig = z.infer<typeof GateConfigSchema>;

export const ArenaConfigSchema = z
  .strictObject({
    /** Challengers stepped at once (the champion's shadow is extra). */
    maxChallengers: z.number().int().min(0).max(100).default(9),
    /** A challenger that does not qualify by this many hours leaves as `expired`. */
    maxEvalHours: z.number().gt(0).max(8_760).default(336),
    /** Starting equity of every member and benchmark; null = the paper trader's equity at entry. */
    startingEquity: z.number().gt(0).max(MAX_CASH).nullable().default(null),
    /** Offered models waiting for a slot, best training score first; the worst beyond this are dropped. */
    maxQueue: z.number().int().min(0).max(10_000).default(20),
    gate: GateConfigSchema.default(GateConfigSchema.parse({})),
  })
  .refine((c) => c.gate.minHours <= c.maxEvalHours, {
    message: 'gate.minHours must not exceed maxEvalHours (no challenger could ever qualify)',
    path: ['gate', 'minHours'],
  })
  .refine((c) => c.gate.test?.horizonHours == null || c.gate.test.horizonHours >= c.gate.minHours, {
    message: 'gate.test.horizonHours must not be below gate.minHours (the test could never pass)',
    path: ['gate', 'test', 'horizonHours'],
  });
export type ArenaConfig = z.infer<typeof ArenaConfigSchema>;
export type ArenaConfigInput = z.input<typeof ArenaConfigSchema>;

/** A validated, frozen arena configuration; throws ConfigError naming each bad field. */
export function resolveArenaConfig(input: ArenaConfigInput = {}): Readonly<ArenaConfig> {
  const config = parseConfig(ArenaConfigSchema, input, 'ARENA_CONFIG_INVALID', 'invalid arena configuration');
  const gate = config.gate;
  return Object.freeze({
    ...config,
    gate: Object.freeze({ ...gate, test: gate.test && Object.freeze({ ...gate.test }) }),
  });
}
