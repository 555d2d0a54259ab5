// Public API of the training objective: walk-forward windows, objectives, fold evaluation, the score.
export { type EvaluationResult, evaluateFolds } from './evaluate.js';
export {
  type FoldMeasures,
  OBJECTIVE_TERMS,
  OBJECTIVES,
  type Objective,
  ObjectiveSchema,
} from './objectives.js';
export { type FoldResult, type ScoreBreakdown, scoreFolds } from './score.js';
export {
  type FrameRange,
  type Placement,
  PlacementSchema,
  rangeIso,
  type WalkForwardConfig,
  WalkForwardSchema,
  type WalkForwardWindows,
  walkForwardWindows,
} from './windows.js';
