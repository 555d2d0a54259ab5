import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStudyStorage } from '../src/training/storage/index.js';
import { CLI, runCli } from './cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'ht-train-'));
const FAST = ['--data', 'builtin?bars=1500', '--validation-bars', '120', '--folds', '3'];

function trainAsync(args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'train', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

describe('hybrid-trader train (end to end)', () => {
  it('two processes on one SQLite study, 20 trials each: 40 trials numbered 0..39, no errors', async () => {
    const root = tmp();
    const args = [
      '--study',
      'shared',
      '--trials',
      '20',
      '--workers',
      '2',
      '--kind',
      'sma-cross',
      '--root',
      root,
      ...FAST,
    ];
    const [a, b] = await Promise.all([
      trainAsync([...args, '--seed', '1']),
      trainAsync([...args, '--seed', '2']),
    ]);
    expect(a.stderr).not.toMatch(/locked|error/i);
    expect(b.stderr).not.toMatch(/locked|error/i);
    expect(a.status).toBe(0);
    expect(b.status).toBe(0);
    const storage = openSqliteStudyStorage(`sqlite:///${join(root, 'studies.db')}`);
    const study = storage.findStudy('shared')!;
    const trials = storage.getTrials(study.studyId);
    storage.close();
    expect(trials.map((t) => t.number)).toEqual(Array.from({ length: 40 }, (_, k) => k));
    expect(trials.every((t) => t.state === 'COMPLETE' || t.state === 'PRUNED')).toBe(true);
    for (const t of trials.filter((t) => t.state === 'COMPLETE')) {
      expect(existsSync(join(root, String(t.userAttrs.model_path), 'manifest.json'))).toBe(true);
      expect(t.value).toBeTypeOf('number');
    }
  }, 120_000);

  it('fails a trial that exceeds --timeout-per-trial, records why, and goes on', () => {
    const root = tmp();
    const r = runCli([
      'train',
      '--study',
      'slow',
      '--trials',
      '2',
      '--kind',
      'ppo',
      '--ppo-steps',
      '100000000',
      '--timeout-per-trial',
      '2',
      '--root',
      root,
      '--json',
      ...FAST,
    ]);
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.failed).toBe(2);
    const storage = openSqliteStudyStorage(`sqlite:///${join(root, 'studies.db')}`);
    const trials = storage.getTrials(storage.findStudy('slow')!.studyId);
    storage.close();
    expect(trials.map((t) => t.state)).toEqual(['FAIL', 'FAIL']);
    expect(String(trials[0]!.userAttrs.fail_reason)).toMatch(/timeout: still running after 2 s/);
  }, 60_000);

  it('refuses an unknown kind before starting any trial', () => {
    const r = runCli(['train', '--study', 'x', '--kind', 'lstm', '--root', tmp()]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /--kind must be one of sma-cross, momentum, rsi-reversion, ppo, any, was "lstm"/,
    );
  });
});
