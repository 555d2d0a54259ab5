// Python Optuna 3.1 beside our study storage, for the interop tests: its scripts, what they print, and the
// study both storages write for it to read.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect } from 'vitest';
import { serviceAvailable } from '../../../test/require-service.js';
import type { Distribution } from '../distributions.js';
import { encodeDistribution } from '../storage/distribution-json.js';
import { parsePythonJson } from '../storage/python-json.js';
import type { StudyStorage } from '../storage/study-storage.js';
import type { FrozenTrial } from '../trial.js';

export const PYTHON = '/usr/bin/python3';
/** test/optuna-interop: the Python scripts and the Node trial worker. */
export const INTEROP_SCRIPTS = fileURLToPath(new URL('../../../test/optuna-interop/', import.meta.url));
/** A zone with an offset and DST, so that naive-local vs UTC mistakes in datetime columns show up. */
export const INTEROP_TZ = 'America/New_York';

/** Whether `python3 -c "import <modules>"` works (a skip with the reason, or a failure in CI, when not). */
export function pythonModulesAvailable(name: string, modules: string): boolean {
  return serviceAvailable(name, () => {
    execFileSync(PYTHON, ['-c', `import ${modules}`], { stdio: 'pipe', timeout: 60_000 });
    return true;
  });
}

/** Runs the calling test file's tests in {@link INTEROP_TZ}, as Python's naive local datetimes need; restores TZ after. */
export function useInteropTimeZone(): void {
  const previousTz = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = INTEROP_TZ;
  });
  afterAll(() => {
    process.env.TZ = previousTz;
    if (previousTz === undefined) delete process.env.TZ;
  });
}

/** One trial as test/optuna-interop/optuna_dump.py prints it. */
export interface PyTrial {
  number: number;
  state: string;
  value: number | null;
  params: Record<string, unknown>;
  distributions: Record<string, string>;
  user_attrs: Record<string, unknown>;
  system_attrs: Record<string, unknown>;
  intermediate_values: [number, number][];
  /** Naive local datetimes as exact epoch ms (time.mktime + microseconds // 1000). */
  datetime_start_ms: number | null;
  datetime_complete_ms: number | null;
}

/** A study as optuna_dump.py prints it. */
export interface PyStudy {
  optuna_version: string;
  direction: string;
  user_attrs: Record<string, unknown>;
  trials: PyTrial[];
  best_trial: { number: number; value: number } | null;
  /** What Study.trials_dataframe() gave (read_study.py only). */
  dataframe?: { rows: number; columns: string[] } | { unavailable: string };
}

/** Runs a script of test/optuna-interop in {@link INTEROP_TZ} and parses the study it prints. */
export function runPythonScript(script: string, ...args: string[]): PyStudy {
  const stdout = execFileSync(PYTHON, [join(INTEROP_SCRIPTS, script), ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, TZ: INTEROP_TZ, PYTHONWARNINGS: 'ignore' },
  });
  return parsePythonJson(stdout) as unknown as PyStudy;
}

/** The search space write_study.py declares, so Python can add trials to our study. */
export const INTEROP_SPACE: Readonly<Record<string, Distribution>> = {
  lr: { kind: 'float', low: 1e-4, high: 1e-1, log: true, step: null },
  dropout: { kind: 'float', low: 0, high: 0.5, log: false, step: 0.1 },
  units: { kind: 'int', low: 16, high: 256, log: false, step: 16 },
  layers: { kind: 'int', low: 1, high: 4, log: false, step: 1 },
  window: { kind: 'int', low: 2, high: 512, log: true, step: 1 },
  optimizer: { kind: 'categorical', choices: ['adam', 'sgd', 'rmsprop'] },
};

/** The storage clock for {@link writeOurStudy}: 2025-07-01 12:00:00.250 UTC, 1.234 s later at each reading. */
export function interopClock(): () => number {
  let clock = Date.UTC(2025, 6, 1, 12, 0, 0, 250);
  return () => (clock += 1_234);
}

/**
 * Writes study `ours` (maximize): COMPLETE, PRUNED, FAIL, COMPLETE(-inf), COMPLETE, and one RUNNING trial
 * with a heartbeat, each with parameters of {@link INTEROP_SPACE}, user attributes and intermediate values.
 */
export async function writeOurStudy(
  storage: StudyStorage,
): Promise<{ studyId: number; runningTrialId: number }> {
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
      params: Object.entries(params).map(([name, v]) => ({
        name,
        value: v,
        distribution: INTEROP_SPACE[name]!,
      })),
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
    params: [{ name: 'layers', value: 3, distribution: INTEROP_SPACE.layers! }],
  });
  return { studyId, runningTrialId: running.trialId };
}

/** The Python view of one of our FrozenTrials (without system_attrs), as optuna_dump.py prints it. */
export function expectedPyTrial(t: FrozenTrial, storedValue: number | null): Omit<PyTrial, 'system_attrs'> {
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

/** A Python trial without system_attrs (Optuna's samplers add their own there). */
export function withoutSystemAttrs(t: PyTrial): Omit<PyTrial, 'system_attrs'> {
  const { system_attrs: _ignored, ...rest } = t;
  return rest;
}

/**
 * Asserts that Python read study `ours` (see {@link writeOurStudy}) as we did: its direction, attributes,
 * and every trial with its params, distributions, attributes, intermediate values, times and state. A
 * PRUNED trial's value is Optuna's stored last value (0.1), which our FrozenTrial hides.
 */
export function expectPythonSeesOurStudy(seen: PyStudy, ours: readonly FrozenTrial[]): void {
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
}
