import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { serviceAvailable } from '../../test/require-service.js';
import { type RankedTrial, rankedTrials, rebaseTrials } from './ranked-trials.js';
import { asyncStudyStorage, openSqliteStudyStorage, openStudyStorage } from './storage/index.js';

const PYTHON = '/usr/bin/python3';
const SCRIPTS = fileURLToPath(new URL('../../test/optuna-interop/', import.meta.url));
const hasOptuna = serviceAvailable('python3-optuna', () => {
  execFileSync(PYTHON, ['-c', 'import optuna'], { stdio: 'pipe', timeout: 60_000 });
  return true;
});

describe('rankedTrials: the trial stream the lifecycle consumes', () => {
  it('rebaseTrials gives the paths a workspace inside the one holding the bundles stores (a comparison per mode)', () => {
    const trial = (modelPath: string): RankedTrial => ({
      study: 's',
      number: 1,
      trialId: 2,
      value: 1,
      modelPath,
      completedAt: null,
      params: {},
    });
    const rebased = rebaseTrials([trial('models/s/1'), trial('/elsewhere/s/1')], '/ws', '/ws/replay-hybrid');
    expect(rebased.map((t) => t.modelPath)).toEqual(['/ws/models/s/1', '/elsewhere/s/1']);
    expect(rebaseTrials([trial('../models/s/1')], '/ws/a', '/ws')[0]!.modelPath).toBe('models/s/1');
  });

  it('orders our COMPLETE trials best first; model paths inside the root are relative to it, others absolute', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ht-ranked-'));
    const storage = openSqliteStudyStorage('sqlite:///studies.db', { baseDir: root });
    const study = storage.createStudy('s', 'maximize');
    const values = [0.5, 2, 1, null];
    for (const [k, value] of values.entries()) {
      const { trialId } = storage.createTrial(study.studyId);
      // a path outside the workspace stays absolute; one inside it, however written, becomes relative
      const path = k === 2 ? '/elsewhere/models/s/2' : k === 0 ? join(root, 'models/s/0') : `models/s/${k}`;
      storage.setTrialUserAttr(trialId, 'model_path', path);
      if (value === null) storage.finishTrial(trialId, 'FAIL');
      else storage.finishTrial(trialId, 'COMPLETE', value);
    }
    const ranked = await rankedTrials(asyncStudyStorage(storage), 's', root);
    storage.close();
    expect(ranked.map((t) => [t.number, t.value])).toEqual([
      [1, 2],
      [2, 1],
      [0, 0.5],
    ]);
    expect(ranked.map((t) => t.modelPath)).toEqual(['models/s/1', '/elsewhere/models/s/2', 'models/s/0']);
    expect(
      await rankedTrials(await openStudyStorage('sqlite:///studies.db', { baseDir: root }), 'missing', root),
    ).toEqual([]);
  });

  it.skipIf(!hasOptuna)('reads a study that Python Optuna wrote', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ht-ranked-'));
    const db = join(root, 'studies.db');
    execFileSync(PYTHON, [join(SCRIPTS, 'write_study.py'), `sqlite:///${db}`, 'py', '6'], {
      cwd: SCRIPTS,
      stdio: 'pipe',
      timeout: 120_000,
    });
    const storage = await openStudyStorage(`sqlite:///${db}`);
    const ranked = await rankedTrials(storage, 'py', root);
    const complete = await storage.getTrials((await storage.findStudy('py'))!.studyId, ['COMPLETE']);
    await storage.close();
    expect(ranked).toHaveLength(complete.length);
    expect(ranked.length).toBeGreaterThanOrEqual(3);
    for (let k = 1; k < ranked.length; k++)
      expect(ranked[k - 1]!.value).toBeGreaterThanOrEqual(ranked[k]!.value);
    expect(ranked[0]!.modelPath).toBe(`models/py/${ranked[0]!.number}`);
    expect(ranked[0]!.params).toHaveProperty('optimizer');
  });
});
