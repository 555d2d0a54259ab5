// Python Optuna 3.1 (SQLAlchemy + psycopg2) and our PostgreSQL storage on one database: schema, both
// directions of reading, Python's stale-trial check on our heartbeats, and processes of both racing for numbers.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminQuery,
  createTestDatabase,
  postgresAvailable,
  postgresBinDir,
} from '../../../test/postgres-service.js';
import { serviceAvailable } from '../../../test/require-service.js';
import type { Distribution } from '../distributions.js';
import { rankCompletedTrials } from '../ranked-trials.js';
import type { FrozenTrial } from '../trial.js';
import { encodeDistribution } from './distribution-json.js';
import { PostgresStudyStorage } from './postgres-study-storage.js';
import { parsePythonJson } from './python-json.js';

const PYTHON = '/usr/bin/python3';
const SCRIPTS = fileURLToPath(new URL('../../../test/optuna-interop/', import.meta.url));
const WORKER = join(SCRIPTS, 'trial-worker.mjs');
const TZ = 'America/New_York';

const hasPostgres = postgresAvailable();
const hasOptuna =
  hasPostgres &&
  serviceAvailable('python3-optuna with python3-psycopg2 and python3-sqlalchemy', () => {
    execFileSync(PYTHON, ['-c', 'import optuna, psycopg2, sqlalchemy'], { stdio: 'pipe', timeout: 60_000 });
    return true;
  });
const pgDump = (() => {
  const bin = postgresBinDir();
  return bin !== null && existsSync(join(bin, 'pg_dump')) ? join(bin, 'pg_dump') : null;
})();
const hasPgDump =
  hasOptuna && serviceAvailable('pg_dump (postgresql server binaries)', () => pgDump !== null);

interface PyTrial {
  number: number;
  state: string;
  value: number | null;
  params: Record<string, unknown>;
  distributions: Record<string, string>;
  user_attrs: Record<string, unknown>;
  system_attrs: Record<string, unknown>;
  intermediate_values: [number, number][];
  datetime_start_ms: number | null;
  datetime_complete_ms: number | null;
}
interface PyStudy {
  optuna_version: string;
  direction: string;
  user_attrs: Record<string, unknown>;
  trials: PyTrial[];
  best_trial: { number: number; value: number } | null;
}

/** SQLAlchemy's form of our URL (Python users pass this one). */
const sqlalchemyUrl = (url: string) => url.replace(/^postgresql:/, 'postgresql+psycopg2:');

function python(script: string, ...args: string[]): PyStudy {
  const stdout = execFileSync(PYTHON, [join(SCRIPTS, script), ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, TZ, PYTHONWARNINGS: 'ignore' },
  });
  return parsePythonJson(stdout) as unknown as PyStudy;
}

const SPACE: Readonly<Record<string, Distribution>> = {
  lr: { kind: 'float', low: 1e-4, high: 1e-1, log: true, step: null },
  dropout: { kind: 'float', low: 0, high: 0.5, log: false, step: 0.1 },
  units: { kind: 'int', low: 16, high: 256, log: false, step: 16 },
  layers: { kind: 'int', low: 1, high: 4, log: false, step: 1 },
  window: { kind: 'int', low: 2, high: 512, log: true, step: 1 },
  optimizer: { kind: 'categorical', choices: ['adam', 'sgd', 'rmsprop'] },
};

/** Writes study `ours`: COMPLETE, PRUNED, FAIL, COMPLETE(-inf), COMPLETE, and one RUNNING with a heartbeat. */
async function writeOurStudy(url: string) {
  let clock = Date.UTC(2025, 6, 1, 12, 0, 0, 250);
  const storage = await PostgresStudyStorage.open(url, url, { nowMs: () => (clock += 1_234) });
  const { studyId } = await storage.createStudy('ours', 'maximize');
  await storage.setStudyUserAttr(studyId, 'kind', 'momentum');
  const plans: [string, number | null, Record<string, number | string>][] = [
    ['COMPLETE', 0.75, { lr: 0.003, dropout: 0.2, units: 128, layers: 2, window: 64, optimizer: 'sgd' }],
    ['PRUNED', 0.1, { lr: 0.0001, dropout: 0.5, units: 16, layers: 4, window: 2, optimizer: 'adam' }],
    ['FAIL', null, { lr: 0.1, optimizer: 'rmsprop' }],
    [
      'COMPLETE',
      Number.NEGATIVE_INFINITY,
      { lr: 0.05, dropout: 0, units: 256, layers: 1, window: 512, optimizer: 'adam' },
    ],
    [
      'COMPLETE',
      1.25,
      { lr: 0.0123, dropout: 0.30000000000000004, units: 48, layers: 3, window: 7, optimizer: 'sgd' },
    ],
  ];
  for (const [state, value, params] of plans) {
    const { trialId, number } = await storage.createTrial(studyId);
    await storage.updateTrial(trialId, {
      params: Object.entries(params).map(([name, v]) => ({ name, value: v, distribution: SPACE[name]! })),
      userAttrs: {
        model_path: `models/ours/${number}`,
        fold_scores: { folds: [0.5, -1.25], note: 'café', ok: true, none: null },
      },
      intermediateValues:
        state === 'PRUNED'
          ? [{ step: 0, value: 0.1 }]
          : [
              { step: 0, value: 0.1 },
              { step: 1, value: Number.NaN },
              { step: 2, value: Number.POSITIVE_INFINITY },
            ],
      finish: { state: state as 'COMPLETE', value },
    });
  }
  const running = await storage.createTrial(studyId, { heartbeat: true });
  await storage.updateTrial(running.trialId, {
    params: [{ name: 'layers', value: 3, distribution: SPACE.layers! }],
  });
  return { storage, studyId, runningTrialId: running.trialId };
}

async function findOurs(url: string) {
  const storage = await PostgresStudyStorage.open(url, url);
  try {
    return await storage.findStudy('ours');
  } finally {
    await storage.close();
  }
}

function expectedPyTrial(t: FrozenTrial, storedValue: number | null): Omit<PyTrial, 'system_attrs'> {
  return {
    number: t.number,
    state: t.state,
    value: storedValue,
    params: { ...t.params },
    distributions: Object.fromEntries(
      Object.entries(t.distributions).map(([k, d]) => [k, encodeDistribution(d)]),
    ),
    user_attrs: { ...t.userAttrs },
    intermediate_values: [...t.intermediateValues.entries()],
    datetime_start_ms: t.datetimeStart,
    datetime_complete_ms: t.datetimeComplete,
  };
}

function withoutSystemAttrs(t: PyTrial): Omit<PyTrial, 'system_attrs'> {
  const { system_attrs: _ignored, ...rest } = t;
  return rest;
}

/** A child process that prints "ready", waits for the go file, and ends with a JSON line {"numbers": [...]}. */
function startRacer(command: string, args: string[]) {
  const child: ChildProcess = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TZ },
  });
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.startsWith('ready\n')) markReady();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<{ numbers: number[]; stderr: string; code: number | null }>((resolve) => {
    child.on('close', (code) => {
      markReady();
      const last = stdout.trim().split('\n').at(-1) ?? '';
      const numbers = last.startsWith('{') ? (JSON.parse(last) as { numbers: number[] }).numbers : [];
      resolve({ numbers, stderr, code });
    });
  });
  return { ready, done };
}

describe.skipIf(!hasOptuna)('Python Optuna 3.1 and our PostgreSQL storage on one database', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const dir = mkdtempSync(join(tmpdir(), 'pg-interop-'));
  const previousTz = process.env.TZ;
  beforeAll(async () => {
    process.env.TZ = TZ;
    db = await createTestDatabase('interop');
  });
  afterAll(async () => {
    process.env.TZ = previousTz;
    if (previousTz === undefined) delete process.env.TZ;
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  });

  it.skipIf(!hasPgDump)(
    'creates the very schema Optuna creates (pg_dump --schema-only of both is identical)',
    async () => {
      const theirs = await createTestDatabase('schema_py');
      const ours = await createTestDatabase('schema_ours');
      try {
        python('write_study.py', sqlalchemyUrl(theirs.url), 'schema', '1');
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
    const { storage, studyId } = await writeOurStudy(db.url);
    const ours = await storage.getTrials(studyId);
    await storage.close();
    const seen = python('read_study.py', sqlalchemyUrl(db.url), 'ours');
    expect(seen.optuna_version).toBe('3.1.0');
    expect(seen.direction).toBe('MAXIMIZE');
    expect(seen.user_attrs).toEqual({ kind: 'momentum' });
    const prunedValue = (t: FrozenTrial) => (t.state === 'PRUNED' ? 0.1 : t.value);
    expect(seen.trials.map(withoutSystemAttrs)).toEqual(ours.map((t) => expectedPyTrial(t, prunedValue(t))));
    expect(seen.trials.map((t) => t.state)).toEqual([
      'COMPLETE',
      'PRUNED',
      'FAIL',
      'COMPLETE',
      'COMPLETE',
      'RUNNING',
    ]);
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
      const seen = python('read_study.py', sqlalchemyUrl(db.url), 'ours', '60');
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
    const written = python('write_study.py', sqlalchemyUrl(db.url), 'theirs', '6');
    const storage = await PostgresStudyStorage.open(db.url, db.url);
    try {
      const study = await storage.findStudy('theirs');
      expect(study).toMatchObject({ name: 'theirs', direction: 'maximize' });
      const theirs = await storage.getTrials(study!.studyId);
      expect(written.trials.map(withoutSystemAttrs)).toEqual(
        theirs.map((t) => expectedPyTrial(t, written.trials[t.number]!.value)),
      );
      expect(theirs[0]!.distributions).toEqual(SPACE);

      const mixed = python('write_study.py', sqlalchemyUrl(db.url), 'ours', '3');
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
    const racers = [
      ...[1, 2, 3, 4].map(() => startRacer(process.execPath, [WORKER, db.url, 'race', '15', goFile])),
    ];
    await Promise.all(racers.map((r) => r.ready)); // the study exists once a Node racer is ready
    racers.push(
      startRacer(PYTHON, [join(SCRIPTS, 'ask_tell.py'), sqlalchemyUrl(db.url), 'race', '15', goFile]),
    );
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
    const seen = python('read_study.py', sqlalchemyUrl(db.url), 'race');
    expect(seen.trials.map((t) => t.number)).toEqual(all);
    expect(seen.trials.every((t) => t.state === 'COMPLETE' && typeof t.params.x === 'number')).toBe(true);
  }, 120_000);
});
