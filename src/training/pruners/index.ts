// Public API of the pruners: stop unpromising trials early from their intermediate values.
export { NopPruner } from './nop-pruner.js';
export type { MedianPrunerOptions, PercentilePrunerOptions } from './percentile-pruner.js';
export { MedianPruner, PercentilePruner } from './percentile-pruner.js';
export type { Pruner } from './pruner.js';
