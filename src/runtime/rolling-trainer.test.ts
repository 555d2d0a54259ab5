import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createReplayFeed } from '../feeds/index.js';
import { generateSyntheticMarket } from '../market/synth.js';
import { SimConfigSchema } from '../sim/index.js';
import { rankedTrials } from '../training/ranked-trials.js';
import { openStudyStorage } from '../training/storage/index.js';
import { RollingTrainer } from './rolling-trainer.js';

const workerUrl = new URL('../../dist/src/training/workers/worker-main.js', import.meta.url);
const silent = { info() {}, warn() {}, error() {} };

describe('RollingTrainer', () => {
  it('trains a round every N frames on the latest window only, and the trials reach the study', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ht-trainer-'));
    const history = generateSyntheticMarket({ seed: 3, bars: 520 });
    const trainer = new RollingTrainer({
      root,
      study: 'live',
      kind: 'momentum',
      storageUrl: 'sqlite:///studies.db',
      trialsPerRound: 2,
      workers: 1,
      trainBars: 200,
      validationBars: 48,
      embargoBars: 0,
      warmupBars: 50,
      everyBars: 100,
      sim: SimConfigSchema.parse({}),
      seed: 1,
      ppoSteps: 1024,
      packageVersion: 'test',
      logger: silent,
      workerUrl,
    });
    const feed = createReplayFeed(history, 0);
    for (let frame = feed.next(); frame !== null; frame = feed.next()) {
      trainer.onFrame(frame);
      await trainer.settle(); // one round at a time, so the rounds fall on the same frames every run
    }
    // first round when 298 bars exist (t = 297), then every 100 frames: t = 297, 397, 497
    expect(trainer.reports.map((r) => r.windowEndTs)).toEqual([297, 397, 497].map((t) => history.ts[t]));
    expect(trainer.reports.every((r) => r.summary.complete + r.summary.pruned === 2)).toBe(true);
    const storage = await openStudyStorage('sqlite:///studies.db', { baseDir: root });
    expect((await rankedTrials(storage, 'live', root)).length).toBeGreaterThanOrEqual(3);
    await storage.close();
  }, 60_000);
});
