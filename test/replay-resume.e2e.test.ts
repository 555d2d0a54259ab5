// A replay stopped part-way and run again reports the same result as one run straight through.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runCli, trainSmallStudy } from './cli.js';

describe('replay resumed after a stop (end to end)', () => {
  it('reports the same return, Sharpe, drawdown and bars as an uninterrupted replay', () => {
    const trained = mkdtempSync(join(tmpdir(), 'ht-resume-'));
    const train = trainSmallStudy(trained, { study: 'rs', trials: 6, kind: 'momentum', seed: 6 });
    expect(train.status, train.stderr).toBe(0);
    const resumed = mkdtempSync(join(tmpdir(), 'ht-resume-a-'));
    const straight = mkdtempSync(join(tmpdir(), 'ht-resume-b-'));
    cpSync(trained, resumed, { recursive: true });
    cpSync(trained, straight, { recursive: true });
    const args = [
      'replay',
      '--study',
      'rs',
      '--data',
      'builtin?seed=6&bars=2000',
      '--from',
      '2024-02-20T00:00:00Z',
      '--json',
    ];
    expect(runCli([...args, '--to', '2024-03-10T00:00:00Z', '--root', resumed]).status).toBe(0);
    const a = runCli([...args, '--root', resumed]);
    const b = runCli([...args, '--root', straight]);
    expect(a.status, a.stderr).toBe(0);
    const pick = (out: string) => {
      const r = JSON.parse(out);
      const one = Array.isArray(r) ? r[0] : (r.results?.[0] ?? r);
      return [one.bars, one.returnPct, one.sharpe, one.maxDrawdownPct, one.finalEquity, one.deployments];
    };
    expect(pick(a.stdout)).toEqual(pick(b.stdout));
  }, 120_000);

  it('a stop signal ends a replay after the current frame with its state committed; the same command resumes', async () => {
    const trained = mkdtempSync(join(tmpdir(), 'ht-stop-'));
    const train = trainSmallStudy(trained, { study: 'st', trials: 6, kind: 'momentum', seed: 6 });
    expect(train.status, train.stderr).toBe(0);
    const stopped = mkdtempSync(join(tmpdir(), 'ht-stop-a-'));
    const straight = mkdtempSync(join(tmpdir(), 'ht-stop-b-'));
    cpSync(trained, stopped, { recursive: true });
    cpSync(trained, straight, { recursive: true });
    // long enough (~20,000 frames) to be still running when the signal comes
    const args = ['replay', '--study', 'st', '--data', 'builtin?seed=6&bars=22000', '--json'];
    const child = spawn(process.execPath, [
      CLI,
      ...args,
      '--from',
      '2024-02-20T00:00:00Z',
      '--root',
      stopped,
    ]);
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    // the lock appears once the frame loop runs (and has registered its signal handlers)
    for (let k = 0; k < 600 && !existsSync(join(stopped, 'run/supervisor.lock')); k++)
      await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGTERM');
    expect(await exited).toBe(1);
    expect(stderr).toMatch(/REPLAY_STOPPED.*run the same command again to resume/);
    expect(existsSync(join(stopped, 'run/supervisor.lock'))).toBe(false);

    const from = ['--from', '2024-02-20T00:00:00Z'];
    const a = runCli([...args, ...from, '--root', stopped]);
    const b = runCli([...args, ...from, '--root', straight]);
    expect(a.status, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout)).toEqual(JSON.parse(b.stdout));
  }, 180_000);
});
