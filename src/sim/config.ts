// Simulator configuration: one zod schema, defaults from DESIGN.md, units in every name.
import { z } from 'zod';
import { parseConfig } from '../core/schema-issues.js';

const fraction = z.number().min(0).max(1);
/** Largest amount of quote currency a portfolio may hold: beyond it sums lose their cents (and 1e308 overflows). */
export const MAX_CASH = 1e12;
/** Largest count of bars an overlay may wait (over ten years of hourly bars). */
const MAX_OVERLAY_BARS = 100_000;
const optionalFraction = z.number().gt(0).lt(1).nullable();

/** Risk overlays applied inside the simulator, identically wherever it runs. `null` switches one off. */
export const OverlayConfigSchema = z
  .object({
    /** Exit a position when close <= average entry price x (1 - stopLossPct). */
    stopLossPct: optionalFraction.default(null),
    /** Exit a position when close <= highest close since entry x (1 - trailingStopPct). */
    trailingStopPct: optionalFraction.default(null),
    /** A position may not be reduced by the policy until it has been held this many bars (stops still fire). */
    minHoldBars: z.number().int().min(0).max(MAX_OVERLAY_BARS).default(0),
    /** Liquidate everything when equity <= peak equity x (1 - maxDrawdownPct) ... */
    maxDrawdownPct: optionalFraction.default(null),
    /** ... and stay flat this many bars; the peak then restarts from the equity at that point. */
    drawdownCooldownBars: z.number().int().min(0).max(MAX_OVERLAY_BARS).default(24),
  })
  .strict();

export const SimConfigSchema = z
  .object({
    /** Starting cash in quote currency. */
    initialCash: z.number().gt(0).max(MAX_CASH).default(10_000),
    /** Fee as a fraction of fill notional, paid on top of a buy and taken from a sell's proceeds. */
    feeRate: z.number().min(0).lt(1).default(0.0025),
    /** Slippage in basis points, always against the trade (buys fill higher, sells lower). */
    slippageBps: z.number().min(0).lt(10_000).default(5),
    /** Orders whose notional (quantity x close) is below this are skipped. */
    minNotional: z.number().min(0).max(MAX_CASH).default(10),
    /** Cap on any one asset's target weight. */
    maxWeight: fraction.default(0.3),
    /**
     * Skip a rebalancing order smaller than this fraction of equity (exits to zero always go through):
     * keeps a policy that re-targets every bar from paying fees on drift. 0 = trade every difference.
     */
    rebalanceBand: fraction.default(0),
    /** Fraction of equity kept in cash: buys never take cash below it. */
    cashReserve: z.number().min(0).lt(1).default(0.05),
    overlays: OverlayConfigSchema.default(OverlayConfigSchema.parse({})),
  })
  .strict()
  .check((ctx) => {
    const c = ctx.value;
    if (c.minNotional >= c.initialCash)
      ctx.issues.push({
        code: 'custom',
        input: c.minNotional,
        path: ['minNotional'],
        message: `must be below initialCash (${c.initialCash}): no order could ever fill`,
      });
  });

export type OverlayConfig = z.infer<typeof OverlayConfigSchema>;
export type SimConfig = z.infer<typeof SimConfigSchema>;
export type SimConfigInput = z.input<typeof SimConfigSchema>;

/** A validated, frozen simulator configuration; throws ConfigError naming each bad field. */
export function resolveSimConfig(input: SimConfigInput = {}): Readonly<SimConfig> {
  const config = parseConfig(SimConfigSchema, input, 'SIM_CONFIG_INVALID', 'invalid simulator configuration');
  return Object.freeze({ ...config, overlays: Object.freeze({ ...config.overlays }) });
}
