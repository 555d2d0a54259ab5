import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Distribution } from '../distributions.js';
import { openSqliteStudyStorage, openStudyStorage } from './open-study-storage.js';
import { OPTUNA_DDL } from './optuna-schema.js';
import type { SqliteDatabase } from './sqlite-driver.js';
import { SqliteStudyStorage } from './sqlite-study-storage.js';

const Database = createRequire(import.meta.url)('better-sqlite3') as new (path: string) => SqliteDatabase;
const T0 = new Date(2025, 0, 2, 3, 4, 5, 678).getTime();
const lr: Distribution = { kind: 'float', low: 1e-4, high: 1e-1, log: true, step: null };
const opt: Distribution = { kind: 'categorical', choices: ['adam', 'sgd'] };

let dir: string;
let path: string;
let storage: SqliteStudyStorage;
let clock: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'study-storage-'));
  path = join(dir, 'studies.db');
  clock = T0;
  storage = SqliteStudyStorage.open(path, { nowMs: () => clock });
});
afterEach(() => {
  storage.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A second, raw connection: what another process or a hand edit would see and do. */
function raw<T>(fn: (db: SqliteDatabase) => T): T {
  const db = new Database(path);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

describe('schema', () => {
  it('creates the Optuna 3.1 tables, version rows and WAL mode in a new file', () => {
    const sql = raw((db) =>
      db.prepare('SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid').all(),
    );
    expect(sql.map((r) => r.sql)).toEqual(OPTUNA_DDL);
    expect(raw((db) => db.prepare('SELECT * FROM version_info').all())).toEqual([
      { version_info_id: 1, schema_version: 12, library_version: '3.1.0' },
    ]);
    expect(raw((db) => db.prepare('SELECT * FROM alembic_version').all())).toEqual([
      { version_num: 'v3.0.0.d' },
    ]);
    expect(raw((db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
  });

  it('reopens an existing database without touching it', () => {
    storage.createStudy('s', 'maximize');
    storage.close();
    storage = SqliteStudyStorage.open(path);
    expect(storage.listStudies().map((s) => s.name)).toEqual(['s']);
  });

  it('refuses a database of another schema revision or without Optuna tables', () => {
    raw((db) => db.exec("UPDATE alembic_version SET version_num = 'v9.9.9.z'"));
    expect(() => SqliteStudyStorage.open(path)).toThrow(
      expect.objectContaining({
        code: 'STUDY_STORAGE_SCHEMA_UNSUPPORTED',
        message: expect.stringContaining('v9.9.9.z'),
      }),
    );
    const other = join(dir, 'other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE t (x)');
    db.close();
    expect(() => openSqliteStudyStorage(other)).toThrow(
      expect.objectContaining({ code: 'STUDY_STORAGE_SCHEMA_UNSUPPORTED' }),
    );
  });

  it('opens a private in-memory database for sqlite:///:memory:', () => {
    const memory = openSqliteStudyStorage('sqlite:///:memory:');
    const { studyId } = memory.createStudy('m', 'minimize');
    expect(memory.createTrial(studyId).number).toBe(0);
    memory.close();
  });

  it('refuses a file that is not SQLite, naming the path (the asynchronous opener rejects alike)', async () => {
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'x'.repeat(4096));
    const expected = expect.objectContaining({
      code: 'STUDY_STORAGE_OPEN_FAILED',
      message: expect.stringContaining(junk),
    });
    expect(() => openSqliteStudyStorage(`sqlite:///${junk}`)).toThrow(expected);
    await expect(openStudyStorage(`sqlite:///${junk}`)).rejects.toThrow(expected);
  });
});

describe('studies', () => {
  it('creates, finds, lists, and loads an existing study only when asked', () => {
    const s = storage.createStudy('momentum', 'maximize');
    storage.setStudyUserAttr(s.studyId, 'kind', { name: 'momentum', folds: 4 });
    expect(storage.findStudy('momentum')).toEqual({
      ...s,
      userAttrs: { kind: { name: 'momentum', folds: 4 } },
    });
    expect(storage.findStudy('nope')).toBeNull();
    expect(() => storage.createStudy('momentum', 'maximize')).toThrow(
      expect.objectContaining({ code: 'STUDY_EXISTS' }),
    );
    expect(storage.createStudy('momentum', 'maximize', { loadIfExists: true }).studyId).toBe(s.studyId);
    expect(() => storage.createStudy('momentum', 'minimize', { loadIfExists: true })).toThrow(
      expect.objectContaining({ code: 'STUDY_DIRECTION_MISMATCH' }),
    );
    storage.createStudy('ppo', 'minimize');
    expect(storage.listStudies().map((x) => [x.name, x.direction])).toEqual([
      ['momentum', 'maximize'],
      ['ppo', 'minimize'],
    ]);
    expect(
      raw((db) => db.prepare('SELECT direction, objective FROM study_directions ORDER BY study_id').all()),
    ).toEqual([
      { direction: 'MAXIMIZE', objective: 0 },
      { direction: 'MINIMIZE', objective: 0 },
    ]);
  });
});

describe('trials', () => {
  it('numbers trials per study from 0 and round-trips everything a trial holds', () => {
    const a = storage.createStudy('a', 'maximize');
    const b = storage.createStudy('b', 'maximize');
    expect(storage.createTrial(a.studyId).number).toBe(0);
    expect(storage.createTrial(b.studyId).number).toBe(0);
    const t = storage.createTrial(a.studyId);
    expect(t.number).toBe(1);

    storage.setTrialParam(t.trialId, 'lr', 0.003, lr);
    storage.setTrialParam(t.trialId, 'opt', 'sgd', opt);
    storage.setTrialIntermediateValue(t.trialId, 0, 0.5);
    storage.setTrialIntermediateValue(t.trialId, 1, Number.NaN);
    storage.setTrialUserAttr(t.trialId, 'model_path', 'models/a/1');
    storage.setTrialSystemAttr(t.trialId, 'worker', { pid: 42 });
    clock = T0 + 1500;
    storage.finishTrial(t.trialId, 'COMPLETE', Number.POSITIVE_INFINITY);

    const trial = storage.getTrial(t.trialId);
    expect(trial).toEqual({
      trialId: t.trialId,
      number: 1,
      state: 'COMPLETE',
      value: Number.POSITIVE_INFINITY,
      params: { lr: 0.003, opt: 'sgd' },
      distributions: { lr, opt },
      userAttrs: { model_path: 'models/a/1' },
      systemAttrs: { worker: { pid: 42 } },
      intermediateValues: new Map([
        [0, 0.5],
        [1, Number.NaN],
      ]),
      datetimeStart: T0,
      datetimeComplete: T0 + 1500,
    });
    expect(raw((db) => db.prepare('SELECT param_value FROM trial_params ORDER BY param_id').all())).toEqual([
      { param_value: 0.003 },
      { param_value: 1 },
    ]);
    expect(raw((db) => db.prepare('SELECT value, value_type FROM trial_values').get())).toEqual({
      value: null,
      value_type: 'INF_POS',
    });
    expect(storage.getTrials(a.studyId).map((x) => x.number)).toEqual([0, 1]);
    expect(storage.getTrials(a.studyId, ['RUNNING']).map((x) => x.number)).toEqual([0]);
    expect(storage.getTrials(a.studyId, [])).toEqual([]);
  });

  it('ends PRUNED with its last value stored (hidden from FrozenTrial.value) and FAIL with none', () => {
    const s = storage.createStudy('s', 'minimize');
    const pruned = storage.createTrial(s.studyId);
    storage.finishTrial(pruned.trialId, 'PRUNED', 0.25);
    const failed = storage.createTrial(s.studyId);
    storage.finishTrial(failed.trialId, 'FAIL');
    expect(storage.getTrials(s.studyId).map((t) => [t.state, t.value])).toEqual([
      ['PRUNED', null],
      ['FAIL', null],
    ]);
    expect(raw((db) => db.prepare('SELECT trial_id, value FROM trial_values').all())).toEqual([
      { trial_id: pruned.trialId, value: 0.25 },
    ]);
  });

  it('refuses to update a finished trial, a bad value, or an incompatible distribution', () => {
    const s = storage.createStudy('s', 'maximize');
    const t = storage.createTrial(s.studyId);
    storage.setTrialParam(t.trialId, 'opt', 'adam', opt);
    const u = storage.createTrial(s.studyId);
    expect(() =>
      storage.setTrialParam(u.trialId, 'opt', 'adam', { kind: 'categorical', choices: ['adam'] }),
    ).toThrow(expect.objectContaining({ code: 'STUDY_DISTRIBUTION_INCOMPATIBLE' }));
    expect(() => storage.setTrialParam(u.trialId, 'lr', 0.5, lr)).toThrow(
      expect.objectContaining({ code: 'STUDY_PARAM_OUT_OF_DISTRIBUTION' }),
    );
    expect(() =>
      storage.setTrialParam(u.trialId, 'x', 1, { kind: 'float', low: 0, high: 1, log: true, step: null }),
    ).toThrow(expect.objectContaining({ code: 'STUDY_DISTRIBUTION_INVALID' }));
    expect(() => storage.finishTrial(t.trialId, 'COMPLETE', Number.NaN)).toThrow(
      expect.objectContaining({ code: 'STUDY_TRIAL_VALUE_INVALID' }),
    );
    expect(() => storage.setTrialUserAttr(t.trialId, 'bad', Number.NaN)).toThrow(
      expect.objectContaining({ code: 'STUDY_ATTR_NOT_JSON' }),
    );
    storage.finishTrial(t.trialId, 'COMPLETE', 1);
    expect(() => storage.setTrialUserAttr(t.trialId, 'k', 1)).toThrow(
      expect.objectContaining({ code: 'STUDY_TRIAL_FINISHED' }),
    );
    expect(() => storage.finishTrial(t.trialId, 'FAIL')).toThrow(
      expect.objectContaining({ code: 'STUDY_TRIAL_FINISHED' }),
    );
    expect(() => storage.getTrial(9999)).toThrow(expect.objectContaining({ code: 'STUDY_TRIAL_NOT_FOUND' }));
    expect(() => storage.createTrial(9999)).toThrow(expect.objectContaining({ code: 'STUDY_NOT_FOUND' }));
  });

  it('names the table, row and field of a row it cannot decode', () => {
    const s = storage.createStudy('s', 'maximize');
    const t = storage.createTrial(s.studyId);
    storage.setTrialParam(t.trialId, 'opt', 'sgd', opt);
    raw((db) => db.exec('UPDATE trial_params SET distribution_json = \'{"name": "Nope"}\''));
    expect(() => storage.getTrials(s.studyId)).toThrow(
      /trial_params row param_id=1, field distribution_json/,
    );
    raw((db) => db.exec("UPDATE trials SET state = 'DONE'"));
    expect(() => storage.getTrials(s.studyId)).toThrow(
      expect.objectContaining({
        code: 'STUDY_STORAGE_ROW_INVALID',
        context: expect.objectContaining({ table: 'trials', field: 'state' }),
      }),
    );
  });
});

describe('batched writes, system attributes and the finished-trial cache', () => {
  it('applies a batch in one transaction: all of it, or nothing when one entry is refused', () => {
    const s = storage.createStudy('s', 'maximize');
    const t = storage.createTrial(s.studyId);
    expect(() =>
      storage.updateTrial(t.trialId, {
        params: [
          { name: 'opt', value: 'sgd', distribution: opt },
          { name: 'lr', value: 0.5, distribution: lr },
        ],
        userAttrs: { kind: 'x' },
      }),
    ).toThrow(expect.objectContaining({ code: 'STUDY_PARAM_OUT_OF_DISTRIBUTION' }));
    expect(storage.getTrial(t.trialId)).toMatchObject({ params: {}, userAttrs: {}, state: 'RUNNING' });

    storage.updateTrial(t.trialId, {
      params: [{ name: 'opt', value: 'sgd', distribution: opt }],
      intermediateValues: [
        { step: 0, value: 0.1 },
        { step: 1, value: 0.2 },
      ],
      userAttrs: { kind: 'x', model_path: 'models/s/0' },
      systemAttrs: { worker: 'w1' },
      finish: { state: 'COMPLETE', value: 0.2 },
    });
    expect(storage.getTrial(t.trialId)).toMatchObject({
      state: 'COMPLETE',
      value: 0.2,
      params: { opt: 'sgd' },
      userAttrs: { kind: 'x', model_path: 'models/s/0' },
      systemAttrs: { worker: 'w1' },
      intermediateValues: new Map([
        [0, 0.1],
        [1, 0.2],
      ]),
    });
    expect(() => storage.updateTrial(t.trialId, { userAttrs: { late: 1 } })).toThrow(
      expect.objectContaining({ code: 'STUDY_TRIAL_FINISHED' }),
    );
  });

  it('creates a trial with its first heartbeat and system attributes in the same transaction', () => {
    const s = storage.createStudy('s', 'maximize');
    const t = storage.createTrial(s.studyId, {
      heartbeat: true,
      systemAttrs: { worker: { host: 'h', pid: 7 } },
    });
    const plain = storage.createTrial(s.studyId);
    expect(raw((db) => db.prepare('SELECT trial_id FROM trial_heartbeats').all())).toEqual([
      { trial_id: t.trialId },
    ]);
    expect(storage.getTrial(t.trialId).systemAttrs).toEqual({ worker: { host: 'h', pid: 7 } });
    expect(storage.getTrial(plain.trialId).systemAttrs).toEqual({});
  });

  it('sets, reads and deletes study system attributes', () => {
    const s = storage.createStudy('s', 'maximize');
    storage.setStudySystemAttr(s.studyId, 'a', { n: 1 });
    storage.setStudySystemAttr(s.studyId, 'b', 'x');
    storage.setStudySystemAttr(s.studyId, 'a', { n: 2 });
    expect(storage.getStudySystemAttrs(s.studyId)).toEqual({ a: { n: 2 }, b: 'x' });
    storage.setStudySystemAttr(s.studyId, 'b', undefined);
    expect(storage.getStudySystemAttrs(s.studyId)).toEqual({ a: { n: 2 } });
    expect(raw((db) => db.prepare('SELECT value_json FROM study_system_attributes').all())).toEqual([
      { value_json: '{"n": 2}' },
    ]);
    expect(() => storage.getStudySystemAttrs(999)).toThrow(
      expect.objectContaining({ code: 'STUDY_NOT_FOUND' }),
    );
  });

  it('reads a finished trial once; running and new trials are read again', () => {
    const s = storage.createStudy('s', 'maximize');
    const done = storage.createTrial(s.studyId);
    storage.finishTrial(done.trialId, 'COMPLETE', 1);
    const running = storage.createTrial(s.studyId);
    expect(storage.getTrials(s.studyId).map((t) => t.state)).toEqual(['COMPLETE', 'RUNNING']);

    // Another connection changes the rows: the finished trial is not read again (Optuna never changes
    // one), the running one and a new one are.
    raw((db) =>
      db.exec(`UPDATE trials SET datetime_start = '2001-01-01 00:00:00' WHERE trial_id = ${done.trialId}`),
    );
    const other = SqliteStudyStorage.open(path);
    other.finishTrial(running.trialId, 'PRUNED', 0.5);
    other.createTrial(s.studyId);
    other.close();
    const trials = storage.getTrials(s.studyId);
    expect(trials.map((t) => [t.number, t.state])).toEqual([
      [0, 'COMPLETE'],
      [1, 'PRUNED'],
      [2, 'RUNNING'],
    ]);
    expect(trials[0]!.datetimeStart).toBe(T0);
    expect(storage.getTrials(s.studyId, ['COMPLETE', 'PRUNED']).map((t) => t.number)).toEqual([0, 1]);
    expect(SqliteStudyStorage.open(path).getTrial(done.trialId).datetimeStart).toBe(
      new Date(2001, 0, 1).getTime(),
    );
  });
});

describe('heartbeats', () => {
  it('fails RUNNING trials whose heartbeat is older than the grace period, leaves the rest alone', () => {
    const s = storage.createStudy('s', 'maximize');
    const stale = storage.createTrial(s.studyId);
    const fresh = storage.createTrial(s.studyId);
    const silent = storage.createTrial(s.studyId);
    const done = storage.createTrial(s.studyId);
    for (const t of [stale, fresh, done]) storage.recordHeartbeat(t.trialId);
    storage.recordHeartbeat(stale.trialId);
    storage.finishTrial(done.trialId, 'COMPLETE', 1);
    const heartbeat = raw((db) =>
      db.prepare('SELECT heartbeat FROM trial_heartbeats WHERE trial_id = ?').get(stale.trialId),
    );
    expect(heartbeat?.heartbeat).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    raw((db) =>
      db.exec(
        `UPDATE trial_heartbeats SET heartbeat = datetime('now', '-61 seconds') WHERE trial_id IN (${stale.trialId}, ${done.trialId})`,
      ),
    );

    clock = T0 + 90_000;
    expect(storage.failStaleTrials(s.studyId, 60)).toEqual([stale.number]);
    const byNumber = storage.getTrials(s.studyId).map((t) => [t.number, t.state, t.datetimeComplete]);
    expect(byNumber).toEqual([
      [0, 'FAIL', T0 + 90_000],
      [1, 'RUNNING', null],
      [2, 'RUNNING', null],
      [3, 'COMPLETE', T0],
    ]);
    expect(storage.failStaleTrials(s.studyId, 60)).toEqual([]);
    expect(silent.number).toBe(2);
    expect(() => storage.finishTrial(stale.trialId, 'COMPLETE', 1)).toThrow(
      expect.objectContaining({ code: 'STUDY_TRIAL_FINISHED' }),
    );
  });
});
