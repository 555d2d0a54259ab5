// Deterministic fault injection: every durable operation of a replay is a numbered crash point; a crash (or
// a torn write) at any of them, then a restart, must end in the uninterrupted run's state, journals and logs.
// `npm test` runs a seeded sample; HYBRID_TRADER_FAULT_SWEEP=full (scripts/fault-sweep.sh) runs every point.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import {
  comparableFiles,
  copyWorkspace,
  crashAndResume,
  type PointOutcome,
  samplePoints,
  seeded,
  traceRun,
} from './fault-injection/harness.js';

const FULL = process.env.HYBRID_TRADER_FAULT_SWEEP === 'full';
/** Points of the seeded sample `npm test` runs (HYBRID_TRADER_FAULT_SAMPLE=N: N; the full sweep: every point). */
const SAMPLE = Number(process.env.HYBRID_TRADER_FAULT_SAMPLE ?? 8);

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

describe('deterministic fault injection', () => {
  it('replay: a crash or torn write at any durable operation, then a restart, ends in the uninterrupted state', () => {
    const trained = mkdtempSync(join(tmpdir(), 'ht-fi-trained-'));
    expect(runCli([...TRAIN, '--root', trained]).status).toBe(0);
    const clean = copyWorkspace(trained, 'ht-fi-clean-');
    const ops = traceRun(replay(clean));
    const expected = comparableFiles(clean);
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
