// Public API of the models module: the Policy interface and the builtin rule policies.
export { createBuiltinPolicy, describeBuiltins } from './builtin.js';
export { createMlp, createMlpScratch, type Mlp, mlpForward, softmax } from './mlp.js';
export { createMlpPolicy } from './mlp-policy.js';
export type { Policy } from './policy.js';
export { assertPolicyFits, holdCurrent, investedWeight, limitTotal } from './policy.js';
export { createBuyAndHold, createEqualWeight } from './rules/buy-and-hold.js';
export type { MomentumParams } from './rules/momentum.js';
export { createMomentum, MomentumParamsSchema } from './rules/momentum.js';
export type { RuleName, RuleStrategy } from './rules/registry.js';
export { isRuleName, RULE_NAMES, RULE_STRATEGIES } from './rules/registry.js';
export type { RsiReversionParams } from './rules/rsi-reversion.js';
export { createRsiReversion, RsiReversionParamsSchema } from './rules/rsi-reversion.js';
export type { SmaCrossParams } from './rules/sma-cross.js';
export { createSmaCross, SmaCrossParamsSchema } from './rules/sma-cross.js';
