// The deterministic fault-injection harness: runs a command once recording every durable operation, then
// runs it again with a crash (or a torn write) injected at operation N, restarts it, and compares.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CLI } from '../cli.js';

export interface RunResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/** Runs the CLI with the fault-injection variables (empty: none). */
export function runWithFault(args: readonly string[], env: Record<string, string> = {}): RunResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    env: { ...process.env, HYBRID_TRADER_FAULT: '', HYBRID_TRADER_FAULT_TRACE: '', ...env },
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { status: r.status, signal: r.signal, stderr: r.stderr };
}

export interface TracedOp {
  /** The operation's number in its thread. */
  readonly n: number;
  readonly op: string;
  readonly path: string;
  /** The main thread's, or a train worker thread's (traced as `wN`). */
  readonly thread: 'main' | 'worker';
}

/** Runs the command recording its durable operations; throws when it does not exit 0. */
export function traceRun(args: readonly string[]): TracedOp[] {
  const dir = mkdtempSync(join(tmpdir(), 'ht-fi-trace-'));
  const file = join(dir, 'trace.txt');
  const r = runWithFault(args, { HYBRID_TRADER_FAULT_TRACE: file });
  if (r.status !== 0) throw new Error(`traced run exited ${r.status}: ${r.stderr}`);
  const ops = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [n, op, ...path] = line.split(' ');
      const worker = n!.startsWith('w');
      return {
        n: Number(worker ? n!.slice(1) : n),
        op: op!,
        path: path.join(' '),
        thread: worker ? ('worker' as const) : ('main' as const),
      };
    });
  rmSync(dir, { recursive: true, force: true });
  return ops;
}

/** A seeded xorshift source in [0, 1) (no Math.random in tests). */
export function seeded(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** `count` distinct points of 1..total drawn with `random` (all of them when count >= total), ascending. */
export function samplePoints(total: number, count: number, random: () => number): number[] {
  if (count >= total) return Array.from({ length: total }, (_, k) => k + 1);
  const picked = new Set<number>();
  while (picked.size < count) picked.add(1 + Math.floor(random() * total));
  return [...picked].sort((a, b) => a - b);
}

/** Log lines a service writes when it opens: a restart legitimately adds them, nothing else. */
const OPEN_MESSAGES = new Set([
  'paper trader started',
  'paper trader restored',
  'arena started',
  'arena restored',
]);

/**
 * What must be equal between an interrupted and an uninterrupted run: every file under root but the inputs
 * (models/, the study storage) and run/ (pid, heartbeat, redo record), with the root's path replaced; log
 * files without the lines services write when they open.
 */
export function comparableFiles(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const rel = relative(root, path);
      if (rel === 'models' || rel === 'run' || rel.startsWith('studies.db')) continue;
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      let text = readFileSync(path, 'utf8').replaceAll(root, '<root>');
      if (rel.startsWith('logs')) text = withoutOpenLines(text);
      out.set(rel, text);
    }
  };
  walk(root);
  return out;
}

function withoutOpenLines(text: string): string {
  return text
    .split('\n')
    .filter((line) => line === '' || !OPEN_MESSAGES.has((JSON.parse(line) as { msg: string }).msg))
    .join('\n');
}

/** The files that differ (missing, extra or changed), empty when the two workspaces match. */
export function differences(expected: Map<string, string>, actual: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [file, text] of expected) if (actual.get(file) !== text) out.push(file);
  for (const file of actual.keys()) if (!expected.has(file)) out.push(`${file} (extra)`);
  return out;
}

/** A fresh copy of `source` to run in. */
export function copyWorkspace(source: string, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(source, dir, { recursive: true });
  return dir;
}

export interface PointOutcome {
  readonly point: number;
  readonly op: string;
  readonly fault: string;
  /** The injected run died there (SIGKILL), or, for a disk fault, stopped with its named error (exit 1). */
  readonly crashed: boolean;
  /** The injected run's last line of stderr (a disk fault's named error). */
  readonly firstError: string;
  readonly resumedStatus: number | null;
  readonly differences: readonly string[];
}

/**
 * Crashes `args` at `point` in a copy of `trained` (a torn write of a seeded prefix on write operations, a
 * kill otherwise), optionally crashes the first restart too (at `secondPoint`, during its recovery), then
 * restarts it to the end and compares with `expected`.
 */
export function crashAndResume(options: {
  trained: string;
  args: (root: string) => string[];
  expected: Map<string, string>;
  point: number;
  op: string;
  tornFraction: number;
  secondPoint?: number;
  compare?: (root: string) => Map<string, string>;
  /** A disk fault instead of a crash: from `point` on, the disk is full or read-only. */
  disk?: 'enospc' | 'erofs';
}): PointOutcome {
  const root = copyWorkspace(options.trained, 'ht-fi-run-');
  const fault = options.disk
    ? `${options.disk}@${options.point}`
    : options.op === 'write'
      ? `tear@${options.point}:${options.tornFraction.toFixed(3)}`
      : `crash@${options.point}`;
  const first = runWithFault(options.args(root), { HYBRID_TRADER_FAULT: fault });
  // a disk fault must end the run with its named error (exit 1), never a kill or a silent success
  const named = options.disk === 'enospc' ? 'DISK_FULL' : 'WORKSPACE_NOT_WRITABLE';
  const crashed = options.disk
    ? first.status === 1 && new RegExp(`^error \\[${named}\\]: `, 'm').test(first.stderr)
    : first.signal === 'SIGKILL';
  if (options.secondPoint !== undefined)
    runWithFault(options.args(root), { HYBRID_TRADER_FAULT: `crash@${options.secondPoint}` });
  const resumed = runWithFault(options.args(root));
  const diff =
    resumed.status === 0
      ? differences(options.expected, (options.compare ?? comparableFiles)(root))
      : [`resumed run exited ${resumed.status}: ${resumed.stderr.trim().split('\n').at(-1)}`];
  if (diff.length === 0) rmSync(root, { recursive: true, force: true });
  return {
    point: options.point,
    op: options.op,
    fault: options.secondPoint === undefined ? fault : `${fault}, then crash@${options.secondPoint}`,
    crashed,
    firstError: first.stderr.trim().split('\n').at(-1) ?? '',
    resumedStatus: resumed.status,
    differences: diff,
  };
}
