// Search spaces of the rule strategies: what a trial samples, and the strategy parameters it implies.
import type { RuleName } from '../../models/index.js';
import type { ParamSuggester } from './suggester.js';

/** Samples a rule's parameters; returns the strategy parameters to build and store in the bundle. */
export type RuleSearch = (trial: ParamSuggester) => Record<string, unknown>;

export const RULE_SEARCH: Record<RuleName, RuleSearch> = {
  'sma-cross': (trial) => {
    const fast = trial.suggestInt('fast', 4, 96, { log: true });
    // A ratio rather than a second range: keeps slow > fast without a search space that moves.
    const slowMultiple = trial.suggestFloat('slowMultiple', 1.5, 8);
    return { fast, slow: Math.max(fast + 1, Math.round(fast * slowMultiple)) };
  },
  momentum: (trial) => ({
    lookback: trial.suggestInt('lookback', 12, 720, { log: true }),
    volWindow: trial.suggestInt('volWindow', 24, 720, { log: true }),
    targetVol: trial.suggestFloat('targetVol', 0.1, 2, { log: true }),
    threshold: trial.suggestFloat('threshold', 0, 0.1),
    resizeTolerance: trial.suggestFloat('resizeTolerance', 0.1, 0.6),
  }),
  'rsi-reversion': (trial) => {
    const entry = trial.suggestFloat('entry', 10, 40);
    return {
      period: trial.suggestInt('period', 4, 48, { log: true }),
      entry,
      exit: Math.min(95, entry + trial.suggestFloat('exitGap', 5, 40)),
    };
  },
};
