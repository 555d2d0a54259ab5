// The coordinator's bookkeeping with stand-in worker threads: a run that cannot create trials stops and says why.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { asyncStudyStorage } from '../storage/study-storage.js';
import { MemoryStorage } from '../testing/memory-storage.js';
import { runStudyOnWorkers } from './coordinator.js';
import { TrainOptionsSchema } from './train-options.js';

const dir = mkdtempSync(join(tmpdir(), 'ht-coordinator-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runStudyOnWorkers', () => {
  it('stops a run whose thread cannot create a trial (the storage stayed down), with the reason in the summary', async () => {
    const script = join(dir, 'failing-worker.mjs');
    writeFileSync(
      script,
      `import { parentPort } from 'node:worker_threads';
       parentPort.on('message', () => {
         parentPort.postMessage({ type: 'failed-to-start', error: 'study storage stayed unavailable' });
         parentPort.close();
       });
       parentPort.postMessage({ type: 'ready' });`,
    );
    const options = TrainOptionsSchema.parse({
      study: 's',
      trials: Number.POSITIVE_INFINITY,
      workers: 2,
      storageUrl: 'sqlite:///:memory:',
      root: dir,
    });
    const run = runStudyOnWorkers(
      options,
      asyncStudyStorage(new MemoryStorage()),
      pathToFileURL(script),
      'test',
    );
    const summary = await run.done;
    expect(summary.aborted).toBe('study storage stayed unavailable');
    expect(summary.interrupted).toBe(false);
    expect(summary.started).toBe(0);
    expect(run.progress().runningTrials).toEqual([]);
  });

  it('gives a trial back to the budget when its thread dies before creating it, so the run still makes them all', async () => {
    // Each stand-in thread reports one trial, then dies on its next "run" before starting it (as a thread
    // would on an unhandled error); the replacements must still make every trial asked for.
    const script = join(dir, 'dying-worker.mjs');
    writeFileSync(
      script,
      `import { parentPort } from 'node:worker_threads';
       let runs = 0;
       parentPort.on('message', (m) => {
         if (m.type === 'stop') return parentPort.close();
         if (++runs === 2) process.exit(1);
         const number = Math.floor(Math.random() * 1e9);
         parentPort.postMessage({ type: 'started', trialId: number, number });
         parentPort.postMessage({ type: 'finished', outcome: { trialId: number, number, state: 'COMPLETE',
           value: 1, modelPath: null, kind: 'x', error: null, seconds: 0 } });
       });
       parentPort.postMessage({ type: 'ready' });`,
    );
    const options = TrainOptionsSchema.parse({
      study: 's',
      trials: 5,
      workers: 2,
      storageUrl: 'sqlite:///:memory:',
      root: dir,
    });
    const summary = await runStudyOnWorkers(
      options,
      asyncStudyStorage(new MemoryStorage()),
      pathToFileURL(script),
      'test',
    ).done;
    expect(summary).toMatchObject({ started: 5, complete: 5, failed: 0, aborted: null });
  });
});
