// Public API of the training objective: walk-forward windows, fold evaluation, the score.
export { type EvaluationResult, evaluateFolds } from './evaluate.js';
export { type FoldResult, type ScoreBreakdown, scoreFolds } from './score.js';
export {
  type FrameRange,
  rangeIso,
  type WalkForwardConfig,
  WalkForwardSchema,
  type WalkForwardWindows,
  walkForwardWindows,
} from './windows.js';
