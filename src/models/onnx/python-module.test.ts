// The Python module (python/hybrid_trader): its unit tests, on an export written by `features export`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../../../test/cli.js';
import { PYTHON, PYTHON_PATH, pythonOnnxAvailable } from '../../../test/onnx-fixtures.js';
import { serviceAvailable } from '../../../test/require-service.js';

const ready =
  pythonOnnxAvailable() &&
  serviceAvailable('python3-optuna', () => {
    execFileSync(PYTHON, ['-c', 'import optuna'], { stdio: 'pipe', timeout: 60_000 });
    return true;
  });

describe.skipIf(!ready)('python/hybrid_trader', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'ht-python-module-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('passes its unit tests (bundle writing, refusals, Optuna registration, output mapping)', () => {
    const exported = join(tmp, 'obs.npy');
    const r = runCli([
      'features',
      'export',
      '--data',
      'builtin?bars=300',
      '--features',
      'ret_1,rsi_14',
      '--out',
      exported,
    ]);
    expect(r.status, r.stderr).toBe(0);
    let output = '';
    let status = 0;
    try {
      output = execFileSync(PYTHON, ['-m', 'unittest', '-v', 'test_hybrid_trader'], {
        cwd: join(ROOT, 'test/python'),
        env: { ...process.env, PYTHONPATH: PYTHON_PATH, HT_EXPORT: exported, PYTHONWARNINGS: 'ignore' },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 120_000,
      });
    } catch (error) {
      const e = error as { status: number; stderr: string; stdout: string };
      status = e.status;
      output = `${e.stdout}${e.stderr}`;
    }
    expect(status, output).toBe(0);
  });
});
