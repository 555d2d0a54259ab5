// One writer per workspace: every command that writes a workspace's state refuses with WORKSPACE_LOCKED
// while another process holds its lock, and writes nothing; `train` (trials and new bundles only) may run beside.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, trainSmallStudy } from './cli.js';

/** Every file under `root` with the sha256 of its content: proof that nothing was written. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.set(relative(root, path), createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(root);
  return out;
}

const FEED = ['--data', 'builtin?seed=3&bars=1400', '--from', '2024-02-20T00:00:00Z'];

let trained = '';
/** A live process standing in for the writer that holds the lock (a running start, say). */
let holder: ChildProcess;

beforeAll(() => {
  trained = mkdtempSync(join(tmpdir(), 'ht-lock-'));
  expect(trainSmallStudy(trained, { study: 'st', trials: 4, kind: 'sma-cross', seed: 3 }).status).toBe(0);
  holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 600000)'], { stdio: 'ignore' });
}, 120_000);

afterAll(() => {
  holder.kill('SIGKILL');
});

/** A copy of the trained workspace whose lock the holder process holds. */
function lockedWorkspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'ht-lock-case-'));
  cpSync(trained, root, { recursive: true });
  mkdirSync(join(root, 'run'), { recursive: true });
  writeFileSync(join(root, 'run', 'supervisor.lock'), `${holder.pid}\n`);
  return root;
}

function expectRefused(root: string, args: readonly string[]): void {
  const before = snapshot(root);
  const r = runCli([...args, '--root', root]);
  const what = args.join(' ');
  expect(r.status, `${what}: ${r.stderr}`).toBe(2);
  expect(r.stderr, what).toMatch(
    /^error \[WORKSPACE_LOCKED\]: .* is already run by process \d+; stop it first/,
  );
  expect(snapshot(root), what).toEqual(before);
}

describe('one writer per workspace (end to end)', () => {
  it('every command that writes a workspace refuses while another process holds its lock, and writes nothing', () => {
    const commands: string[][] = [
      ['start', '--study', 'st', ...FEED],
      ['start', '--study', 'st', '--detach', ...FEED],
      ['replay', '--study', 'st', ...FEED],
      ['replay', '--study', 'st', '--compare', 'hybrid,ensemble', ...FEED],
      ['paper', ...FEED],
      ['arena', 'run', ...FEED],
      ['deployer', '--study', 'st', ...FEED],
      ['deployer', '--once', '--study', 'st', ...FEED],
      ['init'],
    ];
    for (const args of commands) expectRefused(lockedWorkspace(), args);
  }, 180_000);

  it('demo refuses a demo folder (or one of its mode folders) another process runs, and deletes nothing', () => {
    for (const locked of ['.', 'hybrid']) {
      const root = mkdtempSync(join(tmpdir(), 'ht-lock-demo-'));
      writeFileSync(join(root, '.hybrid-trader-demo'), 'created by hybrid-trader demo\n');
      mkdirSync(join(root, locked, 'run'), { recursive: true });
      writeFileSync(join(root, locked, 'run', 'supervisor.lock'), `${holder.pid}\n`);
      expectRefused(root, ['demo', '--trials', '1']);
    }
  });

  it('train adds trials and bundles beside a running loop (a study storage takes several writers)', () => {
    const root = lockedWorkspace();
    const before = readdirSync(join(root, 'models', 'st')).length;
    expect(trainSmallStudy(root, { study: 'st', trials: 1, kind: 'sma-cross', seed: 4 }).status).toBe(0);
    expect(readdirSync(join(root, 'models', 'st')).length).toBe(before + 1);
  });
});
