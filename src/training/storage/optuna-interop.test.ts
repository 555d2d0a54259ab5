import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceAvailable } from '../../../test/require-service.js';
import type { Distribution } from '../distributions.js';
import type { FrozenTrial } from '../trial.js';
import { encodeDistribution } from './distribution-json.js';
import { OPTUNA_DDL } from './optuna-schema.js';
import { parsePythonJson } from './python-json.js';
import type { SqliteDatabase } from './sqlite-driver.js';
import { SqliteStudyStorage } from './sqlite-study-storage.js';

const PYTHON = '/usr/bin/python3';
const SCRIPTS = fileURLToPath(new URL('../../../test/optuna-interop/', import.meta.url));
// A zone with an offset and DST, so that naive-local vs UTC mistakes in datetime columns show up.
const TZ = 'America/New_York';

const probe = (module: string) => (): boolean => {
  execFileSync(PYTHON, ['-c', `import ${module}`], { stdio: 'pipe', timeout: 60_000 });
  return true;
};
const hasOptuna = serviceAvailable('python3-optuna', probe('optuna'));
const hasPandas =
  hasOptuna && serviceAvailable('python3-pandas (for Study.trials_dataframe)', probe('pandas'));

/** What test/optuna-interop/optuna_dump.py prints. */
interface PyTrial {
  number: number;
  state: string;
  value: number | null;
  params: Record<string, unknown>;
  distributions: Record<string, string>;
  user_attrs: Record<string, unknown>;
  system_attrs: Record<string, unknown>;
  intermediate_values: [number, number][];
  /** Naive local datetimes as exact epoch ms (time.mktime + microseconds // 1000). */
  datetime_start_ms: number | null;
  datetime_complete_ms: number | null;
}
interface PyStudy {
  optuna_version: string;
  direction: string;
  user_attrs: Record<string, unknown>;
  trials: PyTrial[];
  best_trial: { number: number; value: number } | null;
  dataframe: { rows: number; columns: string[] } | { unavailable: string };
}

function python(script: string, ...args: string[]): PyStudy {
  const stdout = execFileSync(PYTHON, [join(SCRIPTS, script), ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, TZ, PYTHONWARNINGS: 'ignore' },
  });
  return parsePythonJson(stdout) as unknown as PyStudy;
}

const Database = createRequire(import.meta.url)('better-sqlite3') as new (path: string) => SqliteDatabase;
function raw<T>(path: string, fn: (db: SqliteDatabase) => T): T {
  const db = new Database(path);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** The search space write_study.py declares, so Python can add trials to our study. */
const SPACE: Readonly<Record<string, Distribution>> = {
  lr: { kind: 'float', low: 1e-4, high: 1e-1, log: true, step: null },
  dropout: { kind: 'float', low: 0, high: 0.5, log: false, step: 0.1 },
  units: { kind: 'int', low: 16, high: 256, log: false, step: 16 },
  layers: { kind: 'int', low: 1, high: 4, log: false, step: 1 },
  window: { kind: 'int', low: 2, high: 512, log: true, step: 1 },
  optimizer: { kind: 'categorical', choices: ['adam', 'sgd', 'rmsprop'] },
};
const T0 = Date.UTC(2025, 6, 1, 12, 0, 0, 250);

/** Writes study `ours`: COMPLETE, PRUNED, FAIL, COMPLETE(-inf), COMPLETE, RUNNING with a heartbeat. */
function writeOurStudy(path: string): {
  storage: SqliteStudyStorage;
  studyId: number;
  runningTrialId: number;
} {
  let clock = T0;
  const storage = SqliteStudyStorage.open(path, { nowMs: () => (clock += 1_234) });
  const { studyId } = storage.createStudy('ours', 'maximize');
  storage.setStudyUserAttr(studyId, 'kind', 'momentum');
  const plans: [string, number | null, Record<string, number | string>][] = [
    ['COMPLETE', 0.75, { lr: 0.003, dropout: 0.2, units: 128, layers: 2, window: 64, optimizer: 'sgd' }],
    ['PRUNED', 0.1, { lr: 0.0001, dropout: 0.5, units: 16, layers: 4, window: 2, optimizer: 'adam' }],
    ['FAIL', null, { lr: 0.1, optimizer: 'rmsprop' }],
    [
      'COMPLETE',
      Number.NEGATIVE_INFINITY,
      { lr: 0.05, dropout: 0, units: 256, layers: 1, window: 512, optimizer: 'adam' },
    ],
    [
      'COMPLETE',
      1.25,
      { lr: 0.0123, dropout: 0.30000000000000004, units: 48, layers: 3, window: 7, optimizer: 'sgd' },
    ],
  ];
  for (const [state, value, params] of plans) {
    const { trialId, number } = storage.createTrial(studyId);
    for (const [name, v] of Object.entries(params)) storage.setTrialParam(trialId, name, v, SPACE[name]);
    storage.setTrialUserAttr(trialId, 'model_path', `models/ours/${number}`);
    storage.setTrialUserAttr(trialId, 'fold_scores', {
      folds: [0.5, -1.25],
      note: 'café',
      ok: true,
      none: null,
    });
    storage.setTrialIntermediateValue(trialId, 0, 0.1);
    if (state !== 'PRUNED') storage.setTrialIntermediateValue(trialId, 1, Number.NaN);
    if (state !== 'PRUNED') storage.setTrialIntermediateValue(trialId, 2, Number.POSITIVE_INFINITY);
    storage.finishTrial(trialId, state as 'COMPLETE', value);
  }
  const running = storage.createTrial(studyId);
  storage.setTrialParam(running.trialId, 'layers', 3, SPACE.layers);
  storage.recordHeartbeat(running.trialId);
  return { storage, studyId, runningTrialId: running.trialId };
}

/** The Python view of one of our FrozenTrials, as optuna_dump.py prints it. */
function expectedPyTrial(t: FrozenTrial, storedValue: number | null): Omit<PyTrial, 'system_attrs'> {
  return {
    number: t.number,
    state: t.state,
    value: storedValue,
    params: { ...t.params },
    distributions: Object.fromEntries(
      Object.entries(t.distributions).map(([k, d]) => [k, encodeDistribution(d)]),
    ),
    user_attrs: { ...t.userAttrs },
    intermediate_values: [...t.intermediateValues.entries()],
    datetime_start_ms: t.datetimeStart,
    datetime_complete_ms: t.datetimeComplete,
  };
}

/** A Python trial without system_attrs (Optuna's samplers add their own there). */
function withoutSystemAttrs(t: PyTrial): Omit<PyTrial, 'system_attrs'> {
  const { system_attrs: _ignored, ...rest } = t;
  return rest;
}

describe.skipIf(!hasOptuna)('Python Optuna 3.1 and our study storage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'optuna-interop-'));
  const previousTz = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = TZ;
  });
  afterAll(() => {
    process.env.TZ = previousTz;
    if (previousTz === undefined) delete process.env.TZ;
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the same schema, versions and encodings as Optuna 3.1', () => {
    const theirs = join(dir, 'schema-python.db');
    expect(python('write_study.py', `sqlite:///${theirs}`, 'schema', '1').optuna_version).toBe('3.1.0');
    const ours = join(dir, 'schema-ours.db');
    SqliteStudyStorage.open(ours).close();
    const schema = (path: string) =>
      raw(path, (db) => ({
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

  it('Python lists our trials with their params, values, states, attributes and times', () => {
    const path = join(dir, 'ours.db');
    const { storage, studyId } = writeOurStudy(path);
    const ours = storage.getTrials(studyId);
    storage.close();
    const seen = python('read_study.py', `sqlite:///${path}`, 'ours');

    expect(seen.direction).toBe('MAXIMIZE');
    expect(seen.user_attrs).toEqual({ kind: 'momentum' });
    const prunedValue = (t: FrozenTrial) => (t.state === 'PRUNED' ? 0.1 : t.value);
    expect(seen.trials.map(withoutSystemAttrs)).toEqual(ours.map((t) => expectedPyTrial(t, prunedValue(t))));
    expect(seen.trials.map((t) => t.state)).toEqual([
      'COMPLETE',
      'PRUNED',
      'FAIL',
      'COMPLETE',
      'COMPLETE',
      'RUNNING',
    ]);
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
    const start = raw(path, (db) => db.prepare('SELECT datetime_start FROM trials WHERE number = 0').get());
    expect(start).toEqual({ datetime_start: '2025-07-01 08:00:01.484000' });
    const stored = raw(path, (db) =>
      db.prepare('SELECT DISTINCT distribution_json AS d FROM trial_params').all(),
    );
    expect(new Set(stored.map((r) => r.d))).toEqual(new Set(Object.values(SPACE).map(encodeDistribution)));
  });

  it.skipIf(!hasPandas)('Study.trials_dataframe() works on our study', () => {
    const path = join(dir, 'frame.db');
    writeOurStudy(path).storage.close();
    const seen = python('read_study.py', `sqlite:///${path}`, 'ours');
    expect(seen.dataframe).toMatchObject({ rows: 6 });
    expect((seen.dataframe as { columns: string[] }).columns).toContain('user_attrs_model_path');
  });

  it("Python's fail_stale_trials fails our RUNNING trial whose heartbeat is too old, and we read it", () => {
    const path = join(dir, 'stale.db');
    const { storage, studyId, runningTrialId } = writeOurStudy(path);
    raw(path, (db) =>
      db
        .prepare("UPDATE trial_heartbeats SET heartbeat = datetime('now', '-120 seconds') WHERE trial_id = ?")
        .run(runningTrialId),
    );
    const seen = python('read_study.py', `sqlite:///${path}`, 'ours', '60');
    expect(seen.trials[5].state).toBe('FAIL');
    const failed = storage.getTrial(runningTrialId);
    expect(storage.getTrials(studyId, ['RUNNING'])).toEqual([]);
    storage.close();
    expect(failed.state).toBe('FAIL');
    expect(failed.datetimeComplete).toBe(seen.trials[5].datetime_complete_ms);
  });

  it('we read a study Python wrote with study.optimize: numbers, values, params, model_path', () => {
    const path = join(dir, 'theirs.db');
    const written = python('write_study.py', `sqlite:///${path}`, 'theirs', '6');
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
    expect(ours[0].distributions).toEqual(SPACE);
  });

  it('Python adds trials to our study, numbering after ours, and we read them', () => {
    const path = join(dir, 'mixed.db');
    const { storage, studyId } = writeOurStudy(path);
    const written = python('write_study.py', `sqlite:///${path}`, 'ours', '3');
    expect(written.trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    const ours = storage.getTrials(studyId);
    storage.close();
    expect(ours.map((t) => [t.number, t.state])).toEqual(written.trials.map((t) => [t.number, t.state]));
    expect(ours[6].userAttrs.model_path).toBe('models/ours/6');
    expect(ours[6].value).toBe(written.trials[6].value);
  });
});
