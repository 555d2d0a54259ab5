// scripts/prune-dist.mjs: after an incremental build, dist/ holds outputs of the built sources only (a test
// file or helper excluded later, or a source deleted, would otherwise linger there and ship).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../scripts/prune-dist.mjs', import.meta.url));

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function write(files: readonly string[]): void {
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), '');
  }
}

function filesUnder(path: string): string[] {
  return readdirSync(path, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

describe('prune-dist', () => {
  it('removes outputs of sources no longer built, keeps the built ones and the dashboard', () => {
    dir = mkdtempSync(join(tmpdir(), 'prune-dist-'));
    writeFileSync(
      join(dir, 'tsconfig.build.json'),
      JSON.stringify({
        compilerOptions: { rootDir: '.', outDir: 'dist', sourceMap: true },
        include: ['src'],
        exclude: ['**/*.test.ts', '**/testing/**'],
      }),
    );
    write(['src/a.ts', 'src/a.test.ts', 'src/b/c.ts', 'src/testing/fake.ts']);
    write([
      'dist/.tsbuildinfo',
      'dist/dashboard/app.js',
      'dist/src/a.js',
      'dist/src/a.js.map',
      'dist/src/b/c.js',
      'dist/src/a.test.js', // excluded now
      'dist/src/testing/fake.js', // excluded now
      'dist/src/gone.js', // source deleted
      'dist/src/gone.js.map',
      'dist/test/old.js', // a folder no longer built
    ]);
    const run = spawnSync(process.execPath, [SCRIPT, join(dir, 'tsconfig.build.json')], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(filesUnder(join(dir, 'dist'))).toEqual([
      'dist/.tsbuildinfo',
      'dist/dashboard/app.js',
      'dist/src/a.js',
      'dist/src/a.js.map',
      'dist/src/b/c.js',
    ]);
    // emptied folders go too
    expect(readdirSync(join(dir, 'dist/src')).sort()).toEqual(['a.js', 'a.js.map', 'b']);
    expect(readdirSync(join(dir, 'dist')).sort()).toEqual(['.tsbuildinfo', 'dashboard', 'src']);
  });
});
