import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, trainSmallStudy } from './cli.js';

// About 7,000 frames: the detached supervisor has work left when the test pauses it.
const RUN = ['--study', 'sv', '--data', 'builtin?seed=5&bars=8000', '--from', '2024-02-20T00:00:00Z'];

describe('start / stop (end to end)', () => {
  it('a second start refuses; stop finishes the bar and exits; a restart resumes to the same end state as replay', async () => {
    const trained = mkdtempSync(join(tmpdir(), 'ht-sv-'));
    const train = trainSmallStudy(trained, { study: 'sv', trials: 8, kind: 'momentum', seed: 5 });
    expect(train.status).toBe(0);
    const supervised = mkdtempSync(join(tmpdir(), 'ht-sv-run-'));
    const replayed = mkdtempSync(join(tmpdir(), 'ht-sv-replay-'));
    cpSync(trained, supervised, { recursive: true });
    cpSync(trained, replayed, { recursive: true });

    const started = runCli(['start', ...RUN, '--root', supervised, '--detach']);
    expect(started.status).toBe(0);
    // --detach returns once the background supervisor has applied its first frame
    expect(started.stdout).toMatch(
      /started supervisor \d+ for .*: applied its first frame \(2024-02-20T00:00:00.000Z\)/,
    );
    for (let k = 0; k < 100 && !existsSync(join(supervised, 'run/supervisor.lock')); k++)
      await new Promise((r) => setTimeout(r, 50));
    // Paused while the other commands try the workspace, so that on a loaded machine it cannot finish its
    // frames (and release the lock) before they come; it holds the lock all the same.
    const pid = Number(/started supervisor (\d+)/.exec(started.stdout)![1]);
    process.kill(pid, 'SIGSTOP');
    const second = runCli(['start', ...RUN, '--root', supervised]);
    expect(second.status).toBe(2);
    expect(second.stderr).toContain(`is already run by process ${pid}; stop it first`);
    // A replay into the same workspace is refused the same way: one frame loop per workspace.
    const replay = runCli(['replay', ...RUN, '--root', supervised]);
    expect(replay.status).toBe(2);
    expect(replay.stderr).toMatch(/WORKSPACE_LOCKED.*is already run by process \d+; stop it first/);
    process.kill(pid, 'SIGCONT');
    const stopped = runCli(['stop', '--root', supervised]);
    expect(stopped.status).toBe(0);
    expect(runCli(['stop', '--root', supervised]).stdout).toMatch(/no supervisor is running/);

    const resumed = runCli(['start', ...RUN, '--root', supervised]);
    expect(resumed.status).toBe(0);
    expect(runCli(['replay', ...RUN, '--root', replayed, '--json']).status).toBe(0);
    for (const file of [
      'paper_trades/positions_state.json',
      'paper_trades/trades.jsonl',
      'deployments/history.jsonl',
    ]) {
      const a = readFileSync(join(supervised, file), 'utf8').replaceAll(supervised, '<root>');
      const b = readFileSync(join(replayed, file), 'utf8').replaceAll(replayed, '<root>');
      expect(a, file).toBe(b);
    }
  }, 180_000);

  it('start --detach that fails at once says so and exits non-zero, never "started"', () => {
    const root = mkdtempSync(join(tmpdir(), 'ht-sv-fail-'));
    const r = runCli(['start', '--study', 'nope', '--data', 'builtin?bars=300', '--root', root, '--detach']);
    expect(r.status).toBe(2);
    expect(r.stdout).not.toMatch(/started/);
    expect(r.stderr).toMatch(
      /^supervisor \d+ for .* failed before its first frame: error \[NO_TRIALS\]: studies nope/,
    );
    expect(existsSync(join(root, 'run/supervisor.lock'))).toBe(false);
  });
});
