import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, trainSmallStudy } from './cli.js';

// The study trains and validates on the first 1,200 bars of this market (to 2024-02-19T23:00Z); the
// longer market holds the same bars, then 300 the models never saw.
const SEEN = ['--data', 'builtin?seed=5&bars=1200'];
const UNSEEN = ['--data', 'builtin?seed=5&bars=1500', '--from', '2024-02-20T00:00:00Z'];
const TRIALS = 3;

let trained: string;
beforeAll(() => {
  trained = mkdtempSync(join(tmpdir(), 'ht-insample-'));
  expect(trainSmallStudy(trained, { study: 'st', trials: TRIALS, kind: 'momentum', seed: 5 }).status).toBe(0);
}, 120_000);

/** A copy of the trained workspace, so each run starts from the same files. */
function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'ht-insample-run-'));
  cpSync(trained, root, { recursive: true });
  return root;
}

const warnings = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('warning: in-sample:'));

describe('the in-sample guard (end to end)', () => {
  it('a replay overlapping the models training window warns in-sample, per model, on stderr and in --json', () => {
    const root = workspace();
    const r = runCli([
      'replay',
      '--study',
      'st',
      ...SEEN,
      '--to',
      '2024-01-10T00:00:00Z',
      '--json',
      '--root',
      root,
    ]);
    expect(r.status).toBe(0);
    const lines = warnings(r.stderr);
    expect(lines).toHaveLength(TRIALS);
    expect(lines[0]).toMatch(
      /^warning: in-sample: trial \d+ of st \(models\/st\/\d+\) was trained or validated on 216 h of this window \(training 2024-01-01T00:00Z\.\.2024-02-19T23:00Z; the same bars\): its figures here are in-sample; out of sample from 2024-02-20T00:00Z$/,
    );
    const [result] = JSON.parse(r.stdout);
    expect(result.models).toBe(TRIALS);
    expect(result.inSample).toHaveLength(TRIALS);
    expect(result.inSample[0]).toMatchObject({ study: 'st', evidence: 'same-bars', bars: 216, hours: 216 });
  }, 60_000);

  it('replay --compare over it refuses without --allow-in-sample (exit 2, nothing run); with it, the table marks it', () => {
    const root = workspace();
    const compare = ['replay', '--study', 'st', ...SEEN, '--compare', 'hybrid,training-only', '--root', root];
    const refused = runCli(compare);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(
      /error \[IN_SAMPLE_COMPARISON\]: replay --compare over 2024-01-01T00:00Z\.\.2024-02-20T00:00Z: 3 of the 3 models were trained or validated on bars of this window .*Replay from 2024-02-20T00:00Z .*--allow-in-sample/,
    );
    expect(existsSync(join(root, 'replay-hybrid'))).toBe(false);

    const report = join(root, 'report.html');
    const allowed = runCli([...compare, '--allow-in-sample', '--report', report]);
    expect(allowed.status).toBe(0);
    expect(warnings(allowed.stderr)).toHaveLength(TRIALS);
    expect(allowed.stdout).toMatch(/in-sample/);
    expect(allowed.stdout).toMatch(/^hybrid .* 3 of 3 models$/m);
    expect(allowed.stdout).toMatch(/^training-only .* 3 of 3 models$/m);
  }, 120_000);

  it('an out-of-sample comparison says nothing, runs, and is marked "no"', () => {
    const root = workspace();
    const r = runCli([
      'replay',
      '--study',
      'st',
      ...UNSEEN,
      '--compare',
      'hybrid,arena-only',
      '--root',
      root,
    ]);
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/in-sample/);
    expect(r.stdout).toMatch(/^hybrid .* no$/m);
  }, 120_000);

  it('backtest of a bundle over its training bars warns, and says so in --json; a builtin never', () => {
    const bundle = join(trained, 'models', 'st', '0');
    const inside = runCli(['backtest', '--model', bundle, ...SEEN, '--json']);
    expect(inside.status).toBe(0);
    expect(warnings(inside.stderr)).toHaveLength(1);
    expect(JSON.parse(inside.stdout).inSample).toMatchObject({
      trialNumber: 0,
      bars: 1200,
      evidence: 'same-bars',
    });
    const outside = runCli(['backtest', '--model', bundle, ...UNSEEN, '--json']);
    expect(outside.status).toBe(0);
    expect(outside.stderr).not.toMatch(/in-sample/);
    expect(JSON.parse(outside.stdout).inSample).toBeNull();
    // other bars over the same dates (another seed): the data hash tells them apart
    const other = runCli(['backtest', '--model', bundle, '--data', 'builtin?seed=6&bars=1200', '--json']);
    expect(JSON.parse(other.stdout).inSample).toBeNull();
    const builtin = runCli(['backtest', '--model', 'builtin:sma-cross', ...SEEN, '--json']);
    expect(builtin.stderr).not.toMatch(/in-sample/);
    expect(JSON.parse(builtin.stdout).inSample).toBeNull();
  }, 60_000);

  it('start on a replay feed over the training bars warns per model', () => {
    const root = workspace();
    const r = runCli(['start', '--study', 'st', ...SEEN, '--from', '2024-02-10T00:00:00Z', '--root', root]);
    expect(r.status).toBe(0);
    expect(warnings(r.stderr)).toHaveLength(TRIALS);
  }, 60_000);
});
