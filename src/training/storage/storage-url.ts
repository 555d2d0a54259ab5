// Storage URLs in Optuna's (SQLAlchemy's) form: sqlite:///relative.db, sqlite:////absolute.db, or a plain path.
import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../../core/errors.js';

/** Where a study storage lives. `path` is absolute, or `:memory:` for a private in-memory database. */
export interface StorageLocation {
  readonly kind: 'sqlite';
  readonly path: string;
}

/** The URL with any password replaced by `***`, for messages and logs. */
export function maskStorageUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}

/**
 * Parses a storage URL. `sqlite:///x.db` is relative to `baseDir` (default: the current directory),
 * `sqlite:////abs/x.db` is `/abs/x.db`, `sqlite:///:memory:` is in-memory, and a string without a scheme
 * is a file path. Throws ConfigError STORAGE_URL_UNSUPPORTED for other schemes (postgresql:// comes
 * later) and STORAGE_URL_INVALID for a sqlite URL without a path, with a host or with a query string.
 */
export function parseStorageUrl(url: string, baseDir: string = process.cwd()): StorageLocation {
  const shown = maskStorageUrl(url);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (scheme === null) {
    if (url.trim() === '') throw new ConfigError('STORAGE_URL_INVALID', 'storage URL is empty', { url });
    return { kind: 'sqlite', path: url === ':memory:' ? url : resolve(baseDir, url) };
  }
  if (scheme[1].toLowerCase() !== 'sqlite') {
    throw new ConfigError(
      'STORAGE_URL_UNSUPPORTED',
      `storage URL ${shown} is not supported: use sqlite:///relative/path.db, sqlite:////absolute/path.db or a file path`,
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
