// A raw connection to a SQLite study file, for tests: what another process or a hand edit would see and do.
import { createRequire } from 'node:module';
import type { SqliteDatabase } from '../storage/sqlite-driver.js';

const Database = createRequire(import.meta.url)('better-sqlite3') as new (path: string) => SqliteDatabase;

/** Opens the file at `path` (creating it if missing) for `fn` alone, then closes it. */
export function withSqliteConnection<T>(path: string, fn: (db: SqliteDatabase) => T): T {
  const db = new Database(path);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
