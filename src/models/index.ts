// Public API of the models module: the Policy interface and the builtin rule policies.
export { createBuiltinPolicy, describeBuiltins } from './builtin.js';
export { createMlp, createMlpScratch, type Mlp, mlpForward, softmax } from './mlp.js';
export { createMlpPolicy } from './mlp-policy.js';
export type { Policy } from './policy.js';
export { holdCurrent, investedWeight } from './policy.js';
export { createBuyAndHold, createEqualWeight } from './rules/buy-and-hold.js';
export type { SmaCrossParams } from './rules/sma-cross.js';
export { createSmaCross, SmaCrossParamsSchema } from './rules/sma-cross.js';
