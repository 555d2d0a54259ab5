// Operator control requests under run/control/: queued, read back and completed; the pending ones asked every frame.
import { mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  completeControlRequest,
  controlPaths,
  enqueueControlRequest,
  pendingControlRequests,
  readControlRequest,
} from './control-requests.js';
import { isValidControlId } from './control-schema.js';

const workspace = () => mkdtempSync(join(tmpdir(), 'ht-control-'));

/**
 * A workspace whose empty pending folder last changed `ageMs` before `now`; `backdate()` sets that mtime
 * again (a write the file system clock did not see).
 */
function agedPendingFolder(ageMs: number) {
  const root = workspace();
  const { pending } = controlPaths(root);
  mkdirSync(pending, { recursive: true });
  const now = Date.now();
  const mtime = new Date(now - ageMs);
  const backdate = () => utimesSync(pending, mtime, mtime);
  backdate();
  return { root, now, backdate };
}

describe('control requests', () => {
  it('queues a valid request, reads it back as pending, then as applied once completed', () => {
    const root = workspace();
    const request = enqueueControlRequest(
      root,
      { action: 'promote', modelId: 's/3', requestedBy: 'api' },
      1000,
    );
    expect(readControlRequest(root, request.id)).toEqual({ request, status: 'pending', result: null });
    expect(pendingControlRequests(root)).toEqual([request]);
    const result = {
      schemaVersion: 1 as const,
      status: 'applied' as const,
      reason: 'ok',
      cycleTs: 5,
      at: 'x',
    };
    completeControlRequest(root, request, result);
    completeControlRequest(root, request, result); // a repeat after a crash is harmless
    expect(readControlRequest(root, request.id)).toEqual({ request, status: 'applied', result });
    expect(pendingControlRequests(root)).toEqual([]);
  });

  it('refuses inconsistent requests with the field named, writing nothing', () => {
    const root = workspace();
    expect(() => enqueueControlRequest(root, { action: 'pause', requestedBy: 'api' })).toThrow(/"service"/);
    expect(() => enqueueControlRequest(root, { action: 'promote', requestedBy: 'api' })).toThrow(/"modelId"/);
    expect(() =>
      enqueueControlRequest(root, { action: 'rollback', service: 'paper', requestedBy: 'api' }),
    ).toThrow(/"service"/);
    expect(() => readdirSync(controlPaths(root).pending)).toThrow();
  });

  it('never turns an unchecked id into a path', () => {
    const root = workspace();
    for (const id of ['../../etc/passwd', '..', 'a/b/c/d/e', '', 'x'.repeat(65), 'abc']) {
      expect(isValidControlId(id)).toBe(false);
      expect(readControlRequest(root, id)).toBeNull();
    }
  });

  it('returns pending requests oldest first and reports a corrupt one instead of failing', () => {
    const root = workspace();
    const second = enqueueControlRequest(root, { action: 'rollback', requestedBy: 'api' }, 2000);
    const first = enqueueControlRequest(
      root,
      { action: 'pause', service: 'paper', requestedBy: 'api' },
      1000,
    );
    writeFileSync(join(controlPaths(root).pending, 'deadbeef-0000.json'), '{"schemaVersion":1');
    const bad: string[] = [];
    expect(pendingControlRequests(root, (file) => bad.push(file)).map((r) => r.id)).toEqual([
      first.id,
      second.id,
    ]);
    expect(bad).toEqual([join(controlPaths(root).pending, 'deadbeef-0000.json')]);
  });
});

describe('pending control requests, asked every frame', () => {
  it('answers from one stat while the pending folder is unchanged since it was listed empty', () => {
    // the folder last changed a minute before "now": a listing that finds it empty is trusted
    const folder = agedPendingFolder(60_000);
    const root = folder.root;
    let now = folder.now;
    const clock = () => now;
    expect(pendingControlRequests(root, undefined, clock)).toEqual([]);
    // a request written by the API changes the folder's mtime: seen at once
    const request = enqueueControlRequest(root, { action: 'rollback', requestedBy: 'api' });
    expect(pendingControlRequests(root, undefined, clock)).toEqual([request]);
    completeControlRequest(root, request, {
      schemaVersion: 1,
      status: 'applied',
      reason: 'ok',
      cycleTs: null,
      at: 'x',
    });
    expect(pendingControlRequests(root, undefined, clock)).toEqual([]);
    // a file slipped in without changing the mtime (a coarse file system clock): found within a second
    folder.backdate();
    expect(pendingControlRequests(root, undefined, clock)).toEqual([]);
    const hidden = enqueueControlRequest(root, { action: 'rollback', requestedBy: 'api' });
    folder.backdate();
    expect(pendingControlRequests(root, undefined, clock)).toEqual([]);
    now += 1_000;
    expect(pendingControlRequests(root, undefined, clock)).toEqual([hidden]);
  });

  it('never trusts an empty listing of a folder changed in the last seconds', () => {
    const { root, now, backdate } = agedPendingFolder(500);
    expect(pendingControlRequests(root, undefined, () => now)).toEqual([]);
    const request = enqueueControlRequest(root, { action: 'rollback', requestedBy: 'api' });
    backdate(); // same mtime as the listing saw
    expect(pendingControlRequests(root, undefined, () => now)).toEqual([request]);
  });
});
