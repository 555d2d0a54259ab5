// Storage URLs in Optuna's (SQLAlchemy's) form: sqlite:///relative.db, sqlite:////absolute.db, a plain path, or
// postgresql://user:password@host:port/database.
import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../../core/errors.js';

/**
 * Where a study storage lives: a SQLite file (`path` absolute, or `:memory:` for a private in-memory
 * database), or a PostgreSQL database (`url` as the `pg` client reads it, `shown` with the password masked).
 */
export type StorageLocation =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgresql'; readonly url: string; readonly shown: string };

/** The URL with any password (in the user part or a `password=` parameter) replaced by `***`. */
export function maskStorageUrl(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@')
    .replace(/([?&]password=)[^&#]*/gi, '$1***');
}

/** PostgreSQL schemes: libpq's two, and SQLAlchemy's with a driver (`postgresql+psycopg2`), as Optuna users write them. */
const POSTGRES_SCHEME = /^(postgres|postgresql)(\+[a-z0-9_]+)?$/i;

/**
 * Parses a storage URL. `sqlite:///x.db` is relative to `baseDir` (default: the current directory),
 * `sqlite:////abs/x.db` is `/abs/x.db`, `sqlite:///:memory:` is in-memory, and a string without a scheme
 * is a file path. `postgresql://`, `postgres://` and SQLAlchemy's `postgresql+psycopg2://` name a
 * PostgreSQL database (the driver part is dropped; libpq's query parameters such as `sslmode` pass
 * through). Throws ConfigError STORAGE_URL_UNSUPPORTED for other schemes and STORAGE_URL_INVALID for a
 * sqlite URL without a path, with a host or with a query string, or a postgresql URL without a host.
 */
export function parseStorageUrl(url: string, baseDir: string = process.cwd()): StorageLocation {
  const shown = maskStorageUrl(url);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (scheme === null) {
    if (url.trim() === '') throw new ConfigError('STORAGE_URL_INVALID', 'storage URL is empty', { url });
    return { kind: 'sqlite', path: url === ':memory:' ? url : resolve(baseDir, url) };
  }
  if (POSTGRES_SCHEME.test(scheme[1])) return parsePostgresUrl(url, scheme[0].length, shown);
  if (scheme[1].toLowerCase() !== 'sqlite') {
    throw new ConfigError(
      'STORAGE_URL_UNSUPPORTED',
      `storage URL ${shown} is not supported: use sqlite:///relative/path.db, sqlite:////absolute/path.db, a file path, or postgresql://user@host:port/database`,
      { url: shown, scheme: scheme[1] },
    );
  }
  const rest = url.slice(scheme[0].length);
  const invalid = (why: string): ConfigError =>
    new ConfigError('STORAGE_URL_INVALID', `storage URL ${shown} ${why}; expected sqlite:///path.db`, {
      url: shown,
    });
  if (!rest.startsWith('/')) throw invalid('names a host (sqlite URLs have none: three slashes)');
  if (rest.includes('?')) throw invalid('has a query string, which is not supported');
  const path = rest.slice(1);
  if (path === '') throw invalid('has no database path');
  if (path === ':memory:') return { kind: 'sqlite', path };
  return { kind: 'sqlite', path: isAbsolute(path) ? path : resolve(baseDir, path) };
}

function parsePostgresUrl(url: string, schemeLength: number, shown: string): StorageLocation {
  const rest = url.slice(schemeLength);
  const authority = rest.split(/[/?#]/, 1)[0] ?? '';
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  if (host === '' && !/[?&]host=/.test(rest)) {
    throw new ConfigError(
      'STORAGE_URL_INVALID',
      `storage URL ${shown} names no host; expected postgresql://user@host:port/database`,
      { url: shown },
    );
  }
  return { kind: 'postgresql', url: `postgresql://${rest}`, shown };
}
