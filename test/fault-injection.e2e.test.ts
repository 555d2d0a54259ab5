// Deterministic fault injection: every durable operation of a replay is a numbered crash point; a crash (or
// a torn write) at any of them, then a restart, must end in the uninterrupted run's state, journals and logs.
// `npm test` runs a seeded sample; HYBRID_TRADER_FAULT_SWEEP=full (scripts/fault-sweep.sh) runs every point.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import {
  comparableFiles,
  copyWorkspace,
  crashAndResume,
  type PointOutcome,
  samplePoints,
  seeded,
  type TracedOp,
  traceRun,
} from './fault-injection/harness.js';
import { crashTrainAndResume, studyView } from './fault-injection/train-study.js';

const FULL = process.env.HYBRID_TRADER_FAULT_SWEEP === 'full';
/** Points of the seeded sample `npm test` runs (HYBRID_TRADER_FAULT_SAMPLE=N: N; the full sweep: every point). */
const SAMPLE = Number(process.env.HYBRID_TRADER_FAULT_SAMPLE ?? 8);
/** Crash points of the short train `npm test` runs. */
const TRAIN_SAMPLE = 4;
/** Points of each disk fault (full, read-only) `npm test` runs. */
const DISK_SAMPLE = 3;

const TRAIN = [
  'train',
  '--study',
  'fi',
  '--trials',
  '8',
  '--kind',
  'any',
  '--ppo-steps',
  '512',
  '--data',
  'builtin?seed=7&bars=1400',
  '--validation-bars',
  '100',
  '--folds',
  '2',
  '--embargo-bars',
  '24',
  '--workers',
  '1',
  '--seed',
  '3',
];
// 600 replayed frames committed every 40: sixteen commits, deployments, promotions and their archives
const replay = (root: string) => [
  'replay',
  '--study',
  'fi',
  '--data',
  'builtin?seed=7&bars=2000',
  '--from',
  '2024-02-28T08:00:00Z',
  '--release-every',
  '6',
  '--commit-every',
  '40',
  '--root',
  root,
];

function summary(name: string, outcomes: readonly PointOutcome[], total: number): string {
  const matched = outcomes.filter((o) => o.crashed && o.differences.length === 0).length;
  const kinds = new Map<string, number>();
  for (const o of outcomes) kinds.set(o.op, (kinds.get(o.op) ?? 0) + 1);
  const double = outcomes.filter((o) => o.fault.includes('then')).length;
  return `fault injection (${name}): ${outcomes.length} of ${total} crash points covered (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')}; ${double} with a second crash during the restart), ${matched} matched the uninterrupted run`;
}

/** A short train on SQLite, all of whose trials a single worker thread runs (its operations are numbered in order). */
const TRAIN_TRIALS = 4;
const shortTrain = (root: string) => [
  'train',
  '--study',
  'tf',
  '--trials',
  String(TRAIN_TRIALS),
  '--kind',
  'any',
  '--ppo-steps',
  '256',
  '--data',
  'builtin?seed=7&bars=800',
  '--validation-bars',
  '100',
  '--folds',
  '2',
  '--embargo-bars',
  '24',
  '--workers',
  '1',
  '--seed',
  '3',
  '--root',
  root,
];

// The trained workspace, the uninterrupted replay's operations and files: made once, shared by the tests.
let trained = '';
let ops: TracedOp[] = [];
let expected = new Map<string, string>();

beforeAll(() => {
  trained = mkdtempSync(join(tmpdir(), 'ht-fi-trained-'));
  expect(runCli([...TRAIN, '--root', trained]).status).toBe(0);
  const clean = copyWorkspace(trained, 'ht-fi-clean-');
  ops = traceRun(replay(clean));
  expected = comparableFiles(clean);
}, 600_000);

describe('deterministic fault injection', () => {
  it('replay: a disk full or read-only from any operation on stops with a named error, loses nothing, and resumes', () => {
    const random = seeded(20_260_202);
    // a full disk refuses what needs space (open, write, mkdir); a read-only one refuses any change
    const needsSpace = ops.filter((o) => o.op === 'open' || o.op === 'write' || o.op === 'mkdir');
    const pick = (from: readonly TracedOp[], n: number) =>
      samplePoints(from.length, FULL ? from.length : n, random).map((k) => from[k - 1]!);
    const outcomes = [
      ...pick(needsSpace, DISK_SAMPLE).map((o) => ({ o, disk: 'enospc' as const })),
      ...pick(ops, DISK_SAMPLE).map((o) => ({ o, disk: 'erofs' as const })),
    ].map(({ o, disk }) =>
      crashAndResume({ trained, args: replay, expected, point: o.n, op: o.op, tornFraction: 0, disk }),
    );
    process.stdout.write(`${summary('replay, disk full / read-only', outcomes, ops.length)}\n`);
    expect(outcomes.filter((o) => !o.crashed || o.differences.length > 0)).toEqual([]);
    // the named error says which file and what to do
    for (const o of outcomes)
      expect(o.firstError).toMatch(
        o.fault.startsWith('enospc')
          ? /^error \[DISK_FULL\]: .*: no space left on the device \((open|write|mkdir)\); the last commit is intact/
          : /^error \[WORKSPACE_NOT_WRITABLE\]: .*: cannot write \(EROFS, \w+\).*the last commit is intact/,
      );
  }, 86_400_000);

  it('train on SQLite: a crash or torn write at any operation of a trial worker, then a restart, loses and corrupts nothing', () => {
    const empty = mkdtempSync(join(tmpdir(), 'ht-fi-train-empty-'));
    const clean = copyWorkspace(empty, 'ht-fi-train-clean-');
    const workerOps = traceRun(shortTrain(clean)).filter((o) => o.thread === 'worker');
    const expected = studyView(clean, 'tf');
    expect(expected.filter((t) => t.state === 'COMPLETE').length).toBeGreaterThan(0);
    // every kind of operation a trial makes: its trial row, its reports, its bundle's files
    expect(new Set(workerOps.map((o) => o.op))).toEqual(
      new Set(['db-write', 'mkdir', 'open', 'write', 'fsync', 'rename']),
    );
    const random = seeded(20_260_303);
    const points = samplePoints(workerOps.length, FULL ? workerOps.length : TRAIN_SAMPLE, random);
    const outcomes = points.map((point) =>
      crashTrainAndResume({
        empty,
        args: shortTrain,
        study: 'tf',
        trials: TRAIN_TRIALS,
        expected,
        point,
        op: workerOps[point - 1]!.op,
        tornFraction: random(),
      }),
    );
    const matched = outcomes.filter((o) => o.crashed && o.problems.length === 0).length;
    const kinds = new Map<string, number>();
    for (const o of outcomes) kinds.set(o.op, (kinds.get(o.op) ?? 0) + 1);
    process.stdout.write(
      `fault injection (train, SQLite): ${outcomes.length} of ${workerOps.length} crash points covered (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')}), ${matched} matched\n`,
    );
    expect(outcomes.filter((o) => !o.crashed || o.problems.length > 0)).toEqual([]);
    // a disk full or read-only under a trial: the run stops naming it, nothing is lost, the restart resumes
    const disk = [
      ...samplePoints(workerOps.length, FULL ? workerOps.length : DISK_SAMPLE, random).map((point) => ({
        point,
        disk: 'enospc' as const,
      })),
      ...samplePoints(workerOps.length, FULL ? workerOps.length : DISK_SAMPLE, random).map((point) => ({
        point,
        disk: 'erofs' as const,
      })),
    ]
      // a full disk refuses what needs space: a point at an fsync or rename takes effect at the next write
      .filter(
        ({ point, disk }) =>
          disk === 'erofs' || workerOps.slice(point - 1).some((o) => o.op !== 'fsync' && o.op !== 'rename'),
      )
      .map(({ point, disk }) =>
        crashTrainAndResume({
          empty,
          args: shortTrain,
          study: 'tf',
          trials: TRAIN_TRIALS,
          expected,
          point,
          op: workerOps[point - 1]!.op,
          tornFraction: 0,
          disk,
        }),
      );
    process.stdout.write(
      `fault injection (train, SQLite, disk full / read-only): ${disk.length} points, ${disk.filter((o) => o.crashed && o.problems.length === 0).length} matched\n`,
    );
    expect(disk.filter((o) => !o.crashed || o.problems.length > 0)).toEqual([]);
  }, 86_400_000);

  it('replay: a crash or torn write at any durable operation, then a restart, ends in the uninterrupted state', () => {
    expect(ops.length).toBeGreaterThan(300);
    const random = seeded(20_260_101);
    const points = samplePoints(ops.length, FULL ? ops.length : SAMPLE, random);
    const outcomes = points.map((point, k) =>
      crashAndResume({
        trained,
        args: replay,
        expected,
        point,
        op: ops[point - 1]!.op,
        tornFraction: random(),
        // every fifth point: the restart is killed too, early (recovering the first crash's commit)
        secondPoint: k % 5 === 4 ? 1 + Math.floor(random() * 30) : undefined,
      }),
    );
    process.stdout.write(`${summary('replay', outcomes, ops.length)}\n`);
    const failed = outcomes.filter((o) => !o.crashed || o.differences.length > 0);
    expect(failed).toEqual([]);
  }, 86_400_000);
});
