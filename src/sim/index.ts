// Public API of the simulator: the one implementation of execution and accounting.
export type { OverlayConfig, SimConfig, SimConfigInput } from './config.js';
export { MAX_CASH, OverlayConfigSchema, resolveSimConfig, SimConfigSchema } from './config.js';
export type { Fill, FillReason, StepListener } from './fill.js';
export { FillReasonSchema, FillSchema } from './fill.js';
export { type Decider, type DecisionContext, PolicyStepper, type StepDecision } from './policy-step.js';
export type { PortfolioSnapshot, PortfolioState } from './portfolio.js';
export {
  clonePortfolio,
  createPortfolio,
  currentWeights,
  markEquity,
  PortfolioSnapshotSchema,
  restorePortfolio,
  snapshotPortfolio,
} from './portfolio.js';
export type { RunOptions, RunResult } from './run.js';
export { runSimulation } from './run.js';
export { Simulator } from './simulator.js';
export { targetProblem } from './targets.js';
