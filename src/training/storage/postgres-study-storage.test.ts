// PostgresStudyStorage against a real server: schema, round trips, refusals, batches, heartbeats, the cache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, createTestDatabase, postgresAvailable } from '../../../test/postgres-service.js';
import type { Distribution } from '../distributions.js';
import { openStudyStorage } from './open-study-storage.js';
import { PostgresStudyStorage } from './postgres-study-storage.js';
import type { StudyStorage } from './study-storage.js';

const T0 = new Date(2025, 0, 2, 3, 4, 5, 678).getTime();
const lr: Distribution = { kind: 'float', low: 1e-4, high: 1e-1, log: true, step: null };
const opt: Distribution = { kind: 'categorical', choices: ['adam', 'sgd'] };

describe.skipIf(!postgresAvailable())('PostgreSQL study storage', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let clock = T0;
  const opened: StudyStorage[] = [];
  const open = async (): Promise<PostgresStudyStorage> => {
    const storage = await PostgresStudyStorage.open(db.url, db.url, { nowMs: () => clock });
    opened.push(storage);
    return storage;
  };
  const sql = (query: string, params: unknown[] = []) => adminQuery(query, params, db.url);
  let storage: PostgresStudyStorage;

  beforeAll(async () => {
    db = await createTestDatabase('storage');
    storage = await open();
  });
  afterAll(async () => {
    for (const s of opened) await s.close().catch(() => {});
    await db.drop();
  });

  it('creates the schema once, with the versions Optuna 3.1 writes, and reopens it untouched', async () => {
    expect(await sql('SELECT * FROM version_info')).toEqual([
      { version_info_id: 1, schema_version: 12, library_version: '3.1.0' },
    ]);
    expect(await sql('SELECT * FROM alembic_version')).toEqual([{ version_num: 'v3.0.0.d' }]);
    // several processes opening one new database at once: one creates it, the others find it
    const again = await Promise.all([open(), open(), openStudyStorage(db.url)]);
    opened.push(again[2]!);
    expect(await sql("SELECT count(*)::int AS n FROM pg_type WHERE typname = 'trialstate'")).toEqual([
      { n: 1 },
    ]);
  });

  it('refuses a database with part of the schema, or another schema revision, naming it', async () => {
    const other = await createTestDatabase('partial');
    try {
      await adminQuery('CREATE TABLE studies (study_id int)', [], other.url);
      await expect(openStudyStorage(other.url)).rejects.toThrow(
        expect.objectContaining({
          code: 'STUDY_STORAGE_SCHEMA_UNSUPPORTED',
          message: expect.stringContaining('alembic_version'),
        }),
      );
      await adminQuery('DROP TABLE studies', [], other.url);
      await (await openStudyStorage(other.url)).close();
      await adminQuery("UPDATE alembic_version SET version_num = 'v9.9.9.z'", [], other.url);
      await expect(openStudyStorage(other.url)).rejects.toThrow(
        expect.objectContaining({
          code: 'STUDY_STORAGE_SCHEMA_UNSUPPORTED',
          message: expect.stringContaining('v9.9.9.z'),
        }),
      );
    } finally {
      await other.drop();
    }
  });

  it('creates, finds, lists and loads studies; system attributes; refusals', async () => {
    const s = await storage.createStudy('momentum', 'maximize');
    await storage.setStudyUserAttr(s.studyId, 'kind', { name: 'momentum', folds: 4 });
    expect(await storage.findStudy('momentum')).toEqual({
      ...s,
      userAttrs: { kind: { name: 'momentum', folds: 4 } },
    });
    expect(await storage.findStudy('nope')).toBeNull();
    await expect(storage.createStudy('momentum', 'maximize')).rejects.toThrow(
      expect.objectContaining({ code: 'STUDY_EXISTS' }),
    );
    expect((await storage.createStudy('momentum', 'maximize', { loadIfExists: true })).studyId).toBe(
      s.studyId,
    );
    await expect(storage.createStudy('momentum', 'minimize', { loadIfExists: true })).rejects.toThrow(
      expect.objectContaining({ code: 'STUDY_DIRECTION_MISMATCH' }),
    );
    await storage.createStudy('ppo', 'minimize');
    expect((await storage.listStudies()).map((x) => [x.name, x.direction])).toEqual([
      ['momentum', 'maximize'],
      ['ppo', 'minimize'],
    ]);
    await storage.setStudySystemAttr(s.studyId, 'worker:a', { pid: 1 });
    await storage.setStudySystemAttr(s.studyId, 'worker:b', { pid: 2 });
    await storage.setStudySystemAttr(s.studyId, 'worker:a', undefined);
    expect(await storage.getStudySystemAttrs(s.studyId)).toEqual({ 'worker:b': { pid: 2 } });
    await expect(storage.getStudySystemAttrs(999)).rejects.toThrow(
      expect.objectContaining({ code: 'STUDY_NOT_FOUND' }),
    );
    await expect(storage.setStudyUserAttr(999, 'k', 1)).rejects.toThrow(
      expect.objectContaining({ code: 'STUDY_NOT_FOUND' }),
    );
    await expect(storage.createTrial(999)).rejects.toThrow(
      expect.objectContaining({ code: 'STUDY_NOT_FOUND' }),
    );
    await expect(storage.getTrials(999)).rejects.toThrow(
      expect.objectContaining({ code: 'STUDY_NOT_FOUND' }),
    );
  });

  it('numbers trials per study from 0 and round-trips everything a trial holds, stored as Optuna stores it', async () => {
    const a = await storage.createStudy('a', 'maximize');
    const b = await storage.createStudy('b', 'maximize');
    expect((await storage.createTrial(a.studyId)).number).toBe(0);
    expect((await storage.createTrial(b.studyId)).number).toBe(0);
    clock = T0;
    const t = await storage.createTrial(a.studyId, { heartbeat: true, systemAttrs: { worker: { pid: 42 } } });
    expect(t.number).toBe(1);
    await storage.updateTrial(t.trialId, {
      params: [
        { name: 'lr', value: 0.003, distribution: lr },
        { name: 'opt', value: 'sgd', distribution: opt },
      ],
      intermediateValues: [
        { step: 0, value: 0.5 },
        { step: 1, value: Number.NaN },
      ],
      userAttrs: { model_path: 'models/a/1', note: 'café', nested: { x: [1, 2.5, null] } },
    });
    clock = T0 + 1500;
    await storage.updateTrial(t.trialId, { finish: { state: 'COMPLETE', value: Number.POSITIVE_INFINITY } });

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
      datetimeStart: T0,
      datetimeComplete: T0 + 1500,
    });
    expect(
      await sql('SELECT param_value FROM trial_params WHERE trial_id = $1 ORDER BY param_id', [t.trialId]),
    ).toEqual([{ param_value: 0.003 }, { param_value: 1 }]);
    expect(
      await sql('SELECT value, value_type::text FROM trial_values WHERE trial_id = $1', [t.trialId]),
    ).toEqual([{ value: null, value_type: 'INF_POS' }]);
    expect(
      await sql(
        "SELECT to_char(datetime_start, 'YYYY-MM-DD HH24:MI:SS.US') AS s, (SELECT value_json FROM trial_user_attributes WHERE trial_id = $1 AND key = 'note') AS note FROM trials WHERE trial_id = $1",
        [t.trialId],
      ),
    ).toEqual([{ s: '2025-01-02 03:04:05.678000', note: '"caf\\u00e9"' }]);
    expect((await storage.getTrials(a.studyId)).map((x) => x.number)).toEqual([0, 1]);
    expect((await storage.getTrials(a.studyId, ['RUNNING'])).map((x) => x.number)).toEqual([0]);
    expect(await storage.getTrials(a.studyId, [])).toEqual([]);
  });

  it('applies a batch all or nothing, and refuses what Optuna refuses', async () => {
    const s = await storage.createStudy('refusals', 'maximize');
    const t = await storage.createTrial(s.studyId);
    await expect(
      storage.updateTrial(t.trialId, {
        params: [
          { name: 'opt', value: 'sgd', distribution: opt },
          { name: 'lr', value: 0.5, distribution: lr },
        ],
        userAttrs: { kind: 'x' },
      }),
    ).rejects.toThrow(expect.objectContaining({ code: 'STUDY_PARAM_OUT_OF_DISTRIBUTION' }));
    expect(await storage.getTrial(t.trialId)).toMatchObject({ params: {}, userAttrs: {}, state: 'RUNNING' });
    await storage.updateTrial(t.trialId, { params: [{ name: 'opt', value: 'adam', distribution: opt }] });
    const u = await storage.createTrial(s.studyId);
    await expect(
      storage.updateTrial(u.trialId, {
        params: [{ name: 'opt', value: 'adam', distribution: { kind: 'categorical', choices: ['adam'] } }],
      }),
    ).rejects.toThrow(expect.objectContaining({ code: 'STUDY_DISTRIBUTION_INCOMPATIBLE' }));
    await expect(
      storage.updateTrial(u.trialId, {
        params: [
          { name: 'x', value: 1, distribution: { kind: 'float', low: 0, high: 1, log: true, step: null } },
        ],
      }),
    ).rejects.toThrow(expect.objectContaining({ code: 'STUDY_DISTRIBUTION_INVALID' }));
    await expect(
      storage.updateTrial(t.trialId, { finish: { state: 'COMPLETE', value: Number.NaN } }),
    ).rejects.toThrow(expect.objectContaining({ code: 'STUDY_TRIAL_VALUE_INVALID' }));
    await expect(storage.updateTrial(t.trialId, { userAttrs: { bad: Number.NaN } })).rejects.toThrow(
      expect.objectContaining({ code: 'STUDY_ATTR_NOT_JSON' }),
    );
    await storage.updateTrial(t.trialId, { finish: { state: 'PRUNED', value: 0.25 } });
    await expect(storage.updateTrial(t.trialId, { userAttrs: { k: 1 } })).rejects.toThrow(
      expect.objectContaining({ code: 'STUDY_TRIAL_FINISHED' }),
    );
    await storage.updateTrial(u.trialId, { finish: { state: 'FAIL' } });
    expect((await storage.getTrials(s.studyId)).map((x) => [x.state, x.value])).toEqual([
      ['PRUNED', null],
      ['FAIL', null],
    ]);
    expect(
      await sql('SELECT value FROM trial_values WHERE trial_id = ANY($1::int[])', [[t.trialId, u.trialId]]),
    ).toEqual([{ value: 0.25 }]);
    await expect(storage.getTrial(999_999)).rejects.toThrow(
      expect.objectContaining({ code: 'STUDY_TRIAL_NOT_FOUND' }),
    );
    await expect(storage.updateTrial(999_999, {})).rejects.toThrow(
      expect.objectContaining({ code: 'STUDY_TRIAL_NOT_FOUND' }),
    );
    await expect(storage.recordHeartbeat(999_999)).rejects.toThrow(
      expect.objectContaining({ code: 'STUDY_TRIAL_NOT_FOUND' }),
    );
  });

  it('fails RUNNING trials whose heartbeat (the database clock) is older than the grace; the worker is then refused', async () => {
    const s = await storage.createStudy('stale', 'maximize');
    const stale = await storage.createTrial(s.studyId, { heartbeat: true });
    const fresh = await storage.createTrial(s.studyId, { heartbeat: true });
    const silent = await storage.createTrial(s.studyId);
    const done = await storage.createTrial(s.studyId, { heartbeat: true });
    await storage.updateTrial(done.trialId, { finish: { state: 'COMPLETE', value: 1 } });
    await sql(
      "UPDATE trial_heartbeats SET heartbeat = heartbeat - interval '61 seconds' WHERE trial_id = ANY($1::int[])",
      [[stale.trialId, done.trialId]],
    );
    clock = T0 + 90_000;
    expect(await storage.failStaleTrials(s.studyId, 60)).toEqual([stale.number]);
    expect((await storage.getTrials(s.studyId)).map((t) => [t.number, t.state])).toEqual([
      [0, 'FAIL'],
      [1, 'RUNNING'],
      [2, 'RUNNING'],
      [3, 'COMPLETE'],
    ]);
    expect(await storage.failStaleTrials(s.studyId, 60)).toEqual([]);
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
    await expect(storage.failStaleTrials(s.studyId, -1)).rejects.toThrow(
      expect.objectContaining({ code: 'STUDY_GRACE_INVALID' }),
    );
    expect(fresh.number).toBe(1);
  });

  it('reads a finished trial once; running and new trials are read again', async () => {
    const s = await storage.createStudy('cache', 'maximize');
    clock = T0;
    const done = await storage.createTrial(s.studyId);
    await storage.updateTrial(done.trialId, { finish: { state: 'COMPLETE', value: 1 } });
    const running = await storage.createTrial(s.studyId);
    expect((await storage.getTrials(s.studyId)).map((t) => t.state)).toEqual(['COMPLETE', 'RUNNING']);
    await sql("UPDATE trials SET datetime_start = '2001-01-01 00:00:00' WHERE trial_id = $1", [done.trialId]);
    const other = await open();
    await other.updateTrial(running.trialId, { finish: { state: 'PRUNED', value: 0.5 } });
    await other.createTrial(s.studyId);
    const before = storage.stats.roundTrips;
    const trials = await storage.getTrials(s.studyId);
    expect(storage.stats.roundTrips - before).toBe(1);
    expect(trials.map((t) => [t.number, t.state])).toEqual([
      [0, 'COMPLETE'],
      [1, 'PRUNED'],
      [2, 'RUNNING'],
    ]);
    expect(trials[0]!.datetimeStart).toBe(T0);
    expect((await other.getTrial(done.trialId)).datetimeStart).toBe(new Date(2001, 0, 1).getTime());
  });

  it('gives unique, gapless numbers to trials created at once through separate pools', async () => {
    const s = await storage.createStudy('race', 'maximize');
    const storages = await Promise.all([open(), open(), open(), open()]);
    const created = await Promise.all(
      storages.flatMap((st) =>
        Array.from({ length: 10 }, () => st.createTrial(s.studyId, { heartbeat: true })),
      ),
    );
    expect(created.map((c) => c.number).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 40 }, (_, k) => k),
    );
  });
});
