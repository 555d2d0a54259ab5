import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startRacer, TRIAL_WORKER } from '../testing/trial-racer.js';
import { SqliteStudyStorage } from './sqlite-study-storage.js';

const dir = mkdtempSync(join(tmpdir(), 'study-concurrency-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A trial worker adding `trials` trials to study `shared` of the SQLite file at `path`. */
const startWorker = (path: string, trials: number, goFile: string) =>
  startRacer(process.execPath, [TRIAL_WORKER, path, 'shared', String(trials), goFile]);

describe('several processes on one SQLite study', () => {
  it('two workers x 20 trials give 40 trials numbered 0..39 without errors', async () => {
    const path = join(dir, 'studies.db');
    const goFile = join(dir, 'go');
    const workers = [startWorker(path, 20, goFile), startWorker(path, 20, goFile)];
    await Promise.all(workers.map((w) => w.ready));
    const started = performance.now();
    writeFileSync(goFile, '');
    const results = await Promise.all(workers.map((w) => w.done));
    const elapsedMs = performance.now() - started;
    console.info(`concurrency: 2 processes x 20 trials in ${elapsedMs.toFixed(0)} ms`);

    for (const r of results) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.numbers).toHaveLength(20);
    }
    const all = results.flatMap((r) => r.numbers).sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 40 }, (_, i) => i));

    const storage = SqliteStudyStorage.open(path);
    try {
      const study = storage.findStudy('shared');
      expect(study).not.toBeNull();
      const trials = storage.getTrials(study!.studyId);
      expect(trials.map((t) => t.number)).toEqual(all);
      expect(
        trials.every((t) => t.state === 'COMPLETE' && t.userAttrs.model_path === `models/shared/${t.number}`),
      ).toBe(true);
    } finally {
      storage.close();
    }
  });
});
