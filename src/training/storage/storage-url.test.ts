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

  it('refuses other schemes with a ConfigError naming the URL, password masked', () => {
    const url = 'postgresql://trader:s3cret@db.local:5432/optuna';
    expect(() => parseStorageUrl(url)).toThrow(ConfigError);
    expect(() => parseStorageUrl(url)).toThrow(
      expect.objectContaining({
        code: 'STORAGE_URL_UNSUPPORTED',
        message: expect.stringContaining('postgresql://trader:***@db.local:5432/optuna'),
      }),
    );
    expect(maskStorageUrl(url)).not.toContain('s3cret');
  });

  it.each(['sqlite://', 'sqlite:///', 'sqlite://host/x.db', 'sqlite:///x.db?timeout=5', ''])(
    'refuses %j',
    (url) => {
      expect(() => parseStorageUrl(url)).toThrow(expect.objectContaining({ code: 'STORAGE_URL_INVALID' }));
    },
  );
});
