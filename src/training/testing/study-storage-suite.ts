// The StudyStorage tests every implementation must pass (SQLite, PostgreSQL): one suite, run by each
// storage's test file against a fresh database per test.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Distribution } from '../distributions.js';
import type { StudyStorage, TrialUpdate } from '../storage/study-storage.js';

/** The storage clock's start: a local time, so that naive-local datetime columns read back exactly. */
export const SUITE_T0 = new Date(2025, 0, 2, 3, 4, 5, 678).getTime();

/** One fresh database of the storage under test, and what the suite needs beyond the interface. */
export interface StorageUnderTest {
  /** A new connection to the database, its trial times read from `nowMs`; closed by {@link dispose}. */
  open(nowMs: () => number): Promise<StudyStorage>;
  /** Rows of `sql` (no parameters; SQL both databases read) through a connection of its own. */
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** Makes the stored heartbeats of these trials `seconds` older, as if their workers had gone quiet. */
  ageHeartbeats(trialIds: readonly number[], seconds: number): Promise<void>;
  /** trials.datetime_start as Optuna stores it: naive local 'YYYY-MM-DD HH:MM:SS.ffffff'. */
  storedStart(trialId: number): Promise<string>;
  /** Round trips to the database `storage` (opened here) has made so far: a networked database counts them. */
  roundTrips?(storage: StudyStorage): number;
  /** Closes every connection opened and removes the database. */
  dispose(): Promise<void>;
}

const lr: Distribution = { kind: 'float', low: 1e-4, high: 1e-1, log: true, step: null };
const opt: Distribution = { kind: 'categorical', choices: ['adam', 'sgd'] };

/** A float and a categorical parameter, and intermediate values with a NaN: what a trial's writes hold. */
export const SAMPLE_TRIAL_WRITES = {
  params: [
    { name: 'lr', value: 0.003, distribution: lr },
    { name: 'opt', value: 'sgd', distribution: opt },
  ],
  intermediateValues: [
    { step: 0, value: 0.5 },
    { step: 1, value: Number.NaN },
  ],
} as const satisfies TrialUpdate;
const code = (c: string) => expect.objectContaining({ code: c });

/** Registers the shared tests; `fresh` makes a new, empty database for each. */
export function studyStorageSuite(fresh: () => Promise<StorageUnderTest>): void {
  let db: StorageUnderTest;
  let storage: StudyStorage;
  let clock = SUITE_T0;
  beforeEach(async () => {
    clock = SUITE_T0;
    db = await fresh();
    storage = await db.open(() => clock);
  });
  afterEach(async () => {
    await db.dispose();
  });

  describe('studies', () => {
    it('creates, finds, lists, and loads an existing study only when asked', async () => {
      const s = await storage.createStudy('momentum', 'maximize');
      await storage.setStudyUserAttr(s.studyId, 'kind', { name: 'momentum', folds: 4 });
      expect(await storage.findStudy('momentum')).toEqual({
        ...s,
        userAttrs: { kind: { name: 'momentum', folds: 4 } },
      });
      expect(await storage.findStudy('nope')).toBeNull();
      await expect(storage.createStudy('momentum', 'maximize')).rejects.toThrow(code('STUDY_EXISTS'));
      expect((await storage.createStudy('momentum', 'maximize', { loadIfExists: true })).studyId).toBe(
        s.studyId,
      );
      await expect(storage.createStudy('momentum', 'minimize', { loadIfExists: true })).rejects.toThrow(
        code('STUDY_DIRECTION_MISMATCH'),
      );
      await storage.createStudy('ppo', 'minimize');
      expect((await storage.listStudies()).map((x) => [x.name, x.direction])).toEqual([
        ['momentum', 'maximize'],
        ['ppo', 'minimize'],
      ]);
      expect(await db.query('SELECT direction, objective FROM study_directions ORDER BY study_id')).toEqual([
        { direction: 'MAXIMIZE', objective: 0 },
        { direction: 'MINIMIZE', objective: 0 },
      ]);
    });

    it('sets, reads and deletes study system attributes; refuses a study that does not exist', async () => {
      const s = await storage.createStudy('s', 'maximize');
      await storage.setStudySystemAttr(s.studyId, 'worker:a', { n: 1 });
      await storage.setStudySystemAttr(s.studyId, 'worker:b', 'x');
      await storage.setStudySystemAttr(s.studyId, 'worker:a', { n: 2 });
      expect(await storage.getStudySystemAttrs(s.studyId)).toEqual({ 'worker:a': { n: 2 }, 'worker:b': 'x' });
      await storage.setStudySystemAttr(s.studyId, 'worker:b', undefined);
      expect(await storage.getStudySystemAttrs(s.studyId)).toEqual({ 'worker:a': { n: 2 } });
      expect(await db.query('SELECT value_json FROM study_system_attributes')).toEqual([
        { value_json: '{"n": 2}' },
      ]);
      await storage.setStudySystemAttr(s.studyId, 'worker:a', undefined);
      expect(await storage.getStudySystemAttrs(s.studyId)).toEqual({});
      await expect(storage.getStudySystemAttrs(999)).rejects.toThrow(code('STUDY_NOT_FOUND'));
      await expect(storage.setStudyUserAttr(999, 'k', 1)).rejects.toThrow(code('STUDY_NOT_FOUND'));
      await expect(storage.createTrial(999)).rejects.toThrow(code('STUDY_NOT_FOUND'));
      await expect(storage.getTrials(999)).rejects.toThrow(code('STUDY_NOT_FOUND'));
    });
  });

  describe('trials', () => {
    it('numbers trials per study from 0 and round-trips everything a trial holds, stored as Optuna stores it', async () => {
      const a = await storage.createStudy('a', 'maximize');
      const b = await storage.createStudy('b', 'maximize');
      expect((await storage.createTrial(a.studyId)).number).toBe(0);
      expect((await storage.createTrial(b.studyId)).number).toBe(0);
      const t = await storage.createTrial(a.studyId, {
        heartbeat: true,
        systemAttrs: { worker: { pid: 42 } },
      });
      expect(t.number).toBe(1);
      await storage.updateTrial(t.trialId, {
        ...SAMPLE_TRIAL_WRITES,
        userAttrs: { model_path: 'models/a/1', note: 'café', nested: { x: [1, 2.5, null] } },
      });
      clock = SUITE_T0 + 1500;
      await storage.updateTrial(t.trialId, {
        finish: { state: 'COMPLETE', value: Number.POSITIVE_INFINITY },
      });

      expect(await storage.getTrial(t.trialId)).toEqual({
        trialId: t.trialId,
        number: 1,
        state: 'COMPLETE',
        value: Number.POSITIVE_INFINITY,
        params: { lr: 0.003, opt: 'sgd' },
        distributions: { lr, opt },
        userAttrs: { model_path: 'models/a/1', note: 'café', nested: { x: [1, 2.5, null] } },
        systemAttrs: { worker: { pid: 42 } },
        intermediateValues: new Map([
          [0, 0.5],
          [1, Number.NaN],
        ]),
        datetimeStart: SUITE_T0,
        datetimeComplete: SUITE_T0 + 1500,
      });
      const id = t.trialId;
      expect(
        await db.query(`SELECT param_value FROM trial_params WHERE trial_id = ${id} ORDER BY param_id`),
      ).toEqual([{ param_value: 0.003 }, { param_value: 1 }]);
      expect(await db.query(`SELECT value, value_type FROM trial_values WHERE trial_id = ${id}`)).toEqual([
        { value: null, value_type: 'INF_POS' },
      ]);
      expect(
        await db.query(
          `SELECT value_json FROM trial_user_attributes WHERE trial_id = ${id} ORDER BY value_json`,
        ),
      ).toEqual([
        { value_json: '"caf\\u00e9"' },
        { value_json: '"models/a/1"' },
        { value_json: '{"x": [1, 2.5, null]}' },
      ]);
      expect(await db.storedStart(id)).toBe('2025-01-02 03:04:05.678000');
      expect((await storage.getTrials(a.studyId)).map((x) => x.number)).toEqual([0, 1]);
      expect((await storage.getTrials(a.studyId, ['RUNNING'])).map((x) => x.number)).toEqual([0]);
      expect(await storage.getTrials(a.studyId, [])).toEqual([]);
    });

    it('ends PRUNED with its last value stored (hidden from FrozenTrial.value) and FAIL with none', async () => {
      const s = await storage.createStudy('s', 'minimize');
      const pruned = await storage.createTrial(s.studyId);
      await storage.updateTrial(pruned.trialId, { finish: { state: 'PRUNED', value: 0.25 } });
      const failed = await storage.createTrial(s.studyId);
      await storage.updateTrial(failed.trialId, { finish: { state: 'FAIL' } });
      expect((await storage.getTrials(s.studyId)).map((t) => [t.state, t.value])).toEqual([
        ['PRUNED', null],
        ['FAIL', null],
      ]);
      expect(await db.query('SELECT trial_id, value FROM trial_values')).toEqual([
        { trial_id: pruned.trialId, value: 0.25 },
      ]);
    });

    it('refuses what Optuna refuses: a finished trial, a bad value or attribute, an invalid or incompatible distribution, a missing trial', async () => {
      const s = await storage.createStudy('s', 'maximize');
      const t = await storage.createTrial(s.studyId);
      await storage.updateTrial(t.trialId, { params: [{ name: 'opt', value: 'adam', distribution: opt }] });
      const u = await storage.createTrial(s.studyId);
      const param = (name: string, value: number | string, distribution: Distribution) =>
        storage.updateTrial(u.trialId, { params: [{ name, value, distribution }] });
      await expect(param('opt', 'adam', { kind: 'categorical', choices: ['adam'] })).rejects.toThrow(
        code('STUDY_DISTRIBUTION_INCOMPATIBLE'),
      );
      await expect(param('lr', 0.5, lr)).rejects.toThrow(code('STUDY_PARAM_OUT_OF_DISTRIBUTION'));
      await expect(param('x', 1, { kind: 'float', low: 0, high: 1, log: true, step: null })).rejects.toThrow(
        code('STUDY_DISTRIBUTION_INVALID'),
      );
      await expect(
        storage.updateTrial(t.trialId, { finish: { state: 'COMPLETE', value: Number.NaN } }),
      ).rejects.toThrow(code('STUDY_TRIAL_VALUE_INVALID'));
      await expect(storage.updateTrial(t.trialId, { userAttrs: { bad: Number.NaN } })).rejects.toThrow(
        code('STUDY_ATTR_NOT_JSON'),
      );
      await storage.updateTrial(t.trialId, { finish: { state: 'COMPLETE', value: 1 } });
      await expect(storage.updateTrial(t.trialId, { userAttrs: { k: 1 } })).rejects.toThrow(
        code('STUDY_TRIAL_FINISHED'),
      );
      await expect(storage.updateTrial(t.trialId, { finish: { state: 'FAIL' } })).rejects.toThrow(
        code('STUDY_TRIAL_FINISHED'),
      );
      await expect(storage.getTrial(999_999)).rejects.toThrow(code('STUDY_TRIAL_NOT_FOUND'));
      await expect(storage.updateTrial(999_999, {})).rejects.toThrow(code('STUDY_TRIAL_NOT_FOUND'));
      await expect(storage.recordHeartbeat(999_999)).rejects.toThrow(code('STUDY_TRIAL_NOT_FOUND'));
      await expect(storage.createTrial(999_999)).rejects.toThrow(code('STUDY_NOT_FOUND'));
    });
  });

  describe('batched writes', () => {
    it('applies a batch in one transaction: all of it, or nothing when one entry is refused', async () => {
      const s = await storage.createStudy('s', 'maximize');
      const t = await storage.createTrial(s.studyId);
      await expect(
        storage.updateTrial(t.trialId, {
          params: [
            { name: 'opt', value: 'sgd', distribution: opt },
            { name: 'lr', value: 0.5, distribution: lr },
          ],
          userAttrs: { kind: 'x' },
        }),
      ).rejects.toThrow(code('STUDY_PARAM_OUT_OF_DISTRIBUTION'));
      expect(await storage.getTrial(t.trialId)).toMatchObject({
        params: {},
        userAttrs: {},
        state: 'RUNNING',
      });

      await storage.updateTrial(t.trialId, {
        params: [{ name: 'opt', value: 'sgd', distribution: opt }],
        intermediateValues: [
          { step: 0, value: 0.1 },
          { step: 1, value: 0.2 },
        ],
        userAttrs: { kind: 'x', model_path: 'models/s/0' },
        systemAttrs: { worker: 'w1' },
        finish: { state: 'COMPLETE', value: 0.2 },
      });
      expect(await storage.getTrial(t.trialId)).toMatchObject({
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
      await expect(storage.updateTrial(t.trialId, { userAttrs: { late: 1 } })).rejects.toThrow(
        code('STUDY_TRIAL_FINISHED'),
      );
    });

    it('creates a trial with its first heartbeat and system attributes in the same transaction', async () => {
      const s = await storage.createStudy('s', 'maximize');
      const t = await storage.createTrial(s.studyId, {
        heartbeat: true,
        systemAttrs: { worker: { host: 'h', pid: 7 } },
      });
      const plain = await storage.createTrial(s.studyId);
      expect(await db.query('SELECT trial_id FROM trial_heartbeats')).toEqual([{ trial_id: t.trialId }]);
      expect((await storage.getTrial(t.trialId)).systemAttrs).toEqual({ worker: { host: 'h', pid: 7 } });
      expect((await storage.getTrial(plain.trialId)).systemAttrs).toEqual({});
    });

    it('reads a finished trial once; running and new trials are read again (in one round trip)', async () => {
      const s = await storage.createStudy('s', 'maximize');
      const done = await storage.createTrial(s.studyId);
      await storage.updateTrial(done.trialId, { finish: { state: 'COMPLETE', value: 1 } });
      const running = await storage.createTrial(s.studyId);
      expect((await storage.getTrials(s.studyId)).map((t) => t.state)).toEqual(['COMPLETE', 'RUNNING']);

      // Another connection changes the rows: the finished trial is not read again (Optuna never changes
      // one), the running one and a new one are.
      await db.query(
        `UPDATE trials SET datetime_start = '2001-01-01 00:00:00' WHERE trial_id = ${done.trialId}`,
      );
      const other = await db.open(() => clock);
      await other.updateTrial(running.trialId, { finish: { state: 'PRUNED', value: 0.5 } });
      await other.createTrial(s.studyId);
      const before = db.roundTrips?.(storage);
      const trials = await storage.getTrials(s.studyId);
      if (before !== undefined) expect(db.roundTrips!(storage) - before).toBe(1); // new and running trials only
      expect(trials.map((t) => [t.number, t.state])).toEqual([
        [0, 'COMPLETE'],
        [1, 'PRUNED'],
        [2, 'RUNNING'],
      ]);
      expect(trials[0]!.datetimeStart).toBe(SUITE_T0);
      expect((await storage.getTrials(s.studyId, ['COMPLETE', 'PRUNED'])).map((t) => t.number)).toEqual([
        0, 1,
      ]);
      expect((await other.getTrial(done.trialId)).datetimeStart).toBe(new Date(2001, 0, 1).getTime());
    });
  });

  describe('heartbeats', () => {
    it('fails RUNNING trials whose heartbeat is older than the grace period, leaves the rest alone; the worker is then refused', async () => {
      const s = await storage.createStudy('s', 'maximize');
      const stale = await storage.createTrial(s.studyId);
      const fresh = await storage.createTrial(s.studyId, { heartbeat: true });
      const silent = await storage.createTrial(s.studyId);
      const done = await storage.createTrial(s.studyId, { heartbeat: true });
      await storage.recordHeartbeat(stale.trialId);
      await storage.recordHeartbeat(stale.trialId);
      await storage.updateTrial(done.trialId, { finish: { state: 'COMPLETE', value: 1 } });
      await db.ageHeartbeats([stale.trialId, done.trialId], 61);

      clock = SUITE_T0 + 90_000;
      expect(await storage.failStaleTrials(s.studyId, 60)).toEqual([stale.number]);
      expect(
        (await storage.getTrials(s.studyId)).map((t) => [t.number, t.state, t.datetimeComplete]),
      ).toEqual([
        [0, 'FAIL', SUITE_T0 + 90_000],
        [1, 'RUNNING', null],
        [2, 'RUNNING', null],
        [3, 'COMPLETE', SUITE_T0],
      ]);
      expect(await storage.failStaleTrials(s.studyId, 60)).toEqual([]);
      expect(fresh.number).toBe(1);
      expect(silent.number).toBe(2);
      // Optuna's "Trial#N has already finished": the worker of the failed trial is refused with a clear error
      await expect(
        storage.updateTrial(stale.trialId, { finish: { state: 'COMPLETE', value: 1 } }),
      ).rejects.toThrow(
        expect.objectContaining({
          code: 'STUDY_TRIAL_FINISHED',
          message: expect.stringContaining('already FAIL'),
        }),
      );
      await expect(storage.failStaleTrials(s.studyId, -1)).rejects.toThrow(code('STUDY_GRACE_INVALID'));
    });
  });
}
