import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assetPath } from './static.js';

describe('assetPath', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ht-static-'));
  writeFileSync(join(dir, 'app.js'), '');
  writeFileSync(join(dir, 'uPlot.min.css'), '');
  writeFileSync(join(dir, 'readme.txt'), '');
  mkdirSync(join(dir, 'sub.js'));
  symlinkSync('/etc/hostname', join(dir, 'link.css'));

  it('resolves plain names of whitelisted kinds inside the folder', () => {
    expect(assetPath(dir, 'app.js')).toBe(join(dir, 'app.js'));
    expect(assetPath(dir, 'uPlot.min.css')).toBe(join(dir, 'uPlot.min.css'));
  });

  it('refuses traversal, hidden files, other kinds, folders, links and missing files', () => {
    for (const name of [
      '../app.js',
      '..',
      '..%2Fapp.js',
      'a/../app.js',
      '/etc/passwd.js',
      '.app.js',
      'a..js',
      'app.js\u0000.css',
      'readme.txt',
      'sub.js',
      'link.css',
      'missing.js',
      'x'.repeat(200),
      '',
    ])
      expect(assetPath(dir, name), name).toBeNull();
  });
});
