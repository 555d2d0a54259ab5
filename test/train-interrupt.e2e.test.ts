import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStudyStorage } from '../src/training/storage/index.js';
import type { FrozenTrial } from '../src/training/trial.js';
import { CLI } from './cli.js';

const FAST = ['--data', 'builtin?bars=1500', '--validation-bars', '120', '--folds', '3'];

function start(root: string, ppoSteps: number): { child: ChildProcess; exit: Promise<number | null> } {
  const child = spawn(
    process.execPath,
    [
      CLI,
      'train',
      '--study',
      's',
      '--trials',
      '10',
      '--kind',
      'ppo',
      '--ppo-steps',
      String(ppoSteps),
      '--root',
      root,
      ...FAST,
    ],
    { stdio: 'ignore' },
  );
  return { child, exit: new Promise((resolve) => child.on('close', (code) => resolve(code))) };
}

function trials(root: string): FrozenTrial[] {
  const storage = openSqliteStudyStorage(`sqlite:///${join(root, 'studies.db')}`);
  try {
    const study = storage.findStudy('s');
    return study ? storage.getTrials(study.studyId) : [];
  } finally {
    storage.close();
  }
}

async function waitForRunningTrial(root: string): Promise<void> {
  for (let k = 0; k < 300; k++) {
    try {
      if (trials(root).some((t) => t.state === 'RUNNING')) return;
    } catch {
      // the database may not exist yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no trial started within 30 s');
}

describe('train: Ctrl-C', () => {
  it('the first Ctrl-C starts no new trial and lets the running one finish and be recorded', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ht-int-'));
    const { child, exit } = start(root, 6000);
    await waitForRunningTrial(root);
    child.kill('SIGINT');
    expect(await exit).toBe(130);
    const all = trials(root);
    expect(all.length).toBeGreaterThan(0);
    expect(all.length).toBeLessThan(10);
    expect(all.every((t) => t.state === 'COMPLETE' || t.state === 'PRUNED')).toBe(true);
  }, 90_000);

  it('a second Ctrl-C fails the running trial with the reason and exits', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ht-int-'));
    const { child, exit } = start(root, 100_000_000);
    await waitForRunningTrial(root);
    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    expect(await exit).toBe(130);
    const all = trials(root);
    expect(all).toHaveLength(1);
    expect(all[0]!.state).toBe('FAIL');
    expect(all[0]!.userAttrs.fail_reason).toBe('interrupted');
  }, 90_000);
});
