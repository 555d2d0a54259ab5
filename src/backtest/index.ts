// Public API of backtests: a policy through the simulator over a window, with metrics.
export type { BacktestOptions, BacktestResult, DecisionRows } from './backtest.js';
export { runBacktest } from './backtest.js';
