// Public API of the paper trader: the service and its state file schemas.
export { EquityHistory } from './equity-history.js';
export { checkEquityJournal, type JournalRepair, repairJournals } from './journals.js';
export { type PaperFigures, type PaperWindowFigure, paperFigures } from './paper-figures.js';
export { DEFAULT_HISTORY_HOURS, type PaperTraderOptions } from './paper-options.js';
export { paperPaths } from './paper-paths.js';
export {
  buildPaperState,
  type EquityLine,
  EquityLineSchema,
  type ModelProblem,
  type PaperPosition,
  PaperPositionSchema,
  type PaperState,
  PaperStateSchema,
  type TradeLine,
  TradeLineSchema,
} from './paper-state.js';
export { PaperTrader } from './paper-trader.js';
