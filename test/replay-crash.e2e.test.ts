import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runCli } from './cli.js';

// A small market and study so that one replay takes a few seconds and many kills fit in the test.
const DATA = 'builtin?seed=7&bars=3400';
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
  '--json',
];

/**
 * Every state file under root (logs excluded: a restart legitimately logs that it restarted), with the
 * root's own path replaced: the two workspaces live in different folders and state records model paths.
 */
function stateFiles(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const rel = relative(root, path);
      if (rel === 'logs' || rel.startsWith('models') || rel.startsWith('studies.db')) continue;
      if (statSync(path).isDirectory()) walk(path);
      else out.set(rel, readFileSync(path, 'utf8').replaceAll(root, '<root>'));
    }
  };
  walk(root);
  return out;
}

function runUntilKilled(root: string, delayMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child: ChildProcess = spawn(process.execPath, [CLI, ...REPLAY, '--root', root], {
      stdio: 'ignore',
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe('replay is exactly-once and crash-safe', () => {
  it('kill -9 at 20+ random moments, restarting each time, ends in the same state as an uninterrupted run', async () => {
    const trained = mkdtempSync(join(tmpdir(), 'ht-crash-'));
    const train = runCli([...TRAIN, ...TRAIN_WINDOW, '--root', trained]);
    expect(train.status).toBe(0);
    const clean = mkdtempSync(join(tmpdir(), 'ht-clean-'));
    const crashed = mkdtempSync(join(tmpdir(), 'ht-killed-'));
    cpSync(trained, clean, { recursive: true });
    cpSync(trained, crashed, { recursive: true });
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
    let kills = 0;
    for (let attempt = 0; attempt < 60 && kills < 20; attempt++) {
      // short random lifetimes: some kills land during start-up or recovery, most in the middle of bars
      const code = await runUntilKilled(crashed, 250 + random() * Math.max(500, fullMs / 12));
      if (code === 0) break;
      kills++;
    }
    expect(kills).toBeGreaterThanOrEqual(20);
    let finished = await runUntilKilled(crashed, 10 * 60_000);
    for (let k = 0; finished !== 0 && k < 3; k++) finished = await runUntilKilled(crashed, 10 * 60_000);
    expect(finished).toBe(0);

    const a = stateFiles(clean);
    const b = stateFiles(crashed);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [file, text] of a) expect(b.get(file), file).toBe(text);
    expect(existsSync(join(crashed, 'paper_trades/trades.jsonl'))).toBe(true);
  }, 600_000);
});
