// `start --live` on a host that shares nothing with the workers but the PostgreSQL study: a `worker` trains on
// the fake exchange's bars in its own workspace, the supervisor elsewhere reads the study through the frame
// loop's pre-frame hook, fetches the best bundle from the study's database, deploys it, and `status` there
// shows the worker that trained it.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStudyStorage } from '../src/training/storage/index.js';
import {
  HOUR_MS,
  iso,
  readJsonl,
  stopRun,
  waitForPaperBar,
  writeLiveConfig,
} from './fake-exchange/live-workspace.js';
import { runCliAsync, startCli } from './fake-exchange/run-cli-async.js';
import { type FakeExchange, startFakeExchange } from './fake-exchange/server.js';
import { createTestDatabase, postgresAvailable } from './postgres-service.js';

const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'];
const END = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - HOUR_MS;
const FROM = END - 24 * HOUR_MS;

describe.skipIf(!postgresAvailable())(
  'start --live deploying from a PostgreSQL study trained elsewhere',
  () => {
    let fake: FakeExchange;
    let db: Awaited<ReturnType<typeof createTestDatabase>>;
    beforeAll(async () => {
      fake = await startFakeExchange({ symbols: SYMBOLS, nowMs: END + 1_000 });
      fake.setFormingCandle(false);
      db = await createTestDatabase('live');
    });
    afterAll(async () => {
      await fake?.close();
      await db?.drop();
    });

    it('a worker trains on one host; the supervisor on another fetches, checks and deploys the best bundle', async () => {
      const workerRoot = mkdtempSync(join(tmpdir(), 'ht-live-worker-'));
      const csv = join(workerRoot, 'fake-1h.csv');
      const fetched = await runCliAsync([
        'data',
        'fetch',
        '--exchange',
        'binance',
        '--exchange-api-url',
        fake.url,
        '--symbols',
        SYMBOLS.join(','),
        '--timeframe',
        '1h',
        '--since',
        iso(END - 90 * 24 * HOUR_MS),
        '--until',
        iso(END - 10 * 24 * HOUR_MS),
        '--out',
        csv,
      ]);
      expect(fetched.status, fetched.stderr).toBe(0);
      const worker = await runCliAsync([
        'worker',
        '--storage',
        db.url,
        '--study',
        'live',
        '--id',
        'trainer-1',
        '--kind',
        'sma-cross',
        '--trials',
        '4',
        '--data',
        csv,
        '--folds',
        '2',
        '--validation-bars',
        '100',
        '--root',
        workerRoot,
      ]);
      expect(worker.status, worker.stderr).toBe(0);

      // The supervisor's host: its configuration names the exchange, the storage comes from the environment
      // (the password stays out of the file), and it has no models/ and no studies.db.
      const host = mkdtempSync(join(tmpdir(), 'ht-live-deployer-'));
      writeLiveConfig(host, SYMBOLS);
      const env = { HYBRID_TRADER__STORAGE__URL: db.url };
      const run = startCli(
        [
          'start',
          '--live',
          '--exchange-api-url',
          fake.url,
          '--study',
          'live',
          '--root',
          host,
          '--from',
          iso(FROM),
        ],
        { env },
      );
      await waitForPaperBar(host, END - HOUR_MS, run, 60_000);
      const stopped = await stopRun(run);
      expect(stopped.status, stopped.stderr).toBe(0);

      const storage = await openStudyStorage(db.url);
      const study = (await storage.findStudy('live'))!;
      const complete = (await storage.getTrials(study.studyId, ['COMPLETE'])).sort(
        (a, b) => b.value! - a.value! || a.number - b.number,
      );
      await storage.close();
      const best = complete[0]!;
      const deploys = readJsonl(join(host, 'deployments/history.jsonl')).filter((e) => e.action === 'deploy');
      expect(deploys[0]).toMatchObject({ modelId: `live/${best.number}` });
      // fetched from the study's database into this host's models/, file for file the worker's bundle
      const local = join(host, 'models', 'live', String(best.number));
      for (const f of readdirSync(join(workerRoot, 'models', 'live', String(best.number))))
        expect(readFileSync(join(local, f)), f).toEqual(
          readFileSync(join(workerRoot, 'models', 'live', String(best.number), f)),
        );
      const log = readdirSync(join(host, 'logs'))
        .filter((f) => f.startsWith('supervisor_'))
        .flatMap((f) => readJsonl(join(host, 'logs', f)));
      expect(log).toContainEqual(
        expect.objectContaining({ msg: 'fetched a published bundle (checked)', trial: best.number }),
      );
      expect(readdirSync(host)).not.toContain('studies.db');

      // status on that host shows the worker of the study, from the same storage
      const status = await runCliAsync(['status', '--root', host, '--json'], { env });
      expect(status.status, status.stderr).toBe(0);
      const workers = (JSON.parse(status.stdout) as { workers: Record<string, unknown>[] }).workers;
      expect(workers).toEqual([
        expect.objectContaining({ study: 'live', id: 'trainer-1', status: 'stopped', trialsDone: 4 }),
      ]);
      const text = await runCliAsync(['status', '--root', host], { env });
      expect(text.stdout).toMatch(
        /^worker +live\/trainer-1 STOPPED on \S+ pid \d+ \(sma-cross\): 4 trial\(s\)/m,
      );
    }, 180_000);
  },
);
