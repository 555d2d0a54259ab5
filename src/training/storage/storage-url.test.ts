import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { maskStorageUrl, parseStorageUrl } from './storage-url.js';

describe('parseStorageUrl', () => {
  it('reads Optuna URL forms: three slashes relative, four absolute, and plain paths', () => {
    expect(parseStorageUrl('sqlite:///studies.db', '/ws')).toEqual({
      kind: 'sqlite',
      path: '/ws/studies.db',
    });
    expect(parseStorageUrl('sqlite:///sub/x.db', '/ws')).toEqual({ kind: 'sqlite', path: '/ws/sub/x.db' });
    expect(parseStorageUrl('sqlite:////abs/x.db', '/ws')).toEqual({ kind: 'sqlite', path: '/abs/x.db' });
    expect(parseStorageUrl('studies.db', '/ws')).toEqual({ kind: 'sqlite', path: '/ws/studies.db' });
    expect(parseStorageUrl('/tmp/y.db', '/ws')).toEqual({ kind: 'sqlite', path: '/tmp/y.db' });
    expect(parseStorageUrl('sqlite:///:memory:', '/ws')).toEqual({ kind: 'sqlite', path: ':memory:' });
  });

  it('reads PostgreSQL URLs in libpq and SQLAlchemy forms, keeping a masked copy for messages', () => {
    const url = 'postgresql://trader:s3cret@db.local:5432/optuna?sslmode=require';
    expect(parseStorageUrl(url)).toEqual({
      kind: 'postgresql',
      url,
      shown: 'postgresql://trader:***@db.local:5432/optuna?sslmode=require',
    });
    expect(parseStorageUrl('postgresql+psycopg2://u@h/db')).toMatchObject({ url: 'postgresql://u@h/db' });
    expect(parseStorageUrl('postgres://u@h/db')).toMatchObject({ url: 'postgresql://u@h/db' });
    expect(parseStorageUrl('postgresql:///db?host=/run/postgresql')).toMatchObject({ kind: 'postgresql' });
    expect(() => parseStorageUrl('postgresql:///db')).toThrow(
      expect.objectContaining({ code: 'STORAGE_URL_INVALID', message: expect.stringContaining('no host') }),
    );
  });

  it('refuses other schemes with a ConfigError naming the URL, password masked', () => {
    const url = 'mysql://trader:s3cret@db.local:3306/optuna';
    expect(() => parseStorageUrl(url)).toThrow(ConfigError);
    expect(() => parseStorageUrl(url)).toThrow(
      expect.objectContaining({
        code: 'STORAGE_URL_UNSUPPORTED',
        message: expect.stringContaining('mysql://trader:***@db.local:3306/optuna'),
      }),
    );
    expect(maskStorageUrl(url)).not.toContain('s3cret');
    expect(maskStorageUrl('postgresql://h/db?user=u&password=s3cret&x=1')).toBe(
      'postgresql://h/db?user=u&password=***&x=1',
    );
  });

  it.each(['sqlite://', 'sqlite:///', 'sqlite://host/x.db', 'sqlite:///x.db?timeout=5', ''])(
    'refuses %j',
    (url) => {
      expect(() => parseStorageUrl(url)).toThrow(expect.objectContaining({ code: 'STORAGE_URL_INVALID' }));
    },
  );
});
