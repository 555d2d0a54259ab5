#!/usr/bin/env node
// Fingerprints a rule replay and a PPO replay: the sha256 of every state file, journal and log they write.
// Used to prove that a refactoring leaves replays bit-identical: train the studies once (with the old code),
// then replay them with the old and the new code and compare the printed hashes.
//
//   node scripts/replay-fingerprint.mjs --base /tmp/fp-base [--keep]
//
// --base DIR holds the trained studies (created on the first call, reused afterwards, so both versions of
// the code replay the very same trials). Each replay runs in DIR/run-<name> (removed first; kept with
// --keep). The study database and the model bundles are inputs, not outputs: they are not hashed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
const args = process.argv.slice(2);
const baseIdx = args.indexOf('--base');
if (baseIdx < 0 || !args[baseIdx + 1]) {
  console.error('usage: node scripts/replay-fingerprint.mjs --base DIR [--keep]');
  process.exit(2);
}
const base = args[baseIdx + 1];
const keep = args.includes('--keep');

const TRAIN_DATA = 'builtin?seed=11&bars=3000';
const REPLAY_DATA = 'builtin?seed=11&bars=4500';
const REPLAY_FROM = '2024-05-05T00:00:00Z'; // bar 3000 of the built-in market (it starts 2024-01-01)
const CASES = [
  { name: 'rules', study: 'fp-rules', train: ['--kind', 'any', '--trials', '14', '--ppo-steps', '2048'] },
  { name: 'ppo', study: 'fp-ppo', train: ['--kind', 'ppo', '--trials', '5', '--ppo-steps', '2048'] },
];

function cli(argv, cwd) {
  const r = spawnSync(process.execPath, [CLI, ...argv], { cwd, encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(`hybrid-trader ${argv.join(' ')} exited ${r.status}\n${r.stderr}`);
    process.exit(1);
  }
  return r.stdout;
}

function files(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path));
    else out.push(path);
  }
  return out;
}

mkdirSync(base, { recursive: true });
for (const c of CASES) {
  const trained = join(base, `trained-${c.name}`);
  if (!existsSync(join(trained, 'studies.db'))) {
    rmSync(trained, { recursive: true, force: true });
    mkdirSync(trained, { recursive: true });
    cli(
      [
        'train',
        '--study',
        c.study,
        '--workers',
        '1',
        '--seed',
        '3',
        '--data',
        TRAIN_DATA,
        ...c.train,
        '--root',
        trained,
      ],
      trained,
    );
  }
  const run = join(base, `run-${c.name}`);
  rmSync(run, { recursive: true, force: true });
  cpSync(trained, run, { recursive: true });
  cli(
    [
      'replay',
      '--study',
      c.study,
      '--data',
      REPLAY_DATA,
      '--from',
      REPLAY_FROM,
      '--release-every',
      '6',
      '--root',
      run,
    ],
    run,
  );
  const all = createHash('sha256');
  let count = 0;
  for (const path of files(run).sort()) {
    const rel = relative(run, path);
    if (rel.startsWith('models') || rel.startsWith('studies.db') || rel.startsWith('run/')) continue;
    const h = createHash('sha256').update(readFileSync(path)).digest('hex');
    all.update(`${rel} ${h}\n`);
    count++;
    if (args.includes('--verbose')) console.log(`  ${h.slice(0, 16)} ${rel}`);
  }
  console.log(`${c.name}: ${count} files sha256 ${all.digest('hex')}`);
  if (!keep) rmSync(run, { recursive: true, force: true });
}
