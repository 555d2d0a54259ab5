// Commands that do not talk to an exchange, serve HTTP, run a model graph or open a database must not load
// the packages that do: importing ccxt alone costs more than a small backtest.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './cli.js';

const REGISTER = pathToFileURL(join(ROOT, 'test/import-trace/register.mjs')).href;
const HEAVY = [
  'ccxt',
  'onnxruntime-node',
  'pg',
  'better-sqlite3',
  'hono',
  '@hono/node-server',
  'prom-client',
];

/** The packages `hybrid-trader ...args` loaded from its own code, in the order it first loaded them. */
function packagesLoaded(args: readonly string[]): string[] {
  const r = runCli(args, { env: { NODE_OPTIONS: `--import ${REGISTER}` } });
  expect(r.status, r.stderr).toBe(0);
  const names = r.stderr
    .split('\n')
    .filter((l) => l.startsWith('[package] '))
    .map((l) => l.slice('[package] '.length));
  return [...new Set(names)];
}

describe('heavy packages stay off the path of commands that do not need them', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'ht-lazy-imports-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const EXPORT = 'test/fixtures/market/cdd-ADAUSDT-1h-overlap.csv';

  it('sees a heavy package when one is loaded (the trace works)', () => {
    const r = spawnSync(
      process.execPath,
      ['--import', REGISTER, '--input-type=module', '-e', "await import('ccxt')"],
      {
        encoding: 'utf8',
      },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr.split('\n')).toContain('[package] ccxt');
  });

  it.each([
    ['backtest', ['backtest', '--json', '--root', tmp]],
    ['backtest of a file', ['backtest', '--data', EXPORT, '--on-duplicate', 'first', '--root', tmp]],
    ['data check', ['data', 'check', EXPORT, '--on-duplicate', 'last', '--json']],
    ['data synth', ['data', 'synth', '--bars', '50', '--out', join(tmp, 'synth.csv')]],
    [
      'features export',
      [
        'features',
        'export',
        '--data',
        'builtin?bars=300',
        '--features',
        'ret_1',
        '--out',
        join(tmp, 'o.npy'),
      ],
    ],
    ['status', ['status', '--root', tmp]],
  ])('%s loads none of ccxt, onnxruntime-node, pg, better-sqlite3, hono, prom-client', (_name, args) => {
    const seen = packagesLoaded(args);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((p) => HEAVY.includes(p))).toEqual([]);
  });
});
