// What goes wrong with a shared PostgreSQL study, made to happen: serialization failures, dropped connections,
// connection limits, heartbeats racing trial writes and the stale check, a server restart, no server at all.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminQuery,
  createTestDatabase,
  freePort,
  postgresAvailable,
  postgresBinDir,
  startThrowawayCluster,
  type ThrowawayCluster,
} from '../../../test/postgres-service.js';
import { serviceAvailable } from '../../../test/require-service.js';
import type { Distribution } from '../distributions.js';
import { PgDatabase } from './postgres-driver.js';
import { PostgresStudyStorage } from './postgres-study-storage.js';

const x: Distribution = { kind: 'int', low: 0, high: 1000, log: false, step: 1 };

/** Waits until a backend of our storage waits for a row lock in `database`; returns its pid. */
async function waitForLockWaiter(database: string): Promise<number> {
  for (let k = 0; k < 500; k++) {
    const rows = await adminQuery(
      "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'hybrid-trader' AND wait_event_type = 'Lock'",
      [database],
    );
    if (rows.length > 0) return Number(rows[0]!.pid);
    await sleep(20);
  }
  throw new Error('no backend of the storage ever waited for the lock');
}

/**
 * Starts `write` while another connection holds trial `trialId`'s row lock in database `name` (at `url`);
 * once one of our backends waits for that lock, `release` ends the hold (given the other connection and
 * the waiting backend's pid), and the write is awaited.
 */
async function writeBehindRowLock(
  target: { url: string; name: string },
  trialId: number,
  write: () => Promise<void>,
  release: (other: { query(sql: string): Promise<unknown> }, waiterPid: number) => Promise<void>,
): Promise<void> {
  const { default: pg } = await import('pg');
  const other = new pg.Client({ connectionString: target.url });
  await other.connect();
  try {
    await other.query('BEGIN');
    await other.query('UPDATE trials SET datetime_start = datetime_start WHERE trial_id = $1', [trialId]);
    const written = write();
    await release(other, await waitForLockWaiter(target.name));
    await written;
  } finally {
    await other.end();
  }
}

describe.skipIf(!postgresAvailable())('PostgreSQL failure modes', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const opened: PostgresStudyStorage[] = [];
  const open = async (url = db.url, options = {}) => {
    const storage = await PostgresStudyStorage.open(url, url.replace(/:[^:@/]*@/, ':***@'), options);
    opened.push(storage);
    return storage;
  };
  const sql = (query: string, params: unknown[] = []) => adminQuery(query, params, db.url);

  beforeAll(async () => {
    db = await createTestDatabase('failures');
  });
  afterAll(async () => {
    for (const s of opened) await s.close().catch(() => {});
    await db.drop();
  });

  it('retries a write that hit a serialization failure (a REPEATABLE READ database) and lands it once', async () => {
    const rr = await createTestDatabase('rr');
    try {
      await adminQuery(`ALTER DATABASE ${rr.name} SET default_transaction_isolation = 'repeatable read'`);
      const storage = await open(rr.url);
      const s = await storage.createStudy('rr', 'maximize');
      const t = await storage.createTrial(s.studyId);
      await writeBehindRowLock(
        rr,
        t.trialId,
        () =>
          storage.updateTrial(t.trialId, {
            userAttrs: { k: 1 },
            params: [{ name: 'x', value: 3, distribution: x }],
          }),
        async (other) => {
          await other.query('COMMIT'); // our waiting statement now fails: could not serialize access
        },
      );
      expect(storage.stats.retries).toBeGreaterThanOrEqual(1);
      expect(await storage.getTrial(t.trialId)).toMatchObject({ userAttrs: { k: 1 }, params: { x: 3 } });
      // trial numbers stay gapless there too: creation runs READ COMMITTED under the study's lock
      const others = await Promise.all([open(rr.url), open(rr.url), open(rr.url)]);
      const made = await Promise.all(others.flatMap((o) => [1, 2, 3, 4].map(() => o.createTrial(s.studyId))));
      expect(made.map((m) => m.number).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 12 }, (_, k) => k + 1),
      );
    } finally {
      await rr.drop();
    }
  });

  it('retries on a new connection when the server drops ours mid-statement', async () => {
    const storage = await open();
    const s = await storage.createStudy('dropped', 'maximize');
    const t = await storage.createTrial(s.studyId);
    await writeBehindRowLock(
      db,
      t.trialId,
      () => storage.updateTrial(t.trialId, { finish: { state: 'COMPLETE', value: 2 } }),
      async (other, waiterPid) => {
        await sql('SELECT pg_terminate_backend($1)', [waiterPid]);
        await other.query('ROLLBACK');
      },
    );
    expect(storage.stats.retries).toBeGreaterThanOrEqual(1);
    expect(await storage.getTrial(t.trialId)).toMatchObject({ state: 'COMPLETE', value: 2 });
  });

  it('runs the work again when the server drops a connection between two of its statements (no crash)', async () => {
    const database = PgDatabase.open(db.url, db.url);
    try {
      const attempts: number[] = [];
      const one = await database.run('two statements', async (session, attempt) => {
        attempts.push(attempt);
        const [row] = await session.query('SELECT pg_backend_pid() AS pid');
        if (attempt === 1) {
          await sql('SELECT pg_terminate_backend($1)', [row!.pid]);
          await sleep(300); // the server's FATAL message arrives while no statement runs on the connection
        }
        return (await session.query('SELECT 1 AS one'))[0]!.one;
      });
      expect(one).toBe(1);
      expect(attempts).toEqual([1, 2]);
      expect(database.stats.retries).toBe(1);
    } finally {
      await database.close();
    }
  });

  it('waits for a free connection when the role has no slot left (too many connections), losing nothing', async () => {
    const role = `ht_limited_${process.pid}`;
    await adminQuery(`DROP ROLE IF EXISTS ${role}`);
    await adminQuery(`CREATE ROLE ${role} LOGIN PASSWORD 'limited' CONNECTION LIMIT 2`);
    try {
      await sql(`GRANT ALL ON ALL TABLES IN SCHEMA public TO ${role}`);
      await sql(`GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
      const owner = await open();
      const s = await owner.createStudy('limited', 'maximize');
      const url = new URL(db.url);
      url.username = role;
      url.password = 'limited';
      const workers = await Promise.all(
        Array.from({ length: 5 }, () => open(url.toString(), { poolSize: 1, idleTimeoutMs: 20 })),
      );
      const numbers = await Promise.all(
        workers.map(async (w) => {
          const mine: number[] = [];
          for (let k = 0; k < 4; k++) {
            const t = await w.createTrial(s.studyId, { heartbeat: true });
            await w.updateTrial(t.trialId, { params: [{ name: 'x', value: k, distribution: x }] });
            await w.updateTrial(t.trialId, { finish: { state: 'COMPLETE', value: k } });
            mine.push(t.number);
          }
          return mine;
        }),
      );
      for (const w of workers) await w.close();
      expect(numbers.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, k) => k));
      expect(workers.reduce((n, w) => n + w.stats.retries, 0)).toBeGreaterThan(0);
      expect((await owner.getTrials(s.studyId, ['COMPLETE'])).length).toBe(20);
    } finally {
      await sql(`DROP OWNED BY ${role}`).catch(() => {});
      await adminQuery(`DROP ROLE IF EXISTS ${role}`).catch(() => {});
    }
  });

  it('heartbeats, trial writes and the stale check on the same trials never deadlock; late writes are refused cleanly', async () => {
    const [beats, writerA, writerB, checker] = await Promise.all([open(), open(), open(), open()]);
    const s = await beats.createStudy('contention', 'maximize');
    const trials = await Promise.all(
      Array.from({ length: 8 }, () => writerA.createTrial(s.studyId, { heartbeat: true })),
    );
    const deadlocks = async () =>
      Number(
        (await adminQuery('SELECT deadlocks FROM pg_stat_database WHERE datname = $1', [db.name]))[0]!
          .deadlocks,
      );
    const before = await deadlocks();
    const refused: string[] = [];
    const unexpected: unknown[] = [];
    const guard = (p: Promise<unknown>) =>
      p.catch((error: { code?: string }) =>
        error.code === 'STUDY_TRIAL_FINISHED' ? refused.push(error.code) : unexpected.push(error),
      );
    const until = Date.now() + 2_500;
    const loop = async (step: (k: number) => Promise<unknown>) => {
      for (let k = 0; Date.now() < until; k++) await guard(step(k));
    };
    await Promise.all([
      loop(() => Promise.all(trials.map((t) => beats.recordHeartbeat(t.trialId)))),
      loop((k) =>
        writerA.updateTrial(trials[k % 8]!.trialId, {
          params: [{ name: 'x', value: k % 1000, distribution: x }],
          intermediateValues: [{ step: k, value: k }],
        }),
      ),
      loop((k) => writerB.updateTrial(trials[(k * 3) % 8]!.trialId, { userAttrs: { [`a${k % 5}`]: k } })),
      loop(async (k) => {
        // now and then a trial's heartbeat goes old and the check fails it, while the others write to it
        if (k % 20 === 0)
          await sql(
            "UPDATE trial_heartbeats SET heartbeat = heartbeat - interval '1 hour' WHERE trial_id = $1",
            [trials[(k / 20) % 8]!.trialId],
          );
        return checker.failStaleTrials(s.studyId, 600);
      }),
    ]);
    for (const t of trials)
      await guard(writerA.updateTrial(t.trialId, { finish: { state: 'COMPLETE', value: 1 } }));
    expect(unexpected).toEqual([]);
    expect(await deadlocks()).toBe(before);
    expect(refused.length).toBeGreaterThan(0);
    const states = (await checker.getTrials(s.studyId)).map((t) => t.state);
    expect(states.every((state) => state === 'FAIL' || state === 'COMPLETE')).toBe(true);
    expect(states).toContain('FAIL');
  });

  it('says which server stayed unreachable, after retrying for the configured time', async () => {
    const port = await freePort();
    const url = `postgresql://u:secret@127.0.0.1:${port}/none`;
    const started = Date.now();
    await expect(
      PostgresStudyStorage.open(url, 'postgresql://u:***@127.0.0.1/none', { retryForMs: 1_000 }),
    ).rejects.toThrow(
      expect.objectContaining({
        code: 'STUDY_STORAGE_UNAVAILABLE',
        message: expect.stringMatching(
          /postgresql:\/\/u:\*\*\*@127\.0\.0\.1\/none stayed unavailable .* attempts/,
        ),
      }),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  });
});

const hasServerBinaries =
  postgresAvailable() &&
  serviceAvailable('PostgreSQL server binaries (pg_ctl)', () => postgresBinDir() !== null);

describe.skipIf(!hasServerBinaries)('PostgreSQL restarted under a storage', () => {
  let cluster: ThrowawayCluster;
  beforeAll(async () => {
    cluster = await startThrowawayCluster();
  }, 60_000);
  afterAll(() => cluster?.stop());

  it('writes before, during and after a restart all land, once each', async () => {
    const storage = await PostgresStudyStorage.open(cluster.url, cluster.url);
    try {
      const s = await storage.createStudy('restart', 'maximize');
      const numbers: number[] = [];
      let restarted = false;
      const writes = (async () => {
        for (let k = 0; k < 30; k++) {
          const t = await storage.createTrial(s.studyId, { heartbeat: true });
          await storage.updateTrial(t.trialId, { params: [{ name: 'x', value: k, distribution: x }] });
          await storage.updateTrial(t.trialId, { finish: { state: 'COMPLETE', value: k } });
          numbers.push(t.number);
          if (k === 10) {
            cluster.restart();
            restarted = true;
          }
        }
      })();
      await writes;
      expect(restarted).toBe(true);
      expect(storage.stats.retries).toBeGreaterThan(0);
      const trials = await storage.getTrials(s.studyId);
      expect(trials.map((t) => t.number)).toEqual(Array.from({ length: 30 }, (_, k) => k));
      expect(trials.every((t) => t.state === 'COMPLETE')).toBe(true);
      expect(numbers).toEqual(trials.map((t) => t.number));
    } finally {
      await storage.close();
    }
  }, 60_000);
});
