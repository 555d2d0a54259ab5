// Fault injection for `train` on SQLite: what a crash in a trial worker may and may not do to a study.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bundleFileHashes } from '../../src/models/bundle/index.js';
import { openSqliteStudyStorage } from '../../src/training/storage/index.js';
import { copyWorkspace, runWithFault } from './harness.js';

/** One trial as the comparison sees it: its outcome and its bundle's content (createdAt left out). */
export interface TrialView {
  readonly number: number;
  readonly state: string;
  readonly value: number | null;
  readonly params: string;
  /** Each file of the bundle (the manifest without its wall-clock createdAt); null without a bundle. */
  readonly bundle: Record<string, string> | null;
  /** Why the bundle cannot be used (a missing or corrupt file), null when it checks. */
  readonly bundleProblem: string | null;
}

/** The trials of `study` in the workspace at `root`, by number. */
export function studyView(root: string, study: string): TrialView[] {
  const storage = openSqliteStudyStorage(`sqlite:///${join(root, 'studies.db')}`);
  try {
    const found = storage.findStudy(study);
    if (!found) return [];
    return storage.getTrials(found.studyId).map((t) => {
      const path = typeof t.userAttrs.model_path === 'string' ? join(root, t.userAttrs.model_path) : null;
      let bundle: Record<string, string> | null = null;
      let bundleProblem: string | null = null;
      if (path !== null && t.state === 'COMPLETE') {
        try {
          bundleFileHashes(path);
          bundle = {};
          for (const name of readdirSync(path).sort()) {
            const text = readFileSync(join(path, name), 'utf8');
            bundle[name] =
              name === 'manifest.json' ? JSON.stringify({ ...JSON.parse(text), createdAt: null }) : text;
          }
        } catch (error) {
          bundleProblem = (error as Error).message;
        }
      }
      return {
        number: t.number,
        state: t.state,
        value: t.value,
        params: JSON.stringify(t.params),
        bundle,
        bundleProblem,
      };
    });
  } finally {
    storage.close();
  }
}

export interface TrainPointOutcome {
  readonly point: number;
  readonly op: string;
  readonly fault: string;
  readonly crashed: boolean;
  readonly problems: readonly string[];
}

/**
 * Runs `args` (a train of `trials` trials) in a copy of `empty` with a crash or torn write at operation
 * `point` of its trial worker, then runs it again. What must hold: the restart exits 0 and adds its
 * trials; no trial is left RUNNING; every trial completed before the crash is kept as it was and equals
 * the uninterrupted run's trial of that number (`expected`: seeded studies are reproducible); every
 * COMPLETE trial's bundle is whole (every file its manifest names, with its sha256).
 */
export function crashTrainAndResume(options: {
  empty: string;
  args: (root: string) => string[];
  study: string;
  trials: number;
  expected: readonly TrialView[];
  point: number;
  op: string;
  tornFraction: number;
  /** A disk fault instead of a crash: from `point` on, the disk is full or read-only. */
  disk?: 'enospc' | 'erofs';
}): TrainPointOutcome {
  const root = copyWorkspace(options.empty, 'ht-fi-train-');
  const fault = options.disk
    ? `${options.disk}@w:${options.point}`
    : options.op === 'write'
      ? `tear@w:${options.point}:${options.tornFraction.toFixed(3)}`
      : `crash@w:${options.point}`;
  const first = runWithFault(options.args(root), { HYBRID_TRADER_FAULT: fault });
  // a disk fault stops the study run with its named error (exit 1)
  const named = options.disk === 'enospc' ? 'DISK_FULL' : 'WORKSPACE_NOT_WRITABLE';
  const crashed = options.disk
    ? first.status === 1 && new RegExp(`^stopped early: error \\[${named}\\]: `, 'm').test(first.stderr)
    : first.signal === 'SIGKILL';
  const before = studyView(root, options.study);
  const resumed = runWithFault(options.args(root));
  const problems: string[] = [];
  if (resumed.status !== 0)
    problems.push(`resumed run exited ${resumed.status}: ${resumed.stderr.trim().split('\n').at(-1)}`);
  const after = studyView(root, options.study);
  const added = after.length - before.length;
  if (added !== options.trials) problems.push(`the restart added ${added} trials, not ${options.trials}`);
  for (const t of after) {
    if (t.state === 'RUNNING') problems.push(`trial ${t.number} left RUNNING`);
    if (t.state === 'COMPLETE' && t.bundle === null)
      problems.push(`trial ${t.number} COMPLETE without a whole bundle: ${t.bundleProblem}`);
  }
  for (const b of before.filter((t) => t.state === 'COMPLETE')) {
    const a = after.find((t) => t.number === b.number);
    if (JSON.stringify(a) !== JSON.stringify(b)) problems.push(`trial ${b.number} changed by the restart`);
    const e = options.expected.find((t) => t.number === b.number);
    if (JSON.stringify(e) !== JSON.stringify(b))
      problems.push(`trial ${b.number} differs from the uninterrupted run's`);
  }
  if (problems.length === 0) rmSync(root, { recursive: true, force: true });
  return { point: options.point, op: options.op, fault, crashed, problems };
}
