// The pruner that never prunes (Optuna's NopPruner): every trial runs to the end.
import type { Pruner } from './pruner.js';

/** Never prunes. */
export class NopPruner implements Pruner {
  readonly name = 'none';

  shouldPrune(): boolean {
    return false;
  }
}
