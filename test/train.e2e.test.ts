import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sliceMarketData } from '../src/market/market-data.js';
import { generateSyntheticMarket } from '../src/market/synth.js';
import { marketDataHash } from '../src/models/bundle/index.js';
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

  it('--from/--to: the study trains and validates only on that window (dataHash and windows prove it)', () => {
    const root = tmp();
    const r = runCli([
      'train',
      '--study',
      'window',
      '--trials',
      '3',
      '--kind',
      'sma-cross',
      '--data',
      'builtin?seed=5&bars=3000',
      '--from',
      '2024-01-21',
      '--to',
      '2024-03-31T12:00Z',
      '--validation-bars',
      '120',
      '--folds',
      '3',
      '--root',
      root,
      '--json',
    ]);
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    // the built-in market starts 2024-01-01T00:00Z, one bar an hour: the window is bars 480 .. 2171
    const window = sliceMarketData(generateSyntheticMarket({ seed: 5, bars: 3000 }), 480, 2172);
    expect(summary.trainingWindow).toEqual(['2024-01-21T00:00:00.000Z', '2024-03-31T11:00:00.000Z']);
    const storage = openSqliteStudyStorage(`sqlite:///${join(root, 'studies.db')}`);
    const trials = storage.getTrials(storage.findStudy('window')!.studyId, ['COMPLETE']);
    storage.close();
    expect(trials.length).toBeGreaterThan(0);
    for (const t of trials) {
      const manifest = JSON.parse(
        readFileSync(join(root, String(t.userAttrs.model_path), 'manifest.json'), 'utf8'),
      );
      expect(manifest.dataHash).toBe(marketDataHash(window));
      expect(manifest.trainingWindow).toEqual(summary.trainingWindow);
      expect(manifest.validationWindows).toHaveLength(3);
      for (const [from, to] of manifest.validationWindows) {
        expect(from >= '2024-01-21').toBe(true);
        expect(to < '2024-03-31T12:00').toBe(true);
      }
      // the folds are spread over the window, the last one ends at its end
      expect(manifest.validationWindows[2][1]).toBe('2024-03-31T11:00:00.000Z');
      expect(manifest.validationWindows[0][0] < '2024-02-15').toBe(true);
      expect(t.userAttrs.trials_before).toBe(t.number);
      expect(t.userAttrs.deflated_sharpe === null || typeof t.userAttrs.deflated_sharpe === 'number').toBe(
        true,
      );
    }
  }, 60_000);

  it('an empty --from/--to window is refused with its dates', () => {
    const r = runCli(['train', '--study', 'x', '--from', '2030-01-01', '--root', tmp()]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no bars between --from 2030-01-01T00:00:00.000Z and --to the end/);
  });

  it('the same seed gives the same study with 2 workers, whatever their timing', () => {
    const run = () => {
      const root = tmp();
      const r = runCli([
        'train',
        '--study',
        'same',
        '--trials',
        '14',
        '--workers',
        '2',
        '--kind',
        'any',
        '--ppo-steps',
        '512',
        '--seed',
        '4',
        '--root',
        root,
        ...FAST,
      ]);
      expect(r.status, r.stderr).toBe(0);
      const storage = openSqliteStudyStorage(`sqlite:///${join(root, 'studies.db')}`);
      const trials = storage.getTrials(storage.findStudy('same')!.studyId);
      storage.close();
      return trials.map((t) => ({ number: t.number, state: t.state, value: t.value, params: t.params }));
    };
    expect(run()).toEqual(run());
  }, 120_000);

  it('refuses an unknown kind before starting any trial', () => {
    const r = runCli(['train', '--study', 'x', '--kind', 'lstm', '--root', tmp()]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /--kind must be one of sma-cross, momentum, rsi-reversion, ppo, any, was "lstm"/,
    );
  });
});
