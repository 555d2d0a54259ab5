// Options of PaperTrader.open, and reloading the stored model at open.
import type { Policy } from '../../models/index.js';
import type { SimConfig, Simulator } from '../../sim/index.js';
import type { ModelRef, PolicyLoader, ServiceLogger } from '../contracts.js';
import { assertPolicyFits } from './policy-step.js';

/** Default equity history kept for returnSince: twice the arena's default maxEvalHours, plus two days. */
export const DEFAULT_HISTORY_HOURS = 720;

export interface PaperTraderOptions {
  /** Workspace root: files live under `<root>/paper_trades/`. */
  readonly root: string;
  /** The universe, in the order of the market's symbols and of every model's weights. */
  readonly symbols: readonly string[];
  readonly timeframeMs: number;
  readonly simConfig: Readonly<SimConfig>;
  /** Loads the stored model again after a restart. */
  readonly loadPolicy: PolicyLoader;
  readonly logger: ServiceLogger;
  /** Injected clock (epoch ms) for `updatedAt`; a replay clock makes state files reproducible. */
  readonly now: () => number;
  /** Starting cash of a new paper trader (default simConfig.initialCash); ignored when state exists. */
  readonly initialCash?: number;
  /** Hours of equity kept in memory for returnSince (default 720: >= 2 x the arena's maxEvalHours). */
  readonly historyHours?: number;
  /** A Simulator to share (same config, symbols, timeframe); default a new one. */
  readonly simulator?: Simulator;
}

/** Loads the stored model; a failure is reported, not thrown (the trader then holds). */
export function loadModel(
  model: ModelRef | null,
  options: PaperTraderOptions,
): { policy: Policy | null; modelError: string | null } {
  if (model === null) return { policy: null, modelError: null };
  try {
    const policy = options.loadPolicy(model);
    assertPolicyFits(policy, options.symbols, model.modelId);
    return { policy, modelError: null };
  } catch (error) {
    return { policy: null, modelError: error instanceof Error ? error.message : String(error) };
  }
}
