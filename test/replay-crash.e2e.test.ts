import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runCli } from './cli.js';

// A small market and study so that one replay takes a few seconds and many kills fit in the test; the
// replay is long enough (~4,600 bars) for many of its commits (one every 300 frames).
const DATA = 'builtin?seed=7&bars=6000';
const TRAIN = [
  'train',
  '--study',
  'crash',
  '--trials',
  '12',
  '--kind',
  'any',
  '--ppo-steps',
  '2048',
  '--data',
  'builtin?seed=7&bars=1400',
];
const TRAIN_WINDOW = ['--validation-bars', '100', '--folds', '3', '--embargo-bars', '24', '--workers', '2'];
const REPLAY = [
  'replay',
  '--study',
  'crash',
  '--data',
  DATA,
  '--from',
  '2024-02-28T08:00:00Z',
  '--release-every',
  '12',
  // commits every 300 frames, not every 500 ms of work: the replay is now fast enough that time-based
  // commits would land mid-run once or twice only, and the kills must resume from many mid-run commits
  '--commit-every',
  '300',
  '--json',
];

/**
 * Every state file under root (logs excluded: a restart legitimately logs that it restarted; so is the
 * heartbeat, which holds the pid and wall times of the process that wrote it), with the root's own path
 * replaced: the two workspaces live in different folders and state records model paths.
 */
function stateFiles(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const rel = relative(root, path);
      if (rel === 'logs' || rel === join('run', 'heartbeat.json')) continue;
      if (rel.startsWith('models') || rel.startsWith('studies.db')) continue;
      if (statSync(path).isDirectory()) walk(path);
      else out.set(rel, readFileSync(path, 'utf8').replaceAll(root, '<root>'));
    }
  };
  walk(root);
  return out;
}

/** The last frame the workspace's committed state holds (the paper trader's), or null before any. */
function committedBarTs(root: string): number | null {
  const path = join(root, 'paper_trades/positions_state.json');
  if (!existsSync(path)) return null;
  return (JSON.parse(readFileSync(path, 'utf8')) as { lastBarTs: number | null }).lastBarTs;
}

/**
 * Runs a replay in `root` and kills it with SIGKILL: `delayMs` after its start, or, with `afterCommit`,
 * `delayMs` after it first commits a new frame (so the restart resumes from a commit made mid-run).
 * Resolves with the exit code (null when killed).
 */
function runUntilKilled(root: string, delayMs: number, afterCommit = false): Promise<number | null> {
  return new Promise((resolve) => {
    const before = committedBarTs(root);
    const child: ChildProcess = spawn(process.execPath, [CLI, ...REPLAY, '--root', root], {
      stdio: 'ignore',
    });
    let timer = afterCommit ? null : setTimeout(() => child.kill('SIGKILL'), delayMs);
    const poll = afterCommit
      ? setInterval(() => {
          if (timer !== null || committedBarTs(root) === before) return;
          timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
        }, 10)
      : null;
    child.on('close', (code) => {
      if (timer !== null) clearTimeout(timer);
      if (poll !== null) clearInterval(poll);
      resolve(code);
    });
  });
}

/** Runs the replay in `root` to its end (a few tries: a killed commit can leave work for the next run). */
async function finish(root: string): Promise<number | null> {
  let code = await runUntilKilled(root, 10 * 60_000);
  for (let k = 0; code !== 0 && k < 3; k++) code = await runUntilKilled(root, 10 * 60_000);
  return code;
}

function expectSameState(clean: string, crashed: string): void {
  const a = stateFiles(clean);
  const b = stateFiles(crashed);
  expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
  for (const [file, text] of a) expect(b.get(file), file).toBe(text);
  expect(existsSync(join(crashed, 'paper_trades/trades.jsonl'))).toBe(true);
}

describe('replay is exactly-once and crash-safe', () => {
  it('kill -9 at 20+ random moments, restarting each time, ends in the same state as an uninterrupted run', async () => {
    const trained = mkdtempSync(join(tmpdir(), 'ht-crash-'));
    const train = runCli([...TRAIN, ...TRAIN_WINDOW, '--root', trained]);
    expect(train.status).toBe(0);
    const clean = mkdtempSync(join(tmpdir(), 'ht-clean-'));
    cpSync(trained, clean, { recursive: true });
    const started = Date.now();
    const uninterrupted = runCli([...REPLAY, '--root', clean]);
    expect(uninterrupted.status).toBe(0);
    const fullMs = Date.now() - started;

    // seeded delays spread over the run's length (xorshift: no Math.random in tests)
    let s = 12345;
    const random = () => {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      return (s >>> 0) / 4294967296;
    };
    // A replay commits its state every half second of work (and at its end), so kills come in two kinds:
    // short random lifetimes (start-up, recovery, the first frames), and every third one shortly after the
    // run committed a new frame (mid-run, sometimes mid-commit). When the replay ends before 20 kills (it
    // does: each such kill moves it on by a commit), the remaining kills go to a fresh copy, and every
    // series is compared with the clean run.
    let kills = 0;
    const resumedAt = new Set<number>();
    for (let series = 0; kills < 20 && series < 8; series++) {
      const crashed = mkdtempSync(join(tmpdir(), 'ht-killed-'));
      cpSync(trained, crashed, { recursive: true });
      for (let attempt = 0; attempt < 60 && kills < 20; attempt++) {
        const afterCommit = attempt % 3 === 2;
        const delay = afterCommit ? random() * 150 : 250 + random() * Math.max(500, fullMs / 12);
        const code = await runUntilKilled(crashed, delay, afterCommit);
        if (code === 0) break;
        kills++;
        const committed = committedBarTs(crashed);
        if (committed !== null) resumedAt.add(committed);
      }
      expect(await finish(crashed)).toBe(0);
      expectSameState(clean, crashed);
    }
    expect(kills).toBeGreaterThanOrEqual(20);
    // restarts resumed from several commits made in the middle of a run, not only from the start
    expect(resumedAt.size).toBeGreaterThanOrEqual(3);
  }, 600_000);
});
