import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  expectedPyTrial,
  expectPythonSeesOurStudy,
  INTEROP_SPACE,
  interopClock,
  pythonModulesAvailable,
  runPythonScript,
  useInteropTimeZone,
  withoutSystemAttrs,
  writeOurStudy,
} from '../testing/python-optuna.js';
import { withSqliteConnection } from '../testing/sqlite-connection.js';
import type { FrozenTrial } from '../trial.js';
import { encodeDistribution } from './distribution-json.js';
import { OPTUNA_DDL } from './optuna-schema.js';
import { SqliteStudyStorage } from './sqlite-study-storage.js';
import { asyncStudyStorage } from './study-storage.js';

const hasOptuna = pythonModulesAvailable('python3-optuna', 'optuna');
const hasPandas =
  hasOptuna && pythonModulesAvailable('python3-pandas (for Study.trials_dataframe)', 'pandas');

/** Writes study `ours` (see writeOurStudy) into a new SQLite file; the storage stays open. */
async function writeOurSqliteStudy(path: string) {
  const storage = asyncStudyStorage(SqliteStudyStorage.open(path, { nowMs: interopClock() }));
  return { storage, ...(await writeOurStudy(storage)) };
}

describe.skipIf(!hasOptuna)('Python Optuna 3.1 and our study storage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'optuna-interop-'));
  useInteropTimeZone();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the same schema, versions and encodings as Optuna 3.1', () => {
    const theirs = join(dir, 'schema-python.db');
    expect(runPythonScript('write_study.py', `sqlite:///${theirs}`, 'schema', '1').optuna_version).toBe(
      '3.1.0',
    );
    const ours = join(dir, 'schema-ours.db');
    SqliteStudyStorage.open(ours).close();
    const schema = (path: string) =>
      withSqliteConnection(path, (db) => ({
        ddl: db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid').all(),
        version: db.prepare('SELECT * FROM version_info').all(),
        alembic: db.prepare('SELECT * FROM alembic_version').all(),
      }));
    expect(schema(ours)).toEqual(schema(theirs));
    expect(
      schema(ours)
        .ddl.filter((r) => r.sql !== null)
        .map((r) => r.sql),
    ).toEqual(OPTUNA_DDL);
  });

  it('Python lists our trials with their params, values, states, attributes and times', async () => {
    const path = join(dir, 'ours.db');
    const { storage, studyId } = await writeOurSqliteStudy(path);
    const ours = await storage.getTrials(studyId);
    await storage.close();
    const seen = runPythonScript('read_study.py', `sqlite:///${path}`, 'ours');

    expectPythonSeesOurStudy(seen, ours);
    expect(seen.trials[0].params).toEqual({
      lr: 0.003,
      dropout: 0.2,
      units: 128,
      layers: 2,
      window: 64,
      optimizer: 'sgd',
    });
    expect(seen.trials[0].user_attrs.model_path).toBe('models/ours/0');
    expect(seen.best_trial).toEqual({ number: 4, value: 1.25 });
    // Naive local time, as Optuna's datetime.now(): 12:00:01.484 UTC is 08:00:01.484 in New York (EDT).
    const start = withSqliteConnection(path, (db) =>
      db.prepare('SELECT datetime_start FROM trials WHERE number = 0').get(),
    );
    expect(start).toEqual({ datetime_start: '2025-07-01 08:00:01.484000' });
    const stored = withSqliteConnection(path, (db) =>
      db.prepare('SELECT DISTINCT distribution_json AS d FROM trial_params').all(),
    );
    expect(new Set(stored.map((r) => r.d))).toEqual(
      new Set(Object.values(INTEROP_SPACE).map(encodeDistribution)),
    );
  });

  it.skipIf(!hasPandas)('Study.trials_dataframe() works on our study', async () => {
    const path = join(dir, 'frame.db');
    await (await writeOurSqliteStudy(path)).storage.close();
    const seen = runPythonScript('read_study.py', `sqlite:///${path}`, 'ours');
    expect(seen.dataframe).toMatchObject({ rows: 6 });
    expect((seen.dataframe as { columns: string[] }).columns).toContain('user_attrs_model_path');
  });

  it("Python's fail_stale_trials fails our RUNNING trial whose heartbeat is too old, and we read it", async () => {
    const path = join(dir, 'stale.db');
    const { storage, studyId, runningTrialId } = await writeOurSqliteStudy(path);
    withSqliteConnection(path, (db) =>
      db
        .prepare("UPDATE trial_heartbeats SET heartbeat = datetime('now', '-120 seconds') WHERE trial_id = ?")
        .run(runningTrialId),
    );
    const seen = runPythonScript('read_study.py', `sqlite:///${path}`, 'ours', '60');
    expect(seen.trials[5].state).toBe('FAIL');
    const failed = await storage.getTrial(runningTrialId);
    expect(await storage.getTrials(studyId, ['RUNNING'])).toEqual([]);
    await storage.close();
    expect(failed.state).toBe('FAIL');
    expect(failed.datetimeComplete).toBe(seen.trials[5].datetime_complete_ms);
  });

  it('we read a study Python wrote with study.optimize: numbers, values, params, model_path', () => {
    const path = join(dir, 'theirs.db');
    const written = runPythonScript('write_study.py', `sqlite:///${path}`, 'theirs', '6');
    expect(written.trials.map((t) => t.state)).toEqual([
      'COMPLETE',
      'PRUNED',
      'FAIL',
      'COMPLETE',
      'COMPLETE',
      'COMPLETE',
    ]);

    const storage = SqliteStudyStorage.open(path);
    const study = storage.findStudy('theirs');
    expect(study).toMatchObject({ name: 'theirs', direction: 'maximize' });
    const ours = storage.getTrials(study!.studyId);
    storage.close();
    const pyValue = (t: FrozenTrial) => written.trials[t.number].value;
    expect(written.trials.map(withoutSystemAttrs)).toEqual(ours.map((t) => expectedPyTrial(t, pyValue(t))));
    expect(ours.filter((t) => t.state !== 'COMPLETE').every((t) => t.value === null)).toBe(true);
    expect(ours.map((t) => t.userAttrs.model_path)).toEqual(ours.map((t) => `models/theirs/${t.number}`));
    expect(ours[0].userAttrs.fold_scores).toEqual({ folds: [0.5, -1.25], note: 'café' });
    expect(ours[0].distributions).toEqual(INTEROP_SPACE);
  });

  it('Python adds trials to our study, numbering after ours, and we read them', async () => {
    const path = join(dir, 'mixed.db');
    const { storage, studyId } = await writeOurSqliteStudy(path);
    const written = runPythonScript('write_study.py', `sqlite:///${path}`, 'ours', '3');
    expect(written.trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const ours = await storage.getTrials(studyId);
    await storage.close();
    expect(ours.map((t) => [t.number, t.state])).toEqual(written.trials.map((t) => [t.number, t.state]));
    expect(ours[6].userAttrs.model_path).toBe('models/ours/6');
    expect(ours[6].value).toBe(written.trials[6].value);
  });
});
