import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configureFaults, type DurableOp, durableOpCount, parseFaultPlan } from './durable-io.js';
import { readJsonFile } from './json-file.js';
import { StateTransaction } from './state-transaction.js';

const State = z.strictObject({ schemaVersion: z.literal(1), frame: z.number() });

afterEach(() => configureFaults({}));

/** A workspace with one state file and one journal, committed `frames` times through a transaction. */
function commitFrames(root: string, from: number, to: number): void {
  const tx = StateTransaction.open(root);
  for (let frame = from; frame <= to; frame++) {
    tx.append(join(root, 'j', 'lines.jsonl'), [{ frame }]);
    tx.writeJson(join(root, 's', 'state.json'), State, () => ({ schemaVersion: 1 as const, frame }));
    tx.appendLog(join(root, 'logs', 'x.log'), `frame ${frame}\n`);
    tx.commit();
  }
}

function snapshot(root: string) {
  const read = (p: string) => {
    try {
      return readFileSync(join(root, p), 'utf8');
    } catch {
      return null;
    }
  };
  return {
    state: readJsonFile(join(root, 's', 'state.json'), State),
    journal: read('j/lines.jsonl'),
    log: read('logs/x.log'),
  };
}

describe('durable operations', () => {
  it('parses fault plans', () => {
    expect(parseFaultPlan('crash@12')).toEqual({
      kind: 'crash',
      at: 12,
      tornFraction: undefined,
      thread: 'main',
    });
    expect(parseFaultPlan('tear@3:0.25')).toEqual({
      kind: 'tear',
      at: 3,
      tornFraction: 0.25,
      thread: 'main',
    });
    // operation N of each train worker thread
    expect(parseFaultPlan('enospc@w:7')).toEqual({
      kind: 'enospc',
      at: 7,
      tornFraction: undefined,
      thread: 'worker',
    });
    expect(() => parseFaultPlan('boom@1')).toThrow(/expected crash@N/);
  });

  it('numbers every operation of a commit, in a deterministic order', () => {
    const seen: [number, DurableOp, string][] = [];
    const root = mkdtempSync(join(tmpdir(), 'ht-io-'));
    configureFaults({ tracer: (n, op, path) => seen.push([n, op, path.replace(root, '')]) });
    commitFrames(root, 1, 2);
    expect(seen.map((s) => s[0])).toEqual(seen.map((_, k) => k + 1));
    expect(durableOpCount()).toBe(seen.length);
    const kinds = new Set(seen.map((s) => s[1]));
    for (const op of ['mkdir', 'open', 'write', 'rename', 'unlink'] as const) expect(kinds).toContain(op);
    const again: string[] = [];
    const other = mkdtempSync(join(tmpdir(), 'ht-io-'));
    configureFaults({ tracer: (_n, op, path) => again.push(`${op} ${path.replace(other, '')}`) });
    commitFrames(other, 1, 2);
    const tmpName = (s: string) => s.replace(/\.\d+\.\d+\.tmp$/, '.N.tmp');
    expect(again.map(tmpName)).toEqual(seen.map((s) => tmpName(`${s[1]} ${s[2]}`)));
  });

  for (const kind of ['enospc', 'erofs'] as const)
    it(`${kind} at any operation of a commit: a named error, nothing lost, a clean resume once the disk is back`, () => {
      const clean = mkdtempSync(join(tmpdir(), 'ht-io-'));
      commitFrames(clean, 1, 3);
      // the operations of the commit of frame 3, counted after frames 1 and 2 committed
      const probe = mkdtempSync(join(tmpdir(), 'ht-io-'));
      commitFrames(probe, 1, 2);
      configureFaults({});
      commitFrames(probe, 3, 3);
      const ops = durableOpCount();
      expect(ops).toBeGreaterThan(5);
      for (let at = 1; at <= ops; at++) {
        const root = mkdtempSync(join(tmpdir(), 'ht-io-'));
        commitFrames(root, 1, 2);
        const before = snapshot(root);
        configureFaults({ plan: { kind, at } });
        let error: unknown = null;
        try {
          commitFrames(root, 3, 3);
        } catch (e) {
          error = e;
        }
        configureFaults({});
        if (error !== null) {
          expect(error).toMatchObject({ code: kind === 'enospc' ? 'DISK_FULL' : 'WORKSPACE_NOT_WRITABLE' });
          expect((error as Error).message).toMatch(/the last commit is intact/);
        }
        // without a redo record the files hold the last commit or the new one, never a mix; with one (the
        // commit point was passed) reopening completes it
        if (!existsSync(join(root, 'run', 'state.redo')))
          expect([JSON.stringify(before), JSON.stringify(snapshot(clean))]).toContain(
            JSON.stringify(snapshot(root)),
          );
        StateTransaction.open(root);
        if (JSON.stringify(snapshot(root)) !== JSON.stringify(snapshot(clean))) commitFrames(root, 3, 3);
        expect(snapshot(root), `${kind}@${at}`).toEqual(snapshot(clean));
        expect(readdirSync(join(root, 's'))).toEqual(['state.json']);
      }
    });
});
