import { describe, expect, it } from 'vitest';
import { awaitTrialsBelow } from './await-trials.js';
import { asyncStudyStorage } from './storage/index.js';
import { MemoryStorage } from './testing/memory-storage.js';

function studyWith(n: number) {
  const memory = new MemoryStorage();
  const study = memory.createStudy('s', 'maximize');
  const trials = Array.from({ length: n }, () => memory.createTrial(study.studyId));
  return { memory, storage: asyncStudyStorage(memory), studyId: study.studyId, trials };
}

describe('awaitTrialsBelow', async () => {
  it('returns at once when every trial below the bound has finished (its own trial excepted)', async () => {
    const { memory, storage, studyId, trials } = studyWith(3);
    memory.finishTrial(trials[0]!.trialId, 'COMPLETE', 1);
    memory.finishTrial(trials[1]!.trialId, 'PRUNED', 0);
    const sleeps: number[] = [];
    await awaitTrialsBelow(storage, studyId, 3, trials[2]!.trialId, {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    expect(sleeps).toEqual([]);
  });

  it('waits while a lower trial runs, not for a higher one, and beats its own heart meanwhile', async () => {
    const { memory, storage, studyId, trials } = studyWith(4);
    memory.finishTrial(trials[0]!.trialId, 'COMPLETE', 1);
    let polls = 0;
    const waited = await awaitTrialsBelow(storage, studyId, 2, trials[2]!.trialId, {
      pollMs: 10,
      heartbeatMs: 20,
      now: () => memory.now,
      sleep: async (ms) => {
        memory.advance(ms);
        if (++polls === 5) memory.finishTrial(trials[1]!.trialId, 'COMPLETE', 2); // trial 3 still runs
      },
    });
    expect(polls).toBe(5);
    expect(waited).toBe(50);
    expect(memory.getTrial(trials[3]!.trialId).state).toBe('RUNNING');
  });

  it('stops waiting for a trial whose process died: it is marked FAIL once its heartbeat is stale', async () => {
    const { memory, storage, studyId, trials } = studyWith(2);
    memory.recordHeartbeat(trials[0]!.trialId);
    await awaitTrialsBelow(storage, studyId, 1, trials[1]!.trialId, {
      pollMs: 1_000,
      heartbeatMs: 1_000,
      staleSeconds: 60,
      now: () => memory.now,
      sleep: async (ms) => memory.advance(ms),
    });
    expect(memory.getTrial(trials[0]!.trialId).state).toBe('FAIL');
    expect(memory.getTrial(trials[1]!.trialId).state).toBe('RUNNING');
  });
});
