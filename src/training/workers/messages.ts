// Messages between the train coordinator (main thread) and its worker threads.
import type { TrialOutcome } from '../run-trial.js';

export type ToWorker = { type: 'run' } | { type: 'stop' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'started'; trialId: number; number: number }
  /** The trial stopped waiting for the trials it learns from: its time limit starts now. */
  | { type: 'running'; trialId: number }
  | { type: 'finished'; outcome: TrialOutcome }
  | { type: 'failed-to-start'; error: string };
