// PostgresStudyStorage against a real server: the shared StudyStorage suite, then what is PostgreSQL's own
// (schema creation by several processes, refusals of foreign schemas, pools racing).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, createTestDatabase, postgresAvailable } from '../../../test/postgres-service.js';
import { type StorageUnderTest, studyStorageSuite } from '../testing/study-storage-suite.js';
import { openStudyStorage } from './open-study-storage.js';
import { PostgresStudyStorage } from './postgres-study-storage.js';
import type { StudyStorage } from './study-storage.js';

/** A new database on the test server for the shared suite. */
async function freshPostgres(): Promise<StorageUnderTest> {
  const db = await createTestDatabase('suite');
  const opened: StudyStorage[] = [];
  return {
    open: async (nowMs) => {
      const storage = await PostgresStudyStorage.open(db.url, db.url, { nowMs });
      opened.push(storage);
      return storage;
    },
    query: (sql) => adminQuery(sql, [], db.url),
    ageHeartbeats: async (trialIds, seconds) => {
      await adminQuery(
        `UPDATE trial_heartbeats SET heartbeat = heartbeat - interval '${seconds} seconds' WHERE trial_id = ANY($1::int[])`,
        [trialIds],
        db.url,
      );
    },
    storedStart: async (trialId) => {
      const [row] = await adminQuery(
        "SELECT to_char(datetime_start, 'YYYY-MM-DD HH24:MI:SS.US') AS s FROM trials WHERE trial_id = $1",
        [trialId],
        db.url,
      );
      return String(row?.s);
    },
    roundTrips: (storage) => (storage as PostgresStudyStorage).stats.roundTrips,
    dispose: async () => {
      for (const storage of opened) await storage.close().catch(() => {});
      await db.drop();
    },
  };
}

describe.skipIf(!postgresAvailable())('PostgreSQL study storage: the StudyStorage suite', () => {
  studyStorageSuite(freshPostgres);
});

describe.skipIf(!postgresAvailable())('PostgreSQL study storage: its own schema, reads and pools', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const opened: StudyStorage[] = [];
  const open = async (): Promise<PostgresStudyStorage> => {
    const storage = await PostgresStudyStorage.open(db.url, db.url);
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
