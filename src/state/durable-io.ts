// Every durable write of a workspace goes through here, one numbered operation at a time: disk-full and
// read-only errors become named errors, and a test can crash the process, tear a write or fail the disk at
// exactly operation N (see configureFaults).
import {
  appendFileSync,
  closeSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { StateError } from '../core/errors.js';

/** The kinds of durable operation, each a crash point. */
export type DurableOp =
  | 'mkdir'
  | 'open'
  | 'write'
  | 'truncate'
  | 'fsync'
  | 'rename'
  | 'unlink'
  /** One write transaction of a database (the study storage): atomic by the database's own journal. */
  | 'db-write';

/**
 * A fault injected at one operation. `crash`: the process dies (SIGKILL: nothing is flushed) instead of
 * doing operation `at`. `tear`: a write lands partly (the first `tornFraction` of its bytes, default half),
 * then the process dies; other operations crash. `enospc` / `erofs`: operation `at` and every later one
 * that needs space (enospc) or any write (erofs) fails as a full or read-only disk would.
 */
export interface FaultPlan {
  /** 1-based number of the operation, counted from the start of the process (or thread). */
  readonly at: number;
  readonly kind: 'crash' | 'tear' | 'enospc' | 'erofs';
  readonly tornFraction?: number;
  /** Whose operation `at` counts: the main thread's (default), or each train worker thread's (`@w:N`). */
  readonly thread?: 'main' | 'worker';
}

/** What train worker threads apply (handed to each through its workerData): their plan and trace file. */
export interface WorkerFaults {
  readonly plan: FaultPlan | null;
  /** File receiving each worker operation at once, as `wN op path` (the main thread's are `N op path`). */
  readonly tracePath: string | null;
}

/** Receives every operation as it is about to happen (the fault-injection test records them). */
export type OpTracer = (n: number, op: DurableOp, path: string) => void;

let plan: FaultPlan | null = null;
let tracer: OpTracer | null = null;
let forWorkers: WorkerFaults | null = null;
let count = 0;
let failing: 'enospc' | 'erofs' | null = null;

/**
 * Sets the fault to inject in this thread (null: none), an optional tracer and what train worker threads
 * get, and restarts the count. The CLI sets them from HYBRID_TRADER_FAULT / HYBRID_TRADER_FAULT_TRACE, a
 * worker thread from its workerData; nothing else should.
 */
export function configureFaults(options: {
  plan?: FaultPlan | null;
  tracer?: OpTracer | null;
  workers?: WorkerFaults | null;
}): void {
  plan = options.plan ?? null;
  tracer = options.tracer ?? null;
  forWorkers = options.workers ?? null;
  count = 0;
  failing = null;
}

/** The configured fault of this thread. */
export function currentFaultPlan(): FaultPlan | null {
  return plan;
}

/** What a train worker thread is to apply (null: nothing), for its workerData. */
export function workerFaults(): WorkerFaults | null {
  return forWorkers;
}

/** Applies `faults` in a worker thread: its plan, and its operations appended to the trace file at once. */
export function configureWorkerFaults(faults: WorkerFaults | null | undefined): void {
  if (!faults) return;
  const path = faults.tracePath;
  configureFaults({
    plan: faults.plan,
    tracer: path ? (n, op, target) => appendFileSync(path, `w${n} ${op} ${target}\n`) : null,
  });
}

/** Operations counted so far in this process (or thread). */
export function durableOpCount(): number {
  return count;
}

/**
 * Parses `crash@N`, `tear@N[:fraction]`, `enospc@N` or `erofs@N` (`@w:N`: operation N of each train worker
 * thread); ConfigError-free: throws a plain Error.
 */
export function parseFaultPlan(text: string): FaultPlan {
  const m = /^(crash|tear|enospc|erofs)@(w:)?(\d+)(?::([0-9.]+))?$/.exec(text.trim());
  if (!m)
    throw new Error(
      `fault plan "${text}": expected crash@N, tear@N[:fraction], enospc@N or erofs@N (@w:N: in train workers)`,
    );
  const tornFraction = m[4] === undefined ? undefined : Number(m[4]);
  return {
    kind: m[1] as FaultPlan['kind'],
    at: Number(m[3]),
    tornFraction,
    thread: m[2] ? 'worker' : 'main',
  };
}

function errnoError(code: 'ENOSPC' | 'EROFS', op: DurableOp, path: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: injected fault, ${op} '${path}'`);
  error.code = code;
  return error;
}

/** Counts an operation and applies the plan: may kill the process, or throw a disk error. */
function point(op: DurableOp, path: string): 'tear' | null {
  const n = ++count;
  tracer?.(n, op, path);
  if (plan !== null && n === plan.at) {
    if (plan.kind === 'crash' || (plan.kind === 'tear' && op !== 'write')) die();
    if (plan.kind === 'tear') return 'tear';
    failing = plan.kind;
  }
  if (failing === 'erofs' && op !== 'fsync') throw errnoError('EROFS', op, path);
  // a full disk still lets files be removed, truncated, renamed and synced
  if (failing === 'enospc' && (op === 'open' || op === 'write' || op === 'mkdir' || op === 'db-write'))
    throw errnoError('ENOSPC', op, path);
  return null;
}

function die(): never {
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL is not delivered synchronously on every platform: never go on doing I/O meanwhile
  for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
}

const FULL = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);
const READ_ONLY = new Set(['EROFS', 'EACCES', 'EPERM', 'SQLITE_READONLY', 'SQLITE_CANTOPEN']);

/**
 * The named error for a failed durable operation: DISK_FULL or WORKSPACE_NOT_WRITABLE (StateError, with
 * the path and the operation), anything else unchanged. What was committed before stays committed; the
 * commit in progress is either completed at the next start (its redo record was written) or never happened.
 */
export function namedIoError(error: unknown, op: DurableOp, path: string): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code !== undefined && FULL.has(code))
    return new StateError(
      'DISK_FULL',
      `${path}: no space left on the device (${op}); the last commit is intact: free some space and run the command again to resume`,
      { path, op, errno: code },
      { cause: error },
    );
  if (code !== undefined && READ_ONLY.has(code))
    return new StateError(
      'WORKSPACE_NOT_WRITABLE',
      `${path}: cannot write (${code}, ${op}): the workspace is read-only or not writable by this user; the last commit is intact: make it writable and run the command again to resume`,
      { path, op, errno: code },
      { cause: error },
    );
  return error;
}

function run<T>(op: DurableOp, path: string, fn: () => T): T {
  try {
    point(op, path);
    return fn();
  } catch (error) {
    throw namedIoError(error, op, path);
  }
}

/** Durable operations on files. Each is one numbered crash point; errors are named (namedIoError). */
export const durable = {
  mkdir(dir: string): void {
    run('mkdir', dir, () => mkdirSync(dir, { recursive: true }));
  },
  /** Opens for writing: `w` (create or empty), `wx` (create, must not exist) or `a` (append). */
  open(path: string, flags: 'w' | 'wx' | 'a'): number {
    return run('open', path, () => openSync(path, flags));
  },
  /** Writes all of `data` at the file's position (the end for `a`); a torn write lands a prefix, then dies. */
  write(fd: number, data: Uint8Array, path: string): void {
    let torn = false;
    try {
      torn = point('write', path) === 'tear';
      const bytes = torn ? Math.floor(data.length * (plan?.tornFraction ?? 0.5)) : data.length;
      for (let off = 0; off < bytes; ) off += writeSync(fd, data, off, bytes - off);
    } catch (error) {
      throw namedIoError(error, 'write', path);
    }
    if (torn) die();
  },
  truncate(fd: number, length: number, path: string): void {
    run('truncate', path, () => ftruncateSync(fd, length));
  },
  fsync(fd: number, path: string): void {
    run('fsync', path, () => fsyncSync(fd));
  },
  rename(from: string, to: string): void {
    run('rename', to, () => renameSync(from, to));
  },
  /** Removes a file or folder (recursively) if it exists. */
  remove(path: string): void {
    run('unlink', path, () => rmSync(path, { recursive: true, force: true }));
  },
  /** Closing is not a durable operation (the data is in the file once written). */
  close(fd: number): void {
    closeSync(fd);
  },
  /** One database write transaction, run by `fn` (a crash point before it; disk errors named). */
  dbWrite<T>(label: string, fn: () => T): T {
    return run('db-write', label, fn);
  },
};
