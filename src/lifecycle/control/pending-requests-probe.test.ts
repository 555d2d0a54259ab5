// pendingControlRequests asked every frame: one stat while the pending folder is known empty, never a missed request.
import { mkdirSync, mkdtempSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  completeControlRequest,
  controlPaths,
  enqueueControlRequest,
  pendingControlRequests,
} from './control-requests.js';

const workspace = () => mkdtempSync(join(tmpdir(), 'ht-control-'));

describe('pending control requests, asked every frame', () => {
  it('answers from one stat while the pending folder is unchanged since it was listed empty', () => {
    const root = workspace();
    const { pending } = controlPaths(root);
    mkdirSync(pending, { recursive: true });
    // the folder last changed a minute before "now": a listing that finds it empty is trusted
    let now = Date.now();
    const old = new Date(now - 60_000);
    utimesSync(pending, old, old);
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
    utimesSync(pending, old, old);
    expect(pendingControlRequests(root, undefined, clock)).toEqual([]);
    const hidden = enqueueControlRequest(root, { action: 'rollback', requestedBy: 'api' });
    utimesSync(pending, old, old);
    expect(pendingControlRequests(root, undefined, clock)).toEqual([]);
    now += 1_000;
    expect(pendingControlRequests(root, undefined, clock)).toEqual([hidden]);
  });

  it('never trusts an empty listing of a folder changed in the last seconds', () => {
    const root = workspace();
    const { pending } = controlPaths(root);
    mkdirSync(pending, { recursive: true });
    const now = Date.now();
    const recent = new Date(now - 500);
    utimesSync(pending, recent, recent);
    expect(pendingControlRequests(root, undefined, () => now)).toEqual([]);
    const request = enqueueControlRequest(root, { action: 'rollback', requestedBy: 'api' });
    utimesSync(pending, recent, recent); // same mtime as the listing saw
    expect(pendingControlRequests(root, undefined, () => now)).toEqual([request]);
  });
});
