import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readJournal } from './journal.js';
import { readJsonFile } from './json-file.js';
import { encodeRedo, type RedoOp } from './redo-record.js';
import { directStateStore } from './state-store.js';
import { STATE_REDO_FILE, StateTransaction } from './state-transaction.js';

const State = z.strictObject({ schemaVersion: z.literal(1), frame: z.number().finite() });
const Line = z.strictObject({ frame: z.number() });

/** A workspace with two state files and a journal, written through a transaction frame by frame. */
function workspace() {
  const root = mkdtempSync(join(tmpdir(), 'ht-tx-'));
  const paths = {
    a: join(root, 'a', 'state.json'),
    b: join(root, 'b', 'state.json'),
    view: join(root, 'b', 'view.txt'),
    journal: join(root, 'a', 'lines.jsonl'),
    record: join(root, STATE_REDO_FILE),
  };
  /** What frame `frame` writes. */
  const writeFrame = (tx: StateTransaction, frame: number) => {
    tx.append(paths.journal, [{ frame }]);
    tx.writeJson(paths.a, State, () => ({ schemaVersion: 1 as const, frame }));
    tx.writeJson(paths.b, State, () => ({ schemaVersion: 1 as const, frame: frame * 10 }));
    tx.writeText(paths.view, () => `frame ${frame}\n`);
  };
  const snapshot = () => ({
    a: readJsonFile(paths.a, State),
    b: readJsonFile(paths.b, State),
    view: existsSync(paths.view) ? readFileSync(paths.view, 'utf8') : null,
    journal: existsSync(paths.journal) ? readFileSync(paths.journal, 'utf8') : null,
    record: existsSync(paths.record),
  });
  return { root, paths, writeFrame, snapshot };
}

describe('StateTransaction', () => {
  it('keeps writes pending until commit, then lands files and appends together and removes the record', () => {
    const w = workspace();
    const tx = StateTransaction.open(w.root);
    w.writeFrame(tx, 1);
    w.writeFrame(tx, 2);
    expect(w.snapshot()).toEqual({ a: null, b: null, view: null, journal: null, record: false });
    expect(tx.readJson(w.paths.a, State)).toEqual({ schemaVersion: 1, frame: 2 });
    expect(tx.exists(w.paths.b)).toBe(true);
    expect(tx.commit()).toMatchObject({ files: 3, journals: 1 });
    expect(w.snapshot()).toEqual({
      a: { schemaVersion: 1, frame: 2 },
      b: { schemaVersion: 1, frame: 20 },
      view: 'frame 2\n',
      journal: '{"frame":1}\n{"frame":2}\n',
      record: false,
    });
    expect(tx.commit()).toBeNull(); // nothing pending
  });

  it('builds each value at commit, from the latest state', () => {
    const w = workspace();
    const tx = StateTransaction.open(w.root);
    let frame = 1;
    tx.writeJson(w.paths.a, State, () => ({ schemaVersion: 1 as const, frame }));
    frame = 7;
    tx.commit();
    expect(readJsonFile(w.paths.a, State)?.frame).toBe(7);
  });

  it('removes files, and reads and exists see pending removals', () => {
    const w = workspace();
    const tx = StateTransaction.open(w.root);
    w.writeFrame(tx, 1);
    tx.commit();
    tx.remove(w.paths.b);
    expect(tx.exists(w.paths.b)).toBe(false);
    expect(tx.readJson(w.paths.b, State)).toBeNull();
    expect(existsSync(w.paths.b)).toBe(true);
    tx.commit();
    expect(existsSync(w.paths.b)).toBe(false);
  });

  it('a crash before the redo record: the files stay at the last commit', () => {
    const w = workspace();
    const tx = StateTransaction.open(w.root);
    w.writeFrame(tx, 1);
    tx.commit();
    const committed = w.snapshot();
    w.writeFrame(tx, 2); // then the process dies: nothing of frame 2 was written
    StateTransaction.open(w.root);
    expect(w.snapshot()).toEqual(committed);
  });

  it('a crash after the redo record, before anything was applied: open completes the commit', () => {
    const w = workspace();
    const tx = StateTransaction.open(w.root);
    w.writeFrame(tx, 1);
    tx.commit();
    const ops: RedoOp[] = [
      { op: 'append', path: 'a/lines.jsonl', offset: 12, data: Buffer.from('{"frame":2}\n') },
      { op: 'write', path: 'a/state.json', data: Buffer.from('{"schemaVersion":1,"frame":2}\n') },
      { op: 'remove', path: 'b/view.txt' },
    ];
    writeFileSync(w.paths.record, encodeRedo(ops));
    StateTransaction.open(w.root);
    expect(w.snapshot()).toEqual({
      a: { schemaVersion: 1, frame: 2 },
      b: { schemaVersion: 1, frame: 10 },
      view: null,
      journal: '{"frame":1}\n{"frame":2}\n',
      record: false,
    });
  });

  it('a crash in the middle of applying (journal appended, a file not): open re-applies without duplicate lines', () => {
    const w = workspace();
    const clean = workspace();
    for (const ws of [w, clean]) {
      const tx = StateTransaction.open(ws.root);
      ws.writeFrame(tx, 1);
      tx.commit();
    }
    const tx = StateTransaction.open(w.root);
    w.writeFrame(tx, 2);
    // An obstacle where b/state.json goes: the commit fails after the journal and a/state.json were applied.
    rmSync(w.paths.b);
    mkdirSync(join(w.paths.b, 'obstacle'), { recursive: true });
    expect(() => tx.commit()).toThrow();
    expect(readJsonFile(w.paths.a, State)?.frame).toBe(2);
    expect(readFileSync(w.paths.journal, 'utf8')).toBe('{"frame":1}\n{"frame":2}\n');
    expect(existsSync(w.paths.record)).toBe(true);
    // and its append torn, as if the first application had died in the middle of writing it
    writeFileSync(w.paths.journal, '{"frame":1}\n{"fra');
    rmSync(w.paths.b, { recursive: true });
    StateTransaction.open(w.root); // the restart
    const cleanTx = StateTransaction.open(clean.root);
    clean.writeFrame(cleanTx, 2);
    cleanTx.commit();
    expect(w.snapshot()).toEqual(clean.snapshot());
    expect(readJournal(w.paths.journal, Line)).toEqual({
      entries: [{ frame: 1 }, { frame: 2 }],
      tornTail: null,
    });
  });

  it('applying the same record twice (a crash right before its removal) changes nothing', () => {
    const w = workspace();
    const tx = StateTransaction.open(w.root);
    w.writeFrame(tx, 1);
    tx.commit();
    const ops: RedoOp[] = [
      { op: 'append', path: 'a/lines.jsonl', offset: 12, data: Buffer.from('{"frame":2}\n') },
      { op: 'write', path: 'b/state.json', data: Buffer.from('{"schemaVersion":1,"frame":20}\n') },
    ];
    writeFileSync(w.paths.record, encodeRedo(ops));
    StateTransaction.open(w.root);
    const once = w.snapshot();
    writeFileSync(w.paths.record, encodeRedo(ops));
    StateTransaction.open(w.root);
    expect(w.snapshot()).toEqual(once);
    expect(once.journal).toBe('{"frame":1}\n{"frame":2}\n');
  });

  it('an I/O error mid-apply is completed by the next commit before it writes its own record', () => {
    const w = workspace();
    const tx = StateTransaction.open(w.root);
    w.writeFrame(tx, 1);
    mkdirSync(join(w.paths.b, 'obstacle'), { recursive: true });
    expect(() => tx.commit()).toThrow();
    rmSync(w.paths.b, { recursive: true });
    w.writeFrame(tx, 2);
    tx.commit();
    expect(w.snapshot()).toMatchObject({
      a: { frame: 2 },
      b: { frame: 20 },
      journal: '{"frame":1}\n{"frame":2}\n',
      record: false,
    });
  });

  it('refuses an invalid value at commit, naming the file and field, before writing anything', () => {
    const w = workspace();
    const tx = StateTransaction.open(w.root);
    w.writeFrame(tx, 1);
    tx.writeJson(w.paths.b, State, () => ({ schemaVersion: 1 as const, frame: Number.NaN }));
    expect(() => tx.commit()).toThrow(/refusing to write .*b\/state\.json: field "frame"/);
    expect(w.snapshot()).toEqual({ a: null, b: null, view: null, journal: null, record: false });
  });

  it('refuses a torn record and a journal shorter than the commit expects, leaving the record', () => {
    const w = workspace();
    mkdirSync(join(w.root, 'run'), { recursive: true });
    const full = encodeRedo([{ op: 'write', path: 'a/state.json', data: Buffer.from('{"x":1}\n') }]);
    writeFileSync(w.paths.record, full.subarray(0, full.length - 3));
    expect(() => StateTransaction.open(w.root)).toThrow(
      expect.objectContaining({
        code: 'STATE_REDO_CORRUPT',
        message: expect.stringContaining(w.paths.record),
      }),
    );
    writeFileSync(
      w.paths.record,
      encodeRedo([{ op: 'append', path: 'a/lines.jsonl', offset: 100, data: Buffer.from('{"frame":9}\n') }]),
    );
    expect(() => StateTransaction.open(w.root)).toThrow(
      expect.objectContaining({ code: 'STATE_REDO_JOURNAL_SHORT' }),
    );
    expect(existsSync(w.paths.record)).toBe(true);
  });

  it('refuses a record naming a path outside the workspace, and writes nothing', () => {
    const w = workspace();
    mkdirSync(join(w.root, 'run'), { recursive: true });
    const outside = join(tmpdir(), `ht-tx-outside-${process.pid}.json`);
    for (const path of [outside, '../escape.json', 'a/../../escape.json']) {
      writeFileSync(w.paths.record, encodeRedo([{ op: 'write', path, data: Buffer.from('{}\n') }]));
      expect(() => StateTransaction.open(w.root)).toThrow(
        expect.objectContaining({
          code: 'STATE_REDO_CORRUPT',
          message: expect.stringContaining('not a path inside the workspace'),
        }),
      );
    }
    expect(existsSync(outside)).toBe(false);
    expect(existsSync(join(w.root, '..', 'escape.json'))).toBe(false);
    // and a commit never records one
    const tx = StateTransaction.open(join(w.root, 'a'), { recordFile: 'state.redo' });
    tx.writeText(join(w.root, 'b', 'view.txt'), () => 'x');
    expect(() => tx.commit()).toThrow(expect.objectContaining({ code: 'STATE_PATH_OUTSIDE_WORKSPACE' }));
  });

  it('refuses a stale record (the journal went on after it) before changing anything', () => {
    const w = workspace();
    const tx = StateTransaction.open(w.root);
    w.writeFrame(tx, 1);
    tx.commit();
    w.writeFrame(tx, 2);
    tx.commit();
    const committed = w.snapshot();
    // a well-formed record of the commit of frame 2 (appending after frame 1's line), put back later
    const stale = encodeRedo([
      { op: 'append', path: 'a/lines.jsonl', offset: 12, data: Buffer.from('{"frame":2}\n') },
      { op: 'write', path: 'a/state.json', data: Buffer.from('{"schemaVersion":1,"frame":2}\n') },
    ]);
    const tx2 = StateTransaction.open(w.root);
    w.writeFrame(tx2, 3);
    tx2.commit();
    const later = w.snapshot();
    expect(later).not.toEqual(committed);
    writeFileSync(w.paths.record, stale);
    expect(() => StateTransaction.open(w.root)).toThrow(
      expect.objectContaining({
        code: 'STATE_REDO_STALE',
        message: expect.stringContaining('a/lines.jsonl'),
      }),
    );
    expect({ ...w.snapshot(), record: false }).toEqual(later);
    // one whose journal before it is not the one it followed (another workspace's)
    writeFileSync(
      w.paths.record,
      encodeRedo([
        {
          op: 'append',
          path: 'a/lines.jsonl',
          offset: 36,
          sha256Before: '0'.repeat(64),
          data: Buffer.from('{"frame":4}\n'),
        },
      ]),
    );
    expect(() => StateTransaction.open(w.root)).toThrow(
      expect.objectContaining({
        code: 'STATE_REDO_STALE',
        message: expect.stringContaining('follows other content'),
      }),
    );
  });

  it('a journal deleted or cut during the run is named at the next commit, which writes nothing', () => {
    const w = workspace();
    const tx = StateTransaction.open(w.root);
    w.writeFrame(tx, 1);
    tx.commit();
    rmSync(w.paths.journal);
    w.writeFrame(tx, 2);
    expect(() => tx.commit()).toThrow(
      expect.objectContaining({ code: 'JOURNAL_CHANGED', message: expect.stringContaining('was deleted') }),
    );
    expect(existsSync(w.paths.record)).toBe(false);
    expect(w.snapshot().a).toEqual({ schemaVersion: 1, frame: 1 });
  });

  it('marks journals with their size and the sha256 sha256sum prints, pending appends included', () => {
    const w = workspace();
    const tx = StateTransaction.open(w.root);
    w.writeFrame(tx, 1);
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    const one = '{"frame":1}\n';
    expect(tx.journalMark(w.paths.journal)).toEqual({ bytes: one.length, sha256: sha(one) });
    let seen: unknown = null;
    tx.writeJson(w.paths.a, State, () => {
      seen = tx.journalMark(w.paths.journal);
      return { schemaVersion: 1 as const, frame: 1 };
    });
    tx.commit();
    expect(seen).toEqual({ bytes: one.length, sha256: sha(one) });
    expect(directStateStore.journalMark(w.paths.journal)).toEqual({
      bytes: one.length,
      sha256: sha(readFileSync(w.paths.journal, 'utf8')),
    });
  });

  it('runs afterCommit effects once the writes landed; the direct store at once', () => {
    const w = workspace();
    const tx = StateTransaction.open(w.root);
    const seen: (number | null)[] = [];
    w.writeFrame(tx, 1);
    tx.afterCommit(() => seen.push(readJsonFile(w.paths.a, State)?.frame ?? null));
    expect(seen).toEqual([]);
    tx.commit();
    expect(seen).toEqual([1]);
    directStateStore.afterCommit(() => seen.push(0));
    expect(seen).toEqual([1, 0]);
  });

  it('sweeps temporary files of the record a killed commit left, and nothing else in run/', () => {
    const w = workspace();
    const run = join(w.root, 'run');
    mkdirSync(run, { recursive: true });
    writeFileSync(join(run, '.state.redo.123.4.tmp'), 'half');
    writeFileSync(join(run, '.heartbeat.json.123.5.tmp'), 'other writer');
    StateTransaction.open(w.root);
    expect(readdirSync(run)).toEqual(['.heartbeat.json.123.5.tmp']);
  });
});
