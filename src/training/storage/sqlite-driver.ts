// The better-sqlite3 boundary: a typed view of the driver, opening with WAL/busy_timeout/foreign keys, busy retry.
import { mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { ConfigError, HybridTraderError } from '../../core/errors.js';
import type { Row } from './row-fields.js';

/** Values the driver binds: numbers bind as REAL (INTEGER columns convert integral ones), null as NULL. */
export type BindValue = number | string | null;

/** A prepared statement; prepare once, run many times. */
export interface SqliteStatement {
  run(...params: BindValue[]): { changes: number; lastInsertRowid: number | bigint };
  get(...params: BindValue[]): Row | undefined;
  all(...params: BindValue[]): Row[];
}

/** A function wrapped in BEGIN/COMMIT; `.immediate` takes the write lock at BEGIN (no upgrade deadlock). */
export interface SqliteTransaction<A extends unknown[], R> {
  (...args: A): R;
  immediate(...args: A): R;
}

/** The part of better-sqlite3's Database this module uses (the package ships no type declarations). */
export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): void;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  transaction<A extends unknown[], R>(fn: (...args: A) => R): SqliteTransaction<A, R>;
  close(): void;
  readonly name: string;
}

type DatabaseConstructor = new (filename: string, options?: { timeout?: number }) => SqliteDatabase;

const require = createRequire(import.meta.url);
let driver: DatabaseConstructor | undefined;

function loadDriver(): DatabaseConstructor {
  driver ??= require('better-sqlite3') as DatabaseConstructor;
  return driver;
}

/** Options of {@link openSqlite}. */
export interface SqliteOpenOptions {
  /** How long SQLite itself waits for a lock before SQLITE_BUSY (busy_timeout). Default 10 000 ms. */
  readonly busyTimeoutMs?: number;
}

/**
 * Opens (creating it and its folder if needed) a SQLite file with busy_timeout, WAL journal mode,
 * synchronous=NORMAL and foreign keys on. `:memory:` opens a private in-memory database (no WAL).
 * Throws ConfigError STUDY_STORAGE_OPEN_FAILED naming the path.
 */
export function openSqlite(path: string, options: SqliteOpenOptions = {}): SqliteDatabase {
  const busyTimeoutMs = options.busyTimeoutMs ?? 10_000;
  let db: SqliteDatabase | undefined;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const Database = loadDriver();
    db = new Database(path, { timeout: busyTimeoutMs });
    const opened = db;
    opened.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
    // Switching to WAL needs a moment of exclusive access: retry while another process holds the file.
    withBusyRetry(`enable WAL on ${path}`, () => opened.pragma('journal_mode = WAL'));
    opened.pragma('synchronous = NORMAL');
    opened.pragma('foreign_keys = ON');
    return opened;
  } catch (error) {
    db?.close();
    if (error instanceof HybridTraderError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(
      'STUDY_STORAGE_OPEN_FAILED',
      `cannot open study storage ${path}: ${reason}`,
      { path },
      {
        cause: error,
      },
    );
  }
}

/** Whether an error is SQLite's "database is locked/busy" (any extended code). */
export function isBusyError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread for `ms` (the storage API is synchronous, like the driver). */
function sleepSync(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms);
}

/** Attempts of {@link withBusyRetry}; each already waited busy_timeout inside SQLite. */
export const BUSY_RETRY_ATTEMPTS = 6;

/**
 * Runs `fn` (a whole transaction, so a retry repeats it from the start) and retries it with jittered
 * backoff when SQLite still reports busy after busy_timeout. Gives up with HybridTraderError
 * STUDY_STORAGE_BUSY after {@link BUSY_RETRY_ATTEMPTS} attempts; other errors pass through unchanged.
 */
export function withBusyRetry<T>(what: string, fn: () => T): T {
  for (let attempt = 1; ; attempt++) {
    try {
      return fn();
    } catch (error) {
      if (!isBusyError(error)) throw error;
      if (attempt >= BUSY_RETRY_ATTEMPTS) {
        throw new HybridTraderError(
          'STUDY_STORAGE_BUSY',
          `study storage stayed locked by other processes while trying to ${what} (${attempt} attempts)`,
          { what, attempts: attempt },
          { cause: error },
        );
      }
      sleepSync(Math.min(2000, 25 * 2 ** attempt) * (0.5 + Math.random()));
    }
  }
}

/**
 * Why the SQLite study storage at `path` cannot be used, or null when it can (or does not exist yet: a
 * start creates it). Read-only: opens the file without creating, migrating or locking anything.
 */
export function inspectSqliteFile(path: string): string | null {
  const Database = loadDriver() as unknown as new (
    filename: string,
    options: { readonly: boolean; fileMustExist: boolean },
  ) => SqliteDatabase;
  let db: SqliteDatabase | undefined;
  try {
    if (statSync(path, { throwIfNoEntry: false })?.size === 0) return null; // an empty database: a start fills it
    db = new Database(path, { readonly: true, fileMustExist: true });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
    const names = new Set(tables.map((t) => String(t.name)));
    for (const table of ['studies', 'trials', 'version_info'])
      if (!names.has(table)) return `${path}: not a study storage (no "${table}" table)`;
    return null;
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CANTOPEN') return null; // not there yet
    return `${path}: cannot be read as a study storage (${error instanceof Error ? error.message : String(error)})`;
  } finally {
    db?.close();
  }
}
