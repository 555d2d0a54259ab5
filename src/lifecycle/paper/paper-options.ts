// Options of PaperTrader.open, and reloading the stored model at open.
import { assertPolicyFits, type Policy } from '../../models/index.js';
import type { StepListener } from '../../sim/index.js';
import type { StateStore } from '../../state/index.js';
import type { ModelRef, ServiceOptions } from '../contracts.js';

/** Default equity history kept for returnSince: twice the arena's default maxEvalHours, plus two days. */
export const DEFAULT_HISTORY_HOURS = 720;

/** PaperTrader.open's options: files live under `<root>/paper_trades/`; `loadPolicy` reloads the stored model. */
export interface PaperTraderOptions extends ServiceOptions {
  /** Starting cash of a new paper trader (default simConfig.initialCash); ignored when state exists. */
  readonly initialCash?: number;
  /** Hours of equity kept in memory for returnSince (default 720: >= 2 x the arena's maxEvalHours). */
  readonly historyHours?: number;
  /** Where state and journals are written: default at once; the engine passes its StateTransaction. */
  readonly store?: StateStore;
  /** Called for each risk-overlay exit of the paper portfolio (notifications). */
  readonly onOverlay?: StepListener['onOverlay'];
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
