// Waits until every trial of a study numbered below a bound has finished: what makes a parallel study's
// history, and so its samples and pruning decisions, independent of worker timing.
import type { StudyStorage } from './storage/index.js';

export interface AwaitTrialsOptions {
  /** Time between checks of the storage. Default 20 ms. */
  readonly pollMs?: number;
  /** The waiting trial's own heartbeat is recorded this often. Default 5 s. */
  readonly heartbeatMs?: number;
  /** A RUNNING trial whose heartbeat is older is marked FAIL (its process died) and no longer waited for. */
  readonly staleSeconds?: number;
  /** Clock and sleep (tests). */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Resolves once no trial of `studyId` numbered below `below` is RUNNING (the caller's own trial
 * `ownTrialId` excepted), recording the caller's heartbeat meanwhile so that nobody takes it for dead.
 * Waits only point to lower numbers, so they cannot form a cycle. Resolves to the milliseconds waited.
 */
export async function awaitTrialsBelow(
  storage: StudyStorage,
  studyId: number,
  below: number,
  ownTrialId: number,
  options: AwaitTrialsOptions = {},
): Promise<number> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? sleepFor;
  const pollMs = options.pollMs ?? 20;
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  const staleSeconds = options.staleSeconds ?? 60;
  const started = now();
  let beatAt = started;
  const pending = async () =>
    (await storage.getTrials(studyId, ['RUNNING'])).some((t) => t.number < below && t.trialId !== ownTrialId);
  while (await pending()) {
    await sleep(pollMs);
    if (now() - beatAt >= heartbeatMs) {
      await storage.recordHeartbeat(ownTrialId);
      await storage.failStaleTrials(studyId, staleSeconds);
      beatAt = now();
    }
  }
  return now() - started;
}
