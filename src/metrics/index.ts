// Public API of the metrics module: performance statistics of equity curves and tests of excess returns.

export { type DeflatedSharpe, deflatedSharpe, expectedMaxSharpe } from './deflated-sharpe.js';
export { type InformationRatio, informationRatio } from './excess-evidence.js';
export { mean, normalCdf, sampleStd, simpleReturns, skewKurtosis } from './moments.js';
export {
  ExcessAccumulator,
  type ExcessAccumulatorState,
  type ExcessSummary,
  longRunVariance,
  neweyWestLag,
} from './newey-west.js';
export type { PerformanceMetrics, TradeCounters } from './performance.js';
export {
  cagrPct,
  calmarRatio,
  computeMetrics,
  maxDrawdownPct,
  probabilisticSharpe,
  sharpeRatio,
  sortinoRatio,
  totalReturnPct,
  volatilityPct,
} from './performance.js';
export {
  barsToReach,
  binomialInterval,
  crossingProbability,
  holm,
  msprtLook,
  normalPdf,
  normalQuantile,
  type SequentialLook,
  spendingBoundary,
  spendingLook,
} from './sequential.js';
