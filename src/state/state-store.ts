// Where services write their state: at once (directStateStore) or into a StateTransaction committed later.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { ensureDir, writeFileAtomicSafeSync } from './atomic-file.js';
import { durable } from './durable-io.js';
import { appendJournal, type JournalMark, journalMark } from './journal.js';
import { readJsonFile, writeJsonFile } from './json-file.js';

/**
 * The writes a service makes for a frame. Values are given as builders: a transaction calls one only at
 * commit (the last registered builder of a file wins), so a builder must read the service's current state
 * and every change of that state must register a write again. Reads see the store's pending writes.
 */
export interface StateStore {
  /** Writes `build()` to `path` as validated JSON (StateError STATE_WRITE_INVALID for a bad value). */
  writeJson<S extends z.ZodType>(path: string, schema: S, build: () => z.input<S>): void;
  /** Writes `build()` to `path` as text (a derived view, e.g. the leaderboard). */
  writeText(path: string, build: () => string): void;
  /** Removes `path` if it exists. */
  remove(path: string): void;
  /** Appends one JSON line per entry to the journal at `path`. */
  append(path: string, entries: readonly unknown[]): void;
  /**
   * What the journal at `path` holds once the pending appends land: its size and sha256. A state file
   * records it, so that a journal changed by anything else is noticed at the next start.
   */
  journalMark(path: string): JournalMark;
  /** Appends text to a log file: with the transaction, it lands with the commit of the frames it describes. */
  appendLog(path: string, text: string): void;
  /** The file's validated content as the store will leave it (pending writes included), or null. */
  readJson<S extends z.ZodType>(path: string, schema: S): z.infer<S> | null;
  /** Whether `path` exists once pending writes and removals are applied. */
  exists(path: string): boolean;
  /**
   * Runs `effect` once the writes registered so far have landed (at once for the direct store): for side
   * effects outside the store that must never be seen before the state recording them.
   */
  afterCommit(effect: () => void): void;
}

/** Writes at once: each file atomically, each append fsynced (per the durability setting). */
export const directStateStore: StateStore = {
  writeJson: (path, schema, build) => writeJsonFile(path, schema, build()),
  writeText: (path, build) => writeFileAtomicSafeSync(path, build()),
  remove: (path) => {
    if (existsSync(path)) durable.remove(path);
  },
  append: (path, entries) => appendJournal(path, entries),
  journalMark: (path) => journalMark(path),
  appendLog: (path, text) => {
    ensureDir(dirname(path));
    const fd = durable.open(path, 'a');
    try {
      durable.write(fd, Buffer.from(text), path);
    } finally {
      durable.close(fd);
    }
  },
  readJson: (path, schema) => readJsonFile(path, schema),
  exists: (path) => existsSync(path),
  afterCommit: (effect) => effect(),
};
