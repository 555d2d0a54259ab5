// Operator requests (pause/resume a service, manual promotion, demote, rollback) as files under run/control/:
// the API writes a request, the deployer applies it on its next cycle and writes the result beside it. One
// writer per file: the API never touches deployment or paper files itself.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { memoLast } from '../../core/memo.js';
import { parseConfig } from '../../core/schema-issues.js';
import { readJsonFile, writeJsonFile } from '../../state/index.js';
import {
  type ControlAction,
  type ControlRequest,
  ControlRequestSchema,
  type ControlResult,
  type ControlService,
  DoneFileSchema,
  isValidControlId,
} from './control-schema.js';

export interface ControlRequestInput {
  readonly action: ControlAction;
  readonly service?: ControlService | null;
  readonly modelId?: string | null;
  readonly reason?: string;
  readonly requestedBy: string;
}

/** The request folders under the workspace root (built once per root: the deployer asks every frame). */
export const controlPaths: (root: string) => { readonly pending: string; readonly done: string } = memoLast(
  (root: string) => {
    const dir = join(root, 'run', 'control');
    return Object.freeze({ pending: join(dir, 'pending'), done: join(dir, 'done') });
  },
);

const requestFile = (dir: string, id: string) => join(dir, `${id}.json`);

/**
 * Validates and queues a request (atomically written to run/control/pending/<id>.json). Throws ConfigError
 * naming the field for an invalid one; nothing is written then.
 */
export function enqueueControlRequest(
  root: string,
  input: ControlRequestInput,
  nowMs: number = Date.now(),
): ControlRequest {
  const request = parseConfig(
    ControlRequestSchema,
    {
      schemaVersion: 1,
      id: randomUUID(),
      action: input.action,
      service: input.service ?? null,
      modelId: input.modelId ?? null,
      reason: input.reason ?? '',
      requestedAt: new Date(nowMs).toISOString(),
      requestedBy: input.requestedBy,
    },
    'CONTROL_REQUEST_INVALID',
    'control request',
  );
  const { pending } = controlPaths(root);
  mkdirSync(pending, { recursive: true });
  writeJsonFile(requestFile(pending, request.id), ControlRequestSchema, request);
  return request;
}

/**
 * Pending requests, oldest first (a request file that fails validation is reported by `onInvalid`). Cheap
 * when nothing is pending, as the deployer asks every frame: see `knownEmpty`.
 */
export function pendingControlRequests(
  root: string,
  onInvalid: (file: string, error: Error) => void = () => {},
  wallClock: () => number = Date.now,
): ControlRequest[] {
  const { pending } = controlPaths(root);
  const stat = statSync(pending, { bigint: true, throwIfNoEntry: false });
  if (stat === undefined) return [];
  const now = wallClock();
  if (knownEmpty(pending, stat, now)) return [];
  const names = readdirSync(pending).filter(
    (name) => name.endsWith('.json') && isValidControlId(name.slice(0, -5)),
  );
  if (names.length === 0) {
    rememberEmpty(pending, stat, now);
    return [];
  }
  const requests: ControlRequest[] = [];
  for (const name of names) {
    try {
      const request = readJsonFile(join(pending, name), ControlRequestSchema);
      if (request) requests.push(request);
    } catch (error) {
      onInvalid(join(pending, name), error as Error);
    }
  }
  return requests.sort((a, b) => a.requestedAt.localeCompare(b.requestedAt) || a.id.localeCompare(b.id));
}

/** Pending folders a listing found without request files: the folder's identity and when it was listed. */
const emptyFolders = new Map<string, { ino: bigint; mtimeNs: bigint; listedAt: number }>();
/** Folder timestamps are coarse (a clock tick; whole seconds on some file systems): older ones are trusted. */
const SETTLED_MS = 2_000;
/** A folder known empty is listed again after this much wall time anyway (each frame of a live feed). */
const RELIST_MS = 1_000;

/**
 * Whether `pending` is known to hold no request file: listed empty less than RELIST_MS ago, unchanged
 * since (same inode and mtime: creating or renaming a file in it changes its mtime), and last modified
 * well before that listing, so a file created after it cannot share its mtime.
 */
function knownEmpty(pending: string, stat: { ino: bigint; mtimeNs: bigint }, now: number): boolean {
  const empty = emptyFolders.get(pending);
  return (
    empty !== undefined &&
    empty.ino === stat.ino &&
    empty.mtimeNs === stat.mtimeNs &&
    now - empty.listedAt < RELIST_MS
  );
}

function rememberEmpty(pending: string, stat: { ino: bigint; mtimeNs: bigint }, now: number): void {
  if (now - Number(stat.mtimeNs / 1_000_000n) <= SETTLED_MS) {
    emptyFolders.delete(pending);
    return;
  }
  if (emptyFolders.size >= 64) emptyFolders.clear(); // many workspaces in one process (tests): stay small
  emptyFolders.set(pending, { ino: stat.ino, mtimeNs: stat.mtimeNs, listedAt: now });
}

/**
 * Records a request's result: the request and its result go to run/control/done/<id>.json (written first),
 * then the pending file is removed. Repeating it is harmless (a restart may finish a half-done completion).
 */
export function completeControlRequest(root: string, request: ControlRequest, result: ControlResult): void {
  const { pending, done } = controlPaths(root);
  mkdirSync(done, { recursive: true });
  writeJsonFile(requestFile(done, request.id), DoneFileSchema, { request, result });
  rmSync(requestFile(pending, request.id), { force: true });
}

/** A request and where it stands, or null when the id is unknown (or not a valid id). */
export function readControlRequest(
  root: string,
  id: string,
): {
  request: ControlRequest;
  status: 'pending' | ControlResult['status'];
  result: ControlResult | null;
} | null {
  if (!isValidControlId(id)) return null;
  const { pending, done } = controlPaths(root);
  const finished = readJsonFile(requestFile(done, id), DoneFileSchema);
  if (finished) return { request: finished.request, status: finished.result.status, result: finished.result };
  const waiting = readJsonFile(requestFile(pending, id), ControlRequestSchema);
  return waiting ? { request: waiting, status: 'pending', result: null } : null;
}
