// A read-only view of a workspace as the next start will see it: with a leftover redo record applied in
// memory, so `status` runs every check of a start without writing anything.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HybridTraderError } from '../core/errors.js';
import { decodeRedo, type RedoOp, redoMismatch, STATE_REDO_FILE } from '../state/index.js';

export interface WorkspaceView {
  readonly root: string;
  /** The file's bytes as the next start will find them after completing a pending commit; null: absent. */
  read(path: string): Buffer | null;
  /** A commit was interrupted: its redo record is there, valid, and will be completed at the next start. */
  readonly pendingCommit: boolean;
  /** Why the redo record cannot be applied (the start refuses); the view is then the files as they are. */
  readonly recordError: HybridTraderError | null;
}

function readOrNull(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The view of the workspace at `root` (see WorkspaceView). */
export function viewWorkspace(root: string): WorkspaceView {
  const recordPath = join(root, STATE_REDO_FILE);
  let ops: RedoOp[] = [];
  let recordError: HybridTraderError | null = null;
  if (existsSync(recordPath)) {
    try {
      ops = decodeRedo(readFileSync(recordPath), recordPath);
      recordError = redoMismatch(root, ops, recordPath);
    } catch (error) {
      if (!(error instanceof HybridTraderError)) throw error;
      recordError = error;
    }
    if (recordError !== null) ops = [];
  }
  const changed = new Map<string, RedoOp>();
  for (const o of ops) {
    const path = join(root, o.path);
    const before = changed.get(path);
    // several appends to one file in a record follow each other: keep the whole tail
    if ((o.op === 'append' || o.op === 'log') && before && (before.op === 'append' || before.op === 'log'))
      changed.set(path, { ...o, offset: before.offset, data: Buffer.concat([before.data, o.data]) });
    else changed.set(path, o);
  }
  return {
    root,
    pendingCommit: ops.length > 0,
    recordError,
    read(path: string): Buffer | null {
      const o = changed.get(path);
      if (o === undefined) return readOrNull(path);
      if (o.op === 'remove') return null;
      if (o.op === 'write') return o.data;
      const current = readOrNull(path) ?? Buffer.alloc(0);
      return Buffer.concat([current.subarray(0, Math.min(o.offset, current.length)), o.data]);
    },
  };
}
