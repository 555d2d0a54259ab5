// One PostgreSQL study shared by worker processes (each with its own workspace, no shared files), Python Optuna
// and a deployer on a host that never saw the bundles; a worker killed mid-trial; the server restarted mid-study.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeBundle } from '../src/training/artifacts/index.js';
import { openStudyStorage, type StudyStorage } from '../src/training/storage/index.js';
import { parsePythonJson } from '../src/training/storage/python-json.js';
import { readWorkers, WORKER_TRIAL_ATTR } from '../src/training/workers/worker-registry.js';
import { CLI, runCli } from './cli.js';
import {
  adminQuery,
  createTestDatabase,
  postgresAvailable,
  postgresBinDir,
  startThrowawayCluster,
  type ThrowawayCluster,
} from './postgres-service.js';
import { serviceAvailable } from './require-service.js';

const PYTHON = '/usr/bin/python3';
const SCRIPTS = fileURLToPath(new URL('./optuna-interop/', import.meta.url));
const DATA = 'builtin?seed=5&bars=1500';
/** Small folds: trials of a fraction of a second, so four workers fit two cores. */
const TINY = ['--data', DATA, '--validation-bars', '100', '--folds', '2', '--embargo-bars', '10'];

const hasPostgres = postgresAvailable();
const hasPython =
  hasPostgres &&
  serviceAvailable('python3-optuna with python3-psycopg2 and python3-sqlalchemy', () => {
    execFileSync(PYTHON, ['-c', 'import optuna, psycopg2, sqlalchemy'], { stdio: 'pipe', timeout: 60_000 });
    return true;
  });
const hasServerBinaries =
  hasPostgres && serviceAvailable('PostgreSQL server binaries (pg_ctl)', () => postgresBinDir() !== null);

/** A `hybrid-trader worker` (or any command) in the background, its output collected. */
function background(args: string[]) {
  const child: ChildProcess = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exit = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, exit };
}

const worker = (url: string, root: string, extra: string[]) =>
  background(['worker', '--storage', url, '--study', 's', '--root', root, '--json', ...TINY, ...extra]);

/** Polls `check` until it returns a value (not undefined), for up to `timeoutMs`. */
async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const tmp = (name: string) => mkdtempSync(join(tmpdir(), `ht-dist-${name}-`));

describe.skipIf(!hasPython)(
  'a PostgreSQL study shared by workers, Python Optuna and a deployer elsewhere',
  () => {
    let db: Awaited<ReturnType<typeof createTestDatabase>>;
    let storage: StudyStorage;
    beforeAll(async () => {
      db = await createTestDatabase('dist');
      storage = await openStudyStorage(db.url);
    });
    afterAll(async () => {
      await storage?.close();
      await db?.drop();
    });

    it('4 workers and 1 Python process add trials 0..N-1 without gap; Python lists them all; the deployer deploys the best from a bundle it never saw', async () => {
      const { studyId } = await storage.createStudy('s', 'maximize');
      const goFile = join(tmp('go'), 'go');
      const python = spawn(
        PYTHON,
        [
          join(SCRIPTS, 'ask_tell.py'),
          db.url.replace(/^postgresql:/, 'postgresql+psycopg2:'),
          's',
          '5',
          goFile,
          '0.5', // seconds between its trials: the workers add theirs meanwhile
        ],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let pyOut = '';
      python.stdout?.on('data', (c: Buffer) => {
        pyOut += c.toString();
      });
      const pyDone = new Promise<number | null>((resolve) => python.on('close', resolve));
      // The workers run until stopped; Python asks and tells while they work, and they are stopped only once
      // they numbered a trial after Python's last: the five processes added trials at the same time.
      await until('Python to load Optuna', async () => (pyOut.includes('ready') ? true : undefined));
      const roots = [1, 2, 3, 4].map((k) => tmp(`w${k}`));
      const workers = roots.map((root, k) => worker(db.url, root, ['--seed', String(k)]));
      const workerTrials = async () =>
        (await storage.getTrials(studyId)).filter((t) => t.systemAttrs[WORKER_TRIAL_ATTR] !== undefined);
      await until('each worker to start a trial', async () =>
        new Set((await workerTrials()).map((t) => t.systemAttrs[WORKER_TRIAL_ATTR])).size === 4
          ? true
          : undefined,
      );
      execFileSync('touch', [goFile]);
      expect(await pyDone).toBe(0);
      const pyNumbers = (JSON.parse(pyOut.trim().split('\n').at(-1)!) as { numbers: number[] }).numbers;
      expect(pyNumbers).toHaveLength(5);
      await until('the workers to go on past Python', async () =>
        (await workerTrials()).some((t) => t.number > Math.max(...pyNumbers)) ? true : undefined,
      );
      for (const w of workers) w.child.kill('SIGTERM'); // a clean stop: running trials finish
      const results = await Promise.all(workers.map((w) => w.exit));
      for (const r of results) expect(r.code, r.stderr).toBe(0);

      const trials = await storage.getTrials(studyId);
      expect(trials.map((t) => t.number)).toEqual(Array.from({ length: trials.length }, (_, k) => k));
      expect(trials.every((t) => t.state === 'COMPLETE' || t.state === 'PRUNED')).toBe(true);
      const summaries = results.map(
        (r) => JSON.parse(r.stdout) as { complete: number; pruned: number; workerId: string },
      );
      expect(summaries.reduce((n, s) => n + s.complete + s.pruned, 0)).toBe(trials.length - 5);
      // each worker's trials carry its name; Python's carry none
      const byWorker = new Map(summaries.map((s) => [s.workerId, 0]));
      for (const t of trials) {
        const w = t.systemAttrs[WORKER_TRIAL_ATTR];
        if (typeof w === 'string') byWorker.set(w, (byWorker.get(w) ?? 0) + 1);
        else expect(pyNumbers).toContain(t.number);
      }
      expect([...byWorker.values()]).toEqual(summaries.map((s) => s.complete + s.pruned));
      expect([...byWorker.values()].every((n) => n > 0)).toBe(true);
      // interleaved: the workers numbered trials between Python's first and last
      const between = trials.filter(
        (t) => t.number > pyNumbers[0]! && t.number < pyNumbers[4]! && !pyNumbers.includes(t.number),
      );
      expect(between.length).toBeGreaterThan(0);

      // Python lists every trial with its params and values
      const seen = parsePythonJson(
        execFileSync(
          PYTHON,
          [join(SCRIPTS, 'read_study.py'), db.url.replace(/^postgresql:/, 'postgresql+psycopg2:'), 's'],
          {
            encoding: 'utf8',
            env: { ...process.env, PYTHONWARNINGS: 'ignore' },
          },
        ),
      ) as unknown as {
        trials: { number: number; state: string; value: number | null; params: Record<string, unknown> }[];
      };
      expect(seen.trials.map((t) => [t.number, t.state])).toEqual(trials.map((t) => [t.number, t.state]));
      for (const t of trials) {
        const py = seen.trials[t.number]!;
        expect(py.params).toEqual(t.params);
        if (t.state === 'COMPLETE') expect(py.value).toBe(t.value);
      }

      // A deployer host: its own workspace (a local mini study only so that the paper trader has run), never
      // the workers' folders. It fetches the best bundles from the study's database, checks and deploys.
      const host = tmp('deployer');
      const feed = ['--data', DATA, '--from', '2024-02-20T00:00:00Z'];
      expect(runCli(['train', '--study', 'local', '--trials', '1', '--root', host, ...TINY]).status).toBe(0);
      const paper = runCli([
        'paper',
        '--study',
        'local',
        ...feed,
        '--to',
        '2024-02-21T00:00:00Z',
        '--root',
        host,
      ]);
      expect(paper.status, paper.stderr).toBe(0);
      expect(existsSync(join(host, 'models', 's'))).toBe(false);
      const once = runCli([
        'deployer',
        '--once',
        '--study',
        's',
        '--storage',
        db.url,
        ...feed,
        '--root',
        host,
      ]);
      expect(once.status, once.stderr).toBe(0);
      const best = trials
        .filter((t) => t.state === 'COMPLETE')
        .sort((a, b) => b.value! - a.value! || a.number - b.number)[0]!;
      expect(once.stdout).toMatch(new RegExp(`deploy +s/${best.number} `));
      const deployed = JSON.parse(
        readFileSync(join(host, 'deployments/deployment_state.json'), 'utf8'),
      ).current;
      expect(deployed).toMatchObject({
        modelId: `s/${best.number}`,
        modelPath: join('models', 's', String(best.number)), // in the deployer's workspace
      });
      expect(once.stderr).toContain(`fetched the bundle of trial ${best.number} of s`);
      // byte for byte the bundle the worker wrote, in a folder the deployer filled
      const record = best.userAttrs.artifact as { sha256: string };
      expect(describeBundle(join(host, deployed.modelPath), 'database').sha256).toBe(record.sha256);
      const workerRoot = roots.find((r) => existsSync(join(r, 'models', 's', String(best.number))))!;
      expect(describeBundle(join(workerRoot, 'models', 's', String(best.number)), 'database').sha256).toBe(
        record.sha256,
      );
    }, 240_000);

    it('a worker killed with SIGKILL mid-trial: its trial becomes FAIL after the heartbeat grace, the others go on, its number stays used', async () => {
      const study = await storage.createStudy('k', 'maximize');
      const beat = ['--heartbeat-interval', '0.5', '--heartbeat-grace', '2'];
      const survivorTrials = async () =>
        (await storage.getTrials(study.studyId, ['COMPLETE', 'PRUNED'])).filter(
          (t) => t.systemAttrs[WORKER_TRIAL_ATTR] === 'survivor',
        );
      // the survivor works before, during and after the kill
      const survivor = background([
        'worker',
        '--storage',
        db.url,
        '--study',
        'k',
        '--root',
        tmp('survivor'),
        '--id',
        'survivor',
        ...TINY,
        ...beat,
      ]);
      await until('the survivor to finish a trial', async () =>
        (await survivorTrials()).length > 0 ? true : undefined,
      );
      const killed = background([
        'worker',
        '--storage',
        db.url,
        '--study',
        'k',
        '--root',
        tmp('killed'),
        '--id',
        'doomed',
        '--kind',
        'ppo',
        '--ppo-steps',
        '5000000',
        '--trials',
        '1',
        ...TINY,
        ...beat,
      ]);
      const doomed = await until('the doomed worker to run a trial', async () =>
        (await storage.getTrials(study.studyId, ['RUNNING'])).find(
          (t) => t.systemAttrs[WORKER_TRIAL_ATTR] === 'doomed',
        ),
      );
      killed.child.kill('SIGKILL');
      expect((await killed.exit).signal).toBe('SIGKILL');

      const failed = await until('the doomed trial to be failed', async () => {
        const t = await storage.getTrial(doomed.trialId);
        return t.state === 'FAIL' ? t : undefined;
      });
      // not before the grace: its last heartbeat (the database's clock, as the check) is older than that
      const [lastBeat] = await adminQuery(
        'SELECT extract(epoch FROM LOCALTIMESTAMP - heartbeat)::float8 AS age FROM trial_heartbeats WHERE trial_id = $1',
        [doomed.trialId],
        db.url,
      );
      expect(lastBeat!.age as number).toBeGreaterThan(2);
      // the survivor goes on: it finishes trials numbered after the failed one
      await until('the survivor to finish a trial after the failed one', async () =>
        (await survivorTrials()).some((t) => t.number > doomed.number) ? true : undefined,
      );
      expect(survivor.child.exitCode).toBeNull(); // still running
      survivor.child.kill('SIGTERM'); // a clean stop: running trials finish
      const stopped = await survivor.exit;
      expect(stopped.code, stopped.stderr).toBe(0);
      expect(stopped.stderr).toContain(
        `trial(s) ${doomed.number} of k: heartbeat older than 2 s, marked FAIL`,
      );

      const trials = await storage.getTrials(study.studyId);
      expect(trials.map((t) => t.number)).toEqual(trials.map((_, k) => k));
      expect(
        trials
          .filter((t) => t.number !== doomed.number)
          .every((t) => t.state === 'COMPLETE' || t.state === 'PRUNED'),
      ).toBe(true);
      expect(failed.number).toBe(doomed.number);
      expect(failed.systemAttrs[WORKER_TRIAL_ATTR]).toBe('doomed');
      const workers = await readWorkers(storage, study, Date.now());
      expect(Object.fromEntries(workers.map((w) => [w.id, w.status]))).toEqual({
        doomed: 'lost',
        survivor: 'stopped',
      });
      expect(workers.find((w) => w.id === 'survivor')!.trialsDone).toBe(trials.length - 1);
    }, 240_000);
  },
);

describe.skipIf(!hasServerBinaries)('PostgreSQL restarted mid-study', () => {
  let cluster: ThrowawayCluster;
  beforeAll(async () => {
    cluster = await startThrowawayCluster();
  }, 60_000);
  afterAll(() => cluster?.stop());

  it('workers reconnect and go on; every completed trial is kept, with its bundle', async () => {
    const url = cluster.url;
    const storage = await openStudyStorage(url);
    try {
      const { studyId } = await storage.createStudy('s', 'maximize');
      const workers = [1, 2].map((k) =>
        worker(url, tmp(`r${k}`), ['--trials', '12', '--seed', String(k), '--heartbeat-interval', '0.5']),
      );
      const before = await until('three finished trials', async () => {
        const done = await storage.getTrials(studyId, ['COMPLETE', 'PRUNED']);
        return done.length >= 3 ? done : undefined;
      });
      cluster.restart();
      expect(before.length).toBeLessThan(20); // the restart happened mid-study, not after it
      const results = await Promise.all(workers.map((w) => w.exit));
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      const summaries = results.map(
        (r) => JSON.parse(r.stdout) as { complete: number; pruned: number; failed: number },
      );
      const trials = await storage.getTrials(studyId);
      expect(trials.map((t) => t.number)).toEqual(Array.from({ length: 24 }, (_, k) => k));
      const complete = trials.filter((t) => t.state === 'COMPLETE');
      expect(complete.length).toBe(summaries.reduce((n, s) => n + s.complete, 0));
      expect(trials.filter((t) => t.state === 'FAIL')).toEqual([]);
      for (const t of complete) expect(t.userAttrs.artifact).toMatchObject({ store: 'database' });
      // the trials finished before the restart are all there, unchanged
      for (const t of before) expect(trials[t.number]).toEqual(t);
    } finally {
      await storage.close();
    }
  }, 240_000);
});
