// What `npm pack` puts in the package: the CLI's code, the dashboard and the docs; never tests, test
// helpers, the benchmarks or the compiler's incremental state.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHIPPED = [
  /^dist\/src\//,
  /^dist\/dashboard\//,
  /^docs\/[^/]+\.md$/,
  /^(README\.md|package\.json|LICENSE)$/,
];
const TEST_CODE = [/\.test\.(js|d\.ts)/, /(^|\/)testing\//, /test-fixtures\./, /reference-indicators\./];

describe('the npm package', () => {
  it('holds only dist/src, dist/dashboard, docs and the package files, and no test code', () => {
    // --ignore-scripts: list what dist/ holds now (the suite's setup built it), without building again
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const files = (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    expect(files).toContain('dist/src/cli/main.js');
    expect(files).toContain('dist/dashboard/index.html');
    expect(files.filter((f) => !SHIPPED.some((p) => p.test(f)))).toEqual([]);
    expect(files.filter((f) => TEST_CODE.some((p) => p.test(f)))).toEqual([]);
  });
});
