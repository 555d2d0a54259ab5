// State integrity from the operator's side: nothing changed behind hybrid-trader's back is accepted silently.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, trainSmallStudy } from './cli.js';

const replay = (root: string, extra: string[] = []) =>
  runCli([
    'replay',
    '--study',
    'st',
    '--data',
    'builtin?seed=3&bars=1700',
    '--from',
    '2024-02-20T00:00:00Z',
    '--root',
    root,
    '--json',
    ...extra,
  ]);

// A trained workspace and one replayed to its end, shared by the tests (built once); each test copies one.
let trained = '';
let replayed = '';

beforeAll(() => {
  trained = mkdtempSync(join(tmpdir(), 'ht-integrity-'));
  expect(trainSmallStudy(trained, { study: 'st', trials: 6, kind: 'sma-cross', seed: 3 }).status).toBe(0);
  replayed = mkdtempSync(join(tmpdir(), 'ht-integrity-replayed-'));
  cpSync(trained, replayed, { recursive: true });
  expect(replay(replayed).status).toBe(0);
}, 180_000);

const copy = (from: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'ht-integrity-case-'));
  cpSync(from, dir, { recursive: true });
  return dir;
};

describe('state integrity (end to end)', () => {
  it('a journal deleted, emptied, torn or edited is refused at the next start, naming it; nothing is changed', () => {
    const cases: [string, (text: string) => string | null, RegExp][] = [
      ['paper_trades/trades.jsonl', () => null, /trades\.jsonl is missing \(deleted\)/],
      ['paper_trades/equity.jsonl', () => '', /equity\.jsonl is empty/],
      [
        'paper_trades/trades.jsonl',
        (t) => t.slice(0, -30),
        /trades\.jsonl holds \d+ bytes, the last commit recorded/,
      ],
      ['deployments/history.jsonl', () => '', /history\.jsonl is empty/],
      ['deployments/history.jsonl', (t) => t.slice(0, -10), /history\.jsonl holds \d+ bytes/],
      [
        'deployments/history.jsonl',
        (t) => t.replace('"deploy"', '"skip"  '),
        /history\.jsonl: its first \d+ bytes differ/,
      ],
    ];
    for (const [file, change, message] of cases) {
      const root = copy(replayed);
      const path = join(root, file);
      const changed = change(readFileSync(path, 'utf8'));
      if (changed === null) rmSync(path);
      else writeFileSync(path, changed);
      const r = replay(root);
      expect(r.status, file).toBe(1);
      expect(r.stderr).toMatch(/^error \[JOURNAL_MISMATCH\]: /);
      expect(r.stderr).toMatch(message);
      expect(existsSync(path) ? readFileSync(path, 'utf8') : null).toBe(changed);
    }
  });

  it('a copied workspace uses its own bundles: state files store model paths relative to the workspace', () => {
    const original = copy(trained);
    expect(replay(original, ['--to', '2024-03-01T00:00:00Z']).status).toBe(0);
    const copied = copy(original);
    rmSync(join(original, 'models'), { recursive: true }); // the original's bundles are gone
    expect(replay(copied).status).toBe(0);
    const state = readFileSync(join(copied, 'deployments/deployment_state.json'), 'utf8');
    expect(state).toMatch(/"modelPath": "models\/st\/\d+"/);
    for (const file of ['paper_trades/positions_state.json', 'arena_state/arena_state.json']) {
      const text = readFileSync(join(copied, file), 'utf8');
      expect(text, file).not.toContain(tmpdir());
      expect(text, file).toContain('"modelPath": "models/st/');
    }
    // the same run as one uninterrupted in place
    for (const file of [
      'paper_trades/equity.jsonl',
      'paper_trades/trades.jsonl',
      'deployments/history.jsonl',
    ])
      expect(readFileSync(join(copied, file), 'utf8'), file).toBe(readFileSync(join(replayed, file), 'utf8'));
  });

  it('temporary folders a killed ensemble write left are removed at the next start', () => {
    const root = copy(trained);
    const leftover = join(root, 'models', '_ensembles', '.tmp-0123456789ab');
    mkdirSync(leftover, { recursive: true });
    writeFileSync(join(leftover, 'manifest.json'), '{"half');
    expect(replay(root, ['--to', '2024-02-20T06:00:00Z']).status).toBe(0);
    expect(existsSync(leftover)).toBe(false);
  });
});
