// Public API of the paper trader: the service, its state file schemas, and the step path the arena shares.
export { EquityHistory } from './equity-history.js';
export { type JournalRepair, repairJournals } from './journals.js';
export { copyModelRef, ModelRefSchema } from './model-ref.js';
export { DEFAULT_HISTORY_HOURS, type PaperTraderOptions } from './paper-options.js';
export {
  buildPaperState,
  type EquityLine,
  EquityLineSchema,
  type PaperPosition,
  PaperPositionSchema,
  type PaperState,
  PaperStateSchema,
  paperPaths,
  type TradeLine,
  TradeLineSchema,
} from './paper-state.js';
export { PaperTrader } from './paper-trader.js';
export { assertPolicyFits, PolicyStepper, type StepDecision } from './policy-step.js';
export { barsToHours, HOUR_MS, hoursToBars } from './time-units.js';
