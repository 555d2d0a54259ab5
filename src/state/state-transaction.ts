// A state transaction: services write into it for as many frames as the driver likes; commit makes every
// pending file and journal append land together, through a redo record, so a crash never splits them.
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { z } from 'zod';
import { InvariantError, StateError } from '../core/errors.js';
import { sizeOrZero } from './absent-file.js';
import { sweepTempFiles } from './atomic-file.js';
import { durable } from './durable-io.js';
import { type JournalMark, journalHash, knownJournal, type RunningHash } from './journal.js';
import { parseJsonText, readJsonFile, serializeJson } from './json-file.js';
import { applyRedo, isInsideRelative, type RedoOp, readRedo, writeRedo } from './redo-record.js';
import type { StateStore } from './state-store.js';

/** The workspace's redo record (see StateTransaction), under the root. */
export const STATE_REDO_FILE = 'run/state.redo';

type Pending =
  | { readonly kind: 'remove' }
  | { readonly kind: 'text'; readonly build: () => string; text?: string }
  | {
      readonly kind: 'json';
      readonly schema: z.ZodType;
      readonly build: () => unknown;
      text?: string;
    };

/** What a commit wrote. */
export interface CommitSummary {
  readonly files: number;
  readonly journals: number;
  readonly bytes: number;
}

/**
 * Buffers writes (a StateStore) until `commit()`. Commit: (1) every pending value is built, validated and
 * serialised (a bad value throws before anything is written); (2) one redo record holding all file
 * contents and journal appends is written atomically: this is the commit point; (3) each op is applied to
 * its real path (files atomically, so readers never see half a file); (4) the record is removed. `open()`
 * first applies a record a crash left behind (idempotently): every file is then at the last commit, all
 * services at the same frame. Until a commit, the files hold the previous commit; reads through the
 * transaction see the pending values. One transaction per workspace and process (one writer).
 */
export class StateTransaction implements StateStore {
  private readonly files = new Map<string, Pending>();
  private readonly journals = new Map<string, string[]>();
  private readonly logs = new Map<string, string[]>();
  /** The marks journals will have once the commit being built lands (read by the builders). */
  private committing: Map<string, RunningHash> | null = null;
  private readonly effects: (() => void)[] = [];
  /** rel() of the paths committed so far. */
  private readonly relPaths = new Map<string, string>();
  private readonly recordPath: string;
  /** Set while a written record is not yet fully applied (an I/O error mid-apply leaves it set). */
  private unapplied = false;

  private constructor(
    readonly root: string,
    recordFile: string,
  ) {
    this.recordPath = join(root, recordFile);
  }

  /**
   * The transaction of the workspace at `root`: sweeps temporary files of the record a killed process
   * left, then completes the commit of a leftover record. Throws StateError (STATE_REDO_CORRUPT,
   * STATE_REDO_JOURNAL_SHORT) for a record that cannot be applied; it is then left in place.
   */
  static open(root: string, options: { recordFile?: string } = {}): StateTransaction {
    const tx = new StateTransaction(root, options.recordFile ?? STATE_REDO_FILE);
    sweepTempFiles(dirname(tx.recordPath), tx.recordPath);
    tx.recover();
    return tx;
  }

  /** Files and journals with pending changes. */
  get pending(): number {
    return this.files.size + this.journals.size + this.logs.size;
  }

  writeJson<S extends z.ZodType>(path: string, schema: S, build: () => z.input<S>): void {
    this.files.set(path, { kind: 'json', schema, build });
  }

  writeText(path: string, build: () => string): void {
    this.files.set(path, { kind: 'text', build });
  }

  remove(path: string): void {
    this.files.set(path, { kind: 'remove' });
  }

  append(path: string, entries: readonly unknown[]): void {
    if (entries.length === 0) return;
    const lines = this.journals.get(path) ?? [];
    if (lines.length === 0) this.journals.set(path, lines);
    for (const e of entries) lines.push(`${JSON.stringify(e)}\n`);
  }

  appendLog(path: string, text: string): void {
    const chunks = this.logs.get(path);
    if (chunks) chunks.push(text);
    else this.logs.set(path, [text]);
  }

  journalMark(path: string): JournalMark {
    const committing = this.committing?.get(path);
    if (committing) return committing.mark;
    const lines = this.journals.get(path);
    const hash = journalHash(path);
    return lines ? hash.with(Buffer.from(lines.join(''))).mark : hash.mark;
  }

  afterCommit(effect: () => void): void {
    this.effects.push(effect);
  }

  readJson<S extends z.ZodType>(path: string, schema: S): z.infer<S> | null {
    const p = this.files.get(path);
    if (!p) return readJsonFile(path, schema);
    if (p.kind === 'remove') return null;
    const text = this.textOf(path, p);
    // What a later read of the file returns; validated already when written with this same schema.
    return p.kind === 'json' && p.schema === schema
      ? (JSON.parse(text) as z.infer<S>)
      : parseJsonText(path, text, schema);
  }

  exists(path: string): boolean {
    const p = this.files.get(path);
    return p ? p.kind !== 'remove' : existsSync(path);
  }

  /**
   * Makes every pending write land (see the class doc), then runs the `afterCommit` effects in order.
   * Returns what it wrote, null when nothing was pending. After an I/O error the record stays and the
   * next commit (or open) completes it first.
   */
  commit(): CommitSummary | null {
    if (this.unapplied) this.recover();
    if (this.pending === 0) {
      this.runEffects();
      return null;
    }
    const ops: RedoOp[] = [];
    let bytes = 0;
    const marks = new Map<string, RunningHash>();
    for (const [path, lines] of this.journals) {
      const data = Buffer.from(lines.join(''));
      const before = journalBefore(path);
      ops.push({
        op: 'append',
        path: this.rel(path),
        offset: before.bytes,
        sha256Before: before.mark.sha256,
        data,
      });
      marks.set(path, before.with(data));
      bytes += data.length;
    }
    for (const [path, chunks] of this.logs) {
      const data = Buffer.from(chunks.join(''));
      ops.push({ op: 'log', path: this.rel(path), offset: sizeOrZero(path), data });
      bytes += data.length;
    }
    this.committing = marks;
    try {
      for (const [path, p] of this.files) {
        if (p.kind === 'remove') {
          ops.push({ op: 'remove', path: this.rel(path) });
          continue;
        }
        const data = Buffer.from(this.textOf(path, p));
        ops.push({ op: 'write', path: this.rel(path), data });
        bytes += data.length;
      }
    } finally {
      this.committing = null;
    }
    const summary = { files: this.files.size, journals: this.journals.size, bytes };
    writeRedo(this.recordPath, ops); // the commit point
    this.unapplied = true;
    this.files.clear();
    this.journals.clear();
    this.logs.clear();
    // what this process just recorded needs no check against the files (the recovery of a record does)
    applyRedo(this.root, ops, { source: this.recordPath, verified: true });
    durable.remove(this.recordPath);
    this.unapplied = false;
    this.runEffects();
    return summary;
  }

  /** Drops every pending write and effect (the files stay at the last commit). */
  discard(): void {
    this.files.clear();
    this.journals.clear();
    this.logs.clear();
    this.effects.length = 0;
  }

  private runEffects(): void {
    for (const effect of this.effects.splice(0)) effect();
  }

  /** Completes a written record's commit, if there is one. */
  private recover(): void {
    if (existsSync(this.recordPath)) {
      applyRedo(this.root, readRedo(this.recordPath), { source: this.recordPath });
      durable.remove(this.recordPath);
    }
    this.unapplied = false;
  }

  /** The pending content of a file, built (and validated) once per registration. */
  private textOf(path: string, p: Exclude<Pending, { kind: 'remove' }>): string {
    if (p.text === undefined)
      p.text = p.kind === 'json' ? serializeJson(path, p.schema, p.build()) : p.build();
    return p.text;
  }

  /** The path relative to the root; a path outside the workspace is a bug (InvariantError). */
  private rel(path: string): string {
    const known = this.relPaths.get(path);
    if (known !== undefined) return known;
    const r = relative(this.root, path);
    if (!isInsideRelative(r))
      throw new InvariantError(
        'STATE_PATH_OUTSIDE_WORKSPACE',
        `a commit of ${this.root} cannot write ${path}: every state file is inside the workspace`,
        { path },
      );
    this.relPaths.set(path, r); // the same few files at every commit
    return r;
  }
}

/**
 * The journal as this process last left it, checked against its size on disk: a journal deleted, emptied,
 * cut or appended to since (by something else) is StateError JOURNAL_CHANGED, never continued.
 */
function journalBefore(path: string): RunningHash {
  const known = knownJournal(path);
  if (known === undefined) return journalHash(path);
  const size = sizeOrZero(path);
  if (size !== known.bytes)
    throw new StateError(
      'JOURNAL_CHANGED',
      `${path} ${size === 0 && !existsSync(path) ? 'was deleted' : `holds ${size} bytes`} while this process had it at ${known.bytes} bytes: it was changed outside hybrid-trader during the run; the last commit is intact (restore the journal and run again)`,
      { path, size, expected: known.bytes },
    );
  return known;
}
