// The API's study storage: studies, trials and the workers of a study on SQLite and on PostgreSQL, /metrics
// with the workers, and an unreachable PostgreSQL reported as a problem instead of a hang.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, freePort, postgresAvailable } from '../../test/postgres-service.js';
import { openStudyStorage, type StudyStorage } from '../training/storage/index.js';
import { type WorkerRecord, writeWorkerRecord } from '../training/workers/worker-registry.js';
import { createApp } from './app.js';
import { StudyCatalog } from './study-catalog.js';

const dir = mkdtempSync(join(tmpdir(), 'ht-catalog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NOW = Date.parse('2026-01-01T01:00:00Z');

const record = (id: string, lastSeenAt: string, state: WorkerRecord['state']): WorkerRecord => ({
  id,
  host: 'gpu-1',
  pid: 4242,
  kind: 'momentum',
  version: '0.1.0',
  startedAt: '2026-01-01T00:00:00.000Z',
  lastSeenAt,
  heartbeatIntervalS: 5,
  state,
  complete: 3,
  pruned: 1,
  failed: 0,
  running: state === 'running' ? [7] : [],
});

/** A study with one COMPLETE trial and two workers: one alive, one silent for a minute (lost). */
async function fill(storage: StudyStorage): Promise<void> {
  const { studyId } = await storage.createStudy('s', 'maximize', { loadIfExists: true });
  const { trialId } = await storage.createTrial(studyId);
  await storage.updateTrial(trialId, { finish: { state: 'COMPLETE', value: 1.5 } });
  await writeWorkerRecord(storage, studyId, 'alive', record('alive', '2026-01-01T00:59:58.000Z', 'running'));
  await writeWorkerRecord(storage, studyId, 'dead', record('dead', '2026-01-01T00:59:00.000Z', 'running'));
}

// biome-ignore lint/suspicious/noExplicitAny: the tests read the JSON bodies field by field
type Json = any;

async function api(app: ReturnType<typeof createApp>, path: string): Promise<{ status: number; body: Json }> {
  const res = await app.request(path);
  return { status: res.status, body: path === '/metrics' ? await res.text() : await res.json() };
}

/** What every storage must answer the same way. */
async function checkApi(app: ReturnType<typeof createApp>): Promise<void> {
  const studies = await api(app, '/api/studies');
  expect(studies.body).toEqual({
    studies: [{ name: 's', direction: 'maximize', trials: 1, complete: 1, best: { number: 0, value: 1.5 } }],
    problems: [],
  });
  const trials = await api(app, '/api/studies/s/trials');
  expect(trials.body.trials.map((t: { value: number }) => t.value)).toEqual([1.5]);
  const workers = await api(app, '/api/workers');
  expect(workers.body.problems).toEqual([]);
  expect(
    workers.body.workers.map((w: Record<string, unknown>) => [
      w.id,
      w.host,
      w.pid,
      w.status,
      w.trialsDone,
      w.lastHeartbeatAgeSeconds,
    ]),
  ).toEqual([
    ['alive', 'gpu-1', 4242, 'running', 4, 2],
    ['dead', 'gpu-1', 4242, 'lost', 4, 60],
  ]);
  const metrics = await api(app, '/metrics');
  expect(metrics.body).toMatch(
    /^hybrid_trader_worker_heartbeat_age_seconds\{study="s",worker="dead",host="gpu-1",pid="4242"\} 60$/m,
  );
  expect(metrics.body).toMatch(/^hybrid_trader_workers\{study="s",status="lost"\} 1$/m);
  expect(metrics.body).toMatch(/^hybrid_trader_trials_completed\{study="s"\} 1$/m);
}

describe('the API on a SQLite study', () => {
  it('lists studies, trials and workers, and creates no database by reading', async () => {
    const root = join(dir, 'sqlite');
    const storage = await openStudyStorage('sqlite:///studies.db', { baseDir: root });
    await fill(storage);
    await storage.close();
    await checkApi(createApp({ root, version: 't', now: () => NOW }));
    const empty = join(dir, 'empty');
    const app = createApp({ root: empty, version: 't', now: () => NOW });
    expect((await api(app, '/api/workers')).body).toEqual({ workers: [], problems: [] });
    expect(existsSync(join(empty, 'studies.db'))).toBe(false);
  });
});

describe.skipIf(!postgresAvailable())('the API on a PostgreSQL study', () => {
  it('reads the same through one storage kept open for the server, closed with it', async () => {
    const db = await createTestDatabase('api');
    try {
      const storage = await openStudyStorage(db.url);
      await fill(storage);
      await storage.close();
      const studies = new StudyCatalog(dir, db.url);
      try {
        await checkApi(createApp({ root: dir, version: 't', now: () => NOW, studies }));
      } finally {
        await studies.close();
      }
    } finally {
      await db.drop();
    }
  });
});

describe('the API on an unreachable PostgreSQL', () => {
  it('answers an unreachable server with a problem naming it (password masked), within seconds', async () => {
    const url = `postgresql://u:secret@127.0.0.1:${await freePort()}/none`;
    const studies = new StudyCatalog(dir, url);
    try {
      const app = createApp({ root: dir, version: 't', now: () => NOW, studies });
      const started = Date.now();
      const { status, body } = await api(app, '/api/workers');
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(status).toBe(200);
      expect(body.workers).toEqual([]);
      expect(body.problems).toEqual([
        {
          file: url.replace('secret', '***'),
          error: expect.stringContaining('stayed unavailable'),
        },
      ]);
      expect(JSON.stringify(body)).not.toContain('secret');
    } finally {
      await studies.close();
    }
  });
});
