// Public API of the metrics module: performance statistics of equity curves.
export { mean, normalCdf, sampleStd, simpleReturns, skewKurtosis } from './moments.js';
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
