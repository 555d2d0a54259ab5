// A state transaction: services write into it for as many frames as the driver likes; commit makes every
// pending file and journal append land together, through a redo record, so a crash never splits them.
import { existsSync, rmSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { z } from 'zod';
import { sweepTempFiles } from './atomic-file.js';
import { parseJsonText, readJsonFile, serializeJson } from './json-file.js';
import { applyRedo, type RedoOp, readRedo, writeRedo } from './redo-record.js';
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
  private readonly effects: (() => void)[] = [];
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
    return this.files.size + this.journals.size;
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
    for (const [path, lines] of this.journals) {
      const data = Buffer.from(lines.join(''));
      ops.push({ op: 'append', path: this.rel(path), offset: sizeOf(path), data });
      bytes += data.length;
    }
    for (const [path, p] of this.files) {
      if (p.kind === 'remove') {
        ops.push({ op: 'remove', path: this.rel(path) });
        continue;
      }
      const data = Buffer.from(this.textOf(path, p));
      ops.push({ op: 'write', path: this.rel(path), data });
      bytes += data.length;
    }
    const summary = { files: this.files.size, journals: this.journals.size, bytes };
    writeRedo(this.recordPath, ops); // the commit point
    this.unapplied = true;
    this.files.clear();
    this.journals.clear();
    applyRedo(this.root, ops);
    rmSync(this.recordPath, { force: true });
    this.unapplied = false;
    this.runEffects();
    return summary;
  }

  /** Drops every pending write and effect (the files stay at the last commit). */
  discard(): void {
    this.files.clear();
    this.journals.clear();
    this.effects.length = 0;
  }

  private runEffects(): void {
    for (const effect of this.effects.splice(0)) effect();
  }

  /** Completes a written record's commit, if there is one. */
  private recover(): void {
    if (existsSync(this.recordPath)) {
      applyRedo(this.root, readRedo(this.recordPath));
      rmSync(this.recordPath, { force: true });
    }
    this.unapplied = false;
  }

  /** The pending content of a file, built (and validated) once per registration. */
  private textOf(path: string, p: Exclude<Pending, { kind: 'remove' }>): string {
    if (p.text === undefined)
      p.text = p.kind === 'json' ? serializeJson(path, p.schema, p.build()) : p.build();
    return p.text;
  }

  private rel(path: string): string {
    const r = relative(this.root, path);
    return r === '..' || r.startsWith(`..${sep}`) || isAbsolute(r) ? path : r;
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}
