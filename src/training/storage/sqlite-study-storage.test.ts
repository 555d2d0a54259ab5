import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Distribution } from '../distributions.js';
import { withSqliteConnection } from '../testing/sqlite-connection.js';
import {
  SAMPLE_TRIAL_WRITES,
  type StorageUnderTest,
  studyStorageSuite,
} from '../testing/study-storage-suite.js';
import { openSqliteStudyStorage, openStudyStorage } from './open-study-storage.js';
import { OPTUNA_DDL } from './optuna-schema.js';
import type { SqliteDatabase } from './sqlite-driver.js';
import { SqliteStudyStorage } from './sqlite-study-storage.js';
import { asyncStudyStorage, type StudyStorage } from './study-storage.js';

const T0 = new Date(2025, 0, 2, 3, 4, 5, 678).getTime();
const opt: Distribution = { kind: 'categorical', choices: ['adam', 'sgd'] };

/** A new SQLite file for the shared suite, opened through the asynchronous interface as the CLI opens it. */
function freshSqlite(): Promise<StorageUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'study-storage-'));
  const path = join(dir, 'studies.db');
  const opened: StudyStorage[] = [];
  return Promise.resolve({
    open: async (nowMs) => {
      const storage = asyncStudyStorage(SqliteStudyStorage.open(path, { nowMs }));
      opened.push(storage);
      return storage;
    },
    query: async (sql) =>
      withSqliteConnection(path, (db) => {
        if (/^\s*SELECT/i.test(sql)) return db.prepare(sql).all();
        db.exec(sql);
        return [];
      }),
    ageHeartbeats: async (trialIds, seconds) =>
      withSqliteConnection(path, (db) =>
        db.exec(
          `UPDATE trial_heartbeats SET heartbeat = datetime(heartbeat, '-${seconds} seconds') WHERE trial_id IN (${trialIds.join(', ')})`,
        ),
      ),
    storedStart: async (trialId) =>
      String(
        withSqliteConnection(path, (db) =>
          db.prepare('SELECT datetime_start FROM trials WHERE trial_id = ?').get(trialId),
        )?.datetime_start,
      ),
    dispose: async () => {
      for (const storage of opened) await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

describe('SQLite study storage: the StudyStorage suite', () => {
  studyStorageSuite(freshSqlite);
});

describe('SQLite study storage: its own file, driver and synchronous writers', () => {
  let dir: string;
  let path: string;
  let storage: SqliteStudyStorage;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'study-storage-'));
    path = join(dir, 'studies.db');
    storage = SqliteStudyStorage.open(path, { nowMs: () => T0 });
  });
  afterEach(() => {
    storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const raw = <T>(fn: (db: SqliteDatabase) => T): T => withSqliteConnection(path, fn);

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
      withSqliteConnection(other, (db) => db.exec('CREATE TABLE t (x)'));
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

  describe('rows and writers', () => {
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

    it('writes one field at a time (setTrialParam, ..., finishTrial) as one updateTrial batch would', () => {
      const update = {
        ...SAMPLE_TRIAL_WRITES,
        userAttrs: { model_path: 'models/s/0' },
        systemAttrs: { worker: { pid: 42 } },
        finish: { state: 'COMPLETE', value: Number.POSITIVE_INFINITY },
      } as const;
      const s = storage.createStudy('s', 'maximize');
      const one = storage.createTrial(s.studyId).trialId;
      for (const p of update.params) storage.setTrialParam(one, p.name, p.value, p.distribution);
      for (const v of update.intermediateValues) storage.setTrialIntermediateValue(one, v.step, v.value);
      for (const [k, v] of Object.entries(update.userAttrs)) storage.setTrialUserAttr(one, k, v);
      for (const [k, v] of Object.entries(update.systemAttrs)) storage.setTrialSystemAttr(one, k, v);
      storage.finishTrial(one, update.finish.state, update.finish.value);
      const batch = storage.createTrial(s.studyId).trialId;
      storage.updateTrial(batch, update);
      const { trialId: _a, number: _n, ...viaSetters } = storage.getTrial(one);
      const { trialId: _b, number: _m, ...viaBatch } = storage.getTrial(batch);
      expect(viaSetters).toEqual(viaBatch);
      expect(viaSetters).toMatchObject({
        state: 'COMPLETE',
        value: Number.POSITIVE_INFINITY,
        params: { lr: 0.003, opt: 'sgd' },
        userAttrs: { model_path: 'models/s/0' },
        systemAttrs: { worker: { pid: 42 } },
      });
    });

    it('records heartbeats in the text form SQLite gives datetime("now"), as Optuna does', () => {
      const s = storage.createStudy('s', 'maximize');
      const t = storage.createTrial(s.studyId);
      storage.recordHeartbeat(t.trialId);
      storage.recordHeartbeat(t.trialId);
      const heartbeat = raw((db) =>
        db.prepare('SELECT heartbeat FROM trial_heartbeats WHERE trial_id = ?').get(t.trialId),
      );
      expect(heartbeat?.heartbeat).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    });
  });
});
