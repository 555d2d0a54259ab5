// Python Optuna 3.1 (SQLAlchemy + psycopg2) and our PostgreSQL storage on one database: schema, both
// directions of reading, Python's stale-trial check on our heartbeats, and processes of both racing for numbers.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminQuery,
  createTestDatabase,
  postgresAvailable,
  postgresBinDir,
} from '../../../test/postgres-service.js';
import { serviceAvailable } from '../../../test/require-service.js';
import { rankCompletedTrials } from '../ranked-trials.js';
import {
  expectedPyTrial,
  expectPythonSeesOurStudy,
  INTEROP_SCRIPTS,
  INTEROP_SPACE,
  INTEROP_TZ,
  interopClock,
  PYTHON,
  pythonModulesAvailable,
  runPythonScript,
  useInteropTimeZone,
  withoutSystemAttrs,
  writeOurStudy,
} from '../testing/python-optuna.js';
import { startRacer, TRIAL_WORKER } from '../testing/trial-racer.js';
import { PostgresStudyStorage } from './postgres-study-storage.js';

const hasPostgres = postgresAvailable();
const hasOptuna =
  hasPostgres &&
  pythonModulesAvailable(
    'python3-optuna with python3-psycopg2 and python3-sqlalchemy',
    'optuna, psycopg2, sqlalchemy',
  );
const pgDump = (() => {
  const bin = postgresBinDir();
  return bin !== null && existsSync(join(bin, 'pg_dump')) ? join(bin, 'pg_dump') : null;
})();
const hasPgDump =
  hasOptuna && serviceAvailable('pg_dump (postgresql server binaries)', () => pgDump !== null);

/** SQLAlchemy's form of our URL (Python users pass this one). */
const sqlalchemyUrl = (url: string) => url.replace(/^postgresql:/, 'postgresql+psycopg2:');

/** Writes study `ours` (see writeOurStudy) into the database at `url`; the storage stays open. */
async function writeOurPostgresStudy(url: string) {
  const storage = await PostgresStudyStorage.open(url, url, { nowMs: interopClock() });
  return { storage, ...(await writeOurStudy(storage)) };
}

async function findOurs(url: string) {
  const storage = await PostgresStudyStorage.open(url, url);
  try {
    return await storage.findStudy('ours');
  } finally {
    await storage.close();
  }
}

describe.skipIf(!hasOptuna)('Python Optuna 3.1 and our PostgreSQL storage on one database', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const dir = mkdtempSync(join(tmpdir(), 'pg-interop-'));
  useInteropTimeZone();
  beforeAll(async () => {
    db = await createTestDatabase('interop');
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  });

  it.skipIf(!hasPgDump)(
    'creates the very schema Optuna creates (pg_dump --schema-only of both is identical)',
    async () => {
      const theirs = await createTestDatabase('schema_py');
      const ours = await createTestDatabase('schema_ours');
      try {
        runPythonScript('write_study.py', sqlalchemyUrl(theirs.url), 'schema', '1');
        await (await PostgresStudyStorage.open(ours.url, ours.url)).close();
        const dump = (url: string) =>
          execFileSync(pgDump!, ['--schema-only', '--no-owner', url], { encoding: 'utf8' })
            .split('\n')
            .filter((line) => !/^\\(un)?restrict /.test(line)) // a random key per dump
            .join('\n');
        const theirSchema = dump(theirs.url);
        expect(theirSchema).toContain('CREATE TYPE public.trialstate AS ENUM');
        expect(dump(ours.url)).toBe(theirSchema);
        for (const url of [theirs.url, ours.url]) {
          expect(await adminQuery('SELECT * FROM version_info', [], url)).toEqual([
            { version_info_id: 1, schema_version: 12, library_version: '3.1.0' },
          ]);
          expect(await adminQuery('SELECT * FROM alembic_version', [], url)).toEqual([
            { version_num: 'v3.0.0.d' },
          ]);
        }
      } finally {
        await theirs.drop();
        await ours.drop();
      }
    },
  );

  it('Python lists our trials with their params, values, states, attributes and times', async () => {
    const { storage, studyId } = await writeOurPostgresStudy(db.url);
    const ours = await storage.getTrials(studyId);
    await storage.close();
    const seen = runPythonScript('read_study.py', sqlalchemyUrl(db.url), 'ours');
    expect(seen.optuna_version).toBe('3.1.0');
    expectPythonSeesOurStudy(seen, ours);
    // Optuna 3.1's best-trial query orders by value DESC, and PostgreSQL sorts NULL (how -inf is stored)
    // first there: Python calls the -inf trial of a maximised study the best. Our ranking does not.
    expect(seen.best_trial).toEqual({ number: 3, value: Number.NEGATIVE_INFINITY });
    expect(rankCompletedTrials((await findOurs(db.url))!, ours, '/ws')[0]).toMatchObject({
      number: 4,
      value: 1.25,
    });
    // naive local time, as Optuna's datetime.now(): 12:00:01.484 UTC is 08:00:01.484 in New York (EDT)
    expect(
      await adminQuery(
        "SELECT datetime_start::text AS s FROM trials t JOIN studies s USING (study_id) WHERE s.study_name = 'ours' AND number = 0",
        [],
        db.url,
      ),
    ).toEqual([{ s: '2025-07-01 08:00:01.484' }]);
  });

  it("Python's fail_stale_trials fails our RUNNING trial whose heartbeat is too old, and we read it", async () => {
    const storage = await PostgresStudyStorage.open(db.url, db.url);
    try {
      const study = (await storage.findStudy('ours'))!;
      const [running] = await storage.getTrials(study.studyId, ['RUNNING']);
      await adminQuery(
        "UPDATE trial_heartbeats SET heartbeat = heartbeat - interval '120 seconds' WHERE trial_id = $1",
        [running!.trialId],
        db.url,
      );
      const seen = runPythonScript('read_study.py', sqlalchemyUrl(db.url), 'ours', '60');
      expect(seen.trials[5]!.state).toBe('FAIL');
      const failed = await storage.getTrial(running!.trialId);
      expect(failed.state).toBe('FAIL');
      expect(failed.datetimeComplete).toBe(seen.trials[5]!.datetime_complete_ms);
      expect(await storage.getTrials(study.studyId, ['RUNNING'])).toEqual([]);
    } finally {
      await storage.close();
    }
  });

  it('we read a study Python wrote, and Python adds trials to ours numbered after them', async () => {
    const written = runPythonScript('write_study.py', sqlalchemyUrl(db.url), 'theirs', '6');
    const storage = await PostgresStudyStorage.open(db.url, db.url);
    try {
      const study = await storage.findStudy('theirs');
      expect(study).toMatchObject({ name: 'theirs', direction: 'maximize' });
      const theirs = await storage.getTrials(study!.studyId);
      expect(written.trials.map(withoutSystemAttrs)).toEqual(
        theirs.map((t) => expectedPyTrial(t, written.trials[t.number]!.value)),
      );
      expect(theirs[0]!.distributions).toEqual(INTEROP_SPACE);

      const mixed = runPythonScript('write_study.py', sqlalchemyUrl(db.url), 'ours', '3');
      expect(mixed.trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
      const ours = await storage.getTrials((await storage.findStudy('ours'))!.studyId);
      expect(ours.map((t) => [t.number, t.state])).toEqual(mixed.trials.map((t) => [t.number, t.state]));
      expect(ours[6]!.value).toBe(mixed.trials[6]!.value);
    } finally {
      await storage.close();
    }
  });

  it('four Node processes and a Python process adding trials at once get numbers 0..N-1, no gap, no duplicate', async () => {
    const goFile = join(dir, 'go');
    const env = { ...process.env, TZ: INTEROP_TZ };
    const racers = [
      ...[1, 2, 3, 4].map(() =>
        startRacer(process.execPath, [TRIAL_WORKER, db.url, 'race', '15', goFile], env),
      ),
    ];
    await Promise.all(racers.map((r) => r.ready)); // the study exists once a Node racer is ready
    const askTell = join(INTEROP_SCRIPTS, 'ask_tell.py');
    racers.push(startRacer(PYTHON, [askTell, sqlalchemyUrl(db.url), 'race', '15', goFile], env));
    await racers[4]!.ready;
    writeFileSync(goFile, '');
    const results = await Promise.all(racers.map((r) => r.done));
    for (const r of results) {
      expect(r.stderr.replace(/.*Warning.*\n?/g, '')).toBe('');
      expect(r.code).toBe(0);
      expect(r.numbers).toHaveLength(15);
    }
    const all = results.flatMap((r) => r.numbers).sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 75 }, (_, k) => k));
    const seen = runPythonScript('read_study.py', sqlalchemyUrl(db.url), 'race');
    expect(seen.trials.map((t) => t.number)).toEqual(all);
    expect(seen.trials.every((t) => t.state === 'COMPLETE' && typeof t.params.x === 'number')).toBe(true);
  }, 120_000);
});
