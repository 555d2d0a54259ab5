// The Pruner interface: decides from intermediate values whether a running trial should stop early.
import type { StudyDirection } from '../storage/study-storage.js';
import type { FrozenTrial } from '../trial.js';

/**
 * Decides whether to stop a running trial. Implementations are pure: the answer depends only on the
 * arguments (no clock, no randomness, no I/O).
 */
export interface Pruner {
  /** Short name for logs and the CLI. */
  readonly name: string;
  /**
   * True when `trial` (running, with its intermediate values so far) should be pruned, given the
   * study's other trials `history` (any states; the pruner picks the ones it compares against) and the
   * study `direction`.
   */
  shouldPrune(trial: FrozenTrial, history: readonly FrozenTrial[], direction: StudyDirection): boolean;
}
