// Configuration and usage errors end with a named error and exit code 2, never a stack trace.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { CLI, runCli } from './cli.js';

const workspace = () => mkdtempSync(join(tmpdir(), 'ht-config-errors-'));

/** A named error on one line, exit code 2, and nothing that looks like a trace. */
function expectConfigError(r: { status: number | null; stderr: string }, code: string, text?: RegExp) {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr).toMatch(new RegExp(`^error \\[${code}\\]: `));
  if (text) expect(r.stderr).toMatch(text);
  expect(r.stderr).not.toMatch(/ZodError|\n\s+at /);
}

describe('configuration errors (end to end)', () => {
  it('train: flags out of range or a study name with a quote are named errors, exit 2', () => {
    const root = workspace();
    const base = ['train', '--trials', '1', '--data', 'builtin?bars=300', '--root', root];
    expectConfigError(
      runCli([...base, '--study', 's', '--workers', '1000']),
      'TRAIN_OPTIONS_INVALID',
      /field "workers": .*<=64 \(was 1000\)/,
    );
    expectConfigError(runCli([...base, '--study', "it's"]), 'TRAIN_OPTIONS_INVALID', /field "study"/);
  });

  it('a truncated or invalid hybrid.config.json is a configuration error (exit 2) for every command', () => {
    const root = workspace();
    const config = join(root, 'hybrid.config.json');
    writeFileSync(config, '{"schemaVersion": 1, "sim": {"feeRate": ');
    for (const args of [['replay', '--study', 'x'], ['start', '--study', 'x'], ['serve']])
      expectConfigError(
        runCli([...args, '--root', root]),
        'CONFIG_FILE_CORRUPT',
        /hybrid\.config\.json: not valid JSON/,
      );
    // a configuration file that cannot be read is not "not valid JSON": its own error, exit 1
    rmSync(config);
    mkdirSync(config);
    const unreadable = runCli(['replay', '--study', 'x', '--root', root]);
    expect(unreadable.status, unreadable.stderr).toBe(1);
    expect(unreadable.stderr).toMatch(
      /^error \[FILE_UNREADABLE\]: .*hybrid\.config\.json: cannot be read \(EISDIR/,
    );
    rmSync(config, { recursive: true });
    writeFileSync(config, JSON.stringify({ schemaVersion: 1, sim: { feeRate: -1, feeRat: 0 } }));
    expectConfigError(
      runCli(['replay', '--study', 'x', '--root', root]),
      'CONFIG_FILE_INVALID',
      /field "sim.feeRate": .*\(was -1\); field "sim.feeRat": unknown key/,
    );
    writeFileSync(config, JSON.stringify({ schemaVersion: 1, trainer: { study: 'a"b' } }));
    expectConfigError(
      runCli(['start', '--study', 'x', '--root', root]),
      'CONFIG_FILE_INVALID',
      /trainer\.study/,
    );
  });

  it('implausible amounts and sizes are named configuration errors, from a flag or the config file', () => {
    const root = workspace();
    expectConfigError(
      runCli(['backtest', '--data', 'builtin?bars=300', '--initial-cash', '1e308', '--root', root]),
      'SIM_CONFIG_INVALID',
      /field "initialCash": .*<=1000000000000 \(was 1e\+308\)/,
    );
    writeFileSync(
      join(root, 'hybrid.config.json'),
      JSON.stringify({ schemaVersion: 1, arena: { maxChallengers: 1_000_000 } }),
    );
    expectConfigError(
      runCli(['replay', '--study', 'x', '--root', root]),
      'CONFIG_FILE_INVALID',
      /field "arena.maxChallengers": .*<=100 \(was 1000000\)/,
    );
  });

  it('serve validates its config section and listens where it says', async () => {
    const root = workspace();
    const config = join(root, 'hybrid.config.json');
    writeFileSync(config, JSON.stringify({ schemaVersion: 1, server: { port: 70_000 } }));
    expectConfigError(runCli(['serve', '--root', root]), 'CONFIG_FILE_INVALID', /field "server.port"/);
    writeFileSync(config, JSON.stringify({ schemaVersion: 1, server: { host: '127.0.0.1', port: 0 } }));
    const child = spawn(process.execPath, [CLI, 'serve', '--root', root], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      // port 0 from the file: any free port, not the default 8787
      expect(line).toMatch(/^serving .* at http:\/\/127\.0\.0\.1:(?!8787\/)\d+\/$/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
