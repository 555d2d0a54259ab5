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
});
