// State integrity from the operator's side: nothing changed behind hybrid-trader's back is accepted silently.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeRedo } from '../src/state/redo-record.js';
import { runCli, trainSmallStudy } from './cli.js';

/** Replaces line `k` (0-based) of a journal by `text`. */
function editLines(path: string, k: number, text: string): void {
  const lines = readFileSync(path, 'utf8').split('\n');
  lines[k] = text;
  writeFileSync(path, lines.join('\n'));
}

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
/** Replayed to 2024-03-01 only: the rest of the window is still to come. */
let partial = '';

beforeAll(() => {
  trained = mkdtempSync(join(tmpdir(), 'ht-integrity-'));
  expect(trainSmallStudy(trained, { study: 'st', trials: 6, kind: 'sma-cross', seed: 3 }).status).toBe(0);
  replayed = mkdtempSync(join(tmpdir(), 'ht-integrity-replayed-'));
  cpSync(trained, replayed, { recursive: true });
  expect(replay(replayed).status).toBe(0);
  partial = mkdtempSync(join(tmpdir(), 'ht-integrity-partial-'));
  cpSync(trained, partial, { recursive: true });
  expect(replay(partial, ['--to', '2024-03-01T00:00:00Z']).status).toBe(0);
}, 240_000);

interface StatusJson {
  problems: { file: string; code: string; error: string; severity: 'error' | 'warning' }[];
  deployed: { modelId: string } | null;
}

function status(root: string): { code: number | null; json: StatusJson } {
  const r = runCli(['status', '--root', root, '--json']);
  return { code: r.status, json: JSON.parse(r.stdout) as StatusJson };
}

const codes = (s: StatusJson) => s.problems.map((p) => p.code);

const copy = (from: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'ht-integrity-case-'));
  cpSync(from, dir, { recursive: true });
  return dir;
};

describe('state integrity (end to end)', () => {
  it('status runs every check a start runs: each case a start refuses, status names, exiting non-zero', () => {
    const record = (root: string) => join(root, 'run', 'state.redo');
    const cases: [string, (root: string) => void, string, number][] = [
      [
        'a half-written redo record',
        (root) => {
          const full = encodeRedo([{ op: 'write', path: 'arena_state/x.json', data: Buffer.from('{}\n') }]);
          mkdirSync(join(root, 'run'), { recursive: true });
          writeFileSync(record(root), full.subarray(0, full.length - 2));
        },
        'STATE_REDO_CORRUPT',
        1,
      ],
      ['a garbage redo record', (root) => writeFileSync(record(root), 'garbage\n'), 'STATE_REDO_CORRUPT', 1],
      [
        'a redo record whose journal is too short',
        (root) =>
          writeFileSync(
            record(root),
            encodeRedo([
              {
                op: 'append',
                path: 'paper_trades/equity.jsonl',
                offset: 10_000_000,
                data: Buffer.from('{}\n'),
              },
            ]),
          ),
        'STATE_REDO_JOURNAL_SHORT',
        1,
      ],
      [
        'a garbage line in the middle of history.jsonl',
        (root) => editLines(join(root, 'deployments/history.jsonl'), 1, 'garbage'),
        'JOURNAL_MISMATCH',
        1,
      ],
      [
        'a garbage line in the middle of trades.jsonl',
        (root) => editLines(join(root, 'paper_trades/trades.jsonl'), 2, '{"not": "a fill"}'),
        'JOURNAL_MISMATCH',
        1,
      ],
      [
        'a torn equity.jsonl',
        (root) => {
          const path = join(root, 'paper_trades/equity.jsonl');
          writeFileSync(path, readFileSync(path, 'utf8').slice(0, -7));
        },
        'JOURNAL_MISMATCH',
        1,
      ],
      [
        'a deleted equity.jsonl',
        (root) => rmSync(join(root, 'paper_trades/equity.jsonl')),
        'JOURNAL_MISMATCH',
        1,
      ],
      [
        'lastBarTs moved into the future',
        (root) => {
          const path = join(root, 'paper_trades/positions_state.json');
          const state = JSON.parse(readFileSync(path, 'utf8'));
          state.lastBarTs = Date.UTC(2031, 0, 1);
          state.portfolio.lastTs = state.lastBarTs;
          writeFileSync(path, JSON.stringify(state));
        },
        'PAPER_EQUITY_JOURNAL_INVALID',
        1,
      ],
      [
        'a truncated hybrid.config.json',
        (root) => writeFileSync(join(root, 'hybrid.config.json'), '{"schemaVersion": 1, "sim": {'),
        'CONFIG_FILE_CORRUPT',
        2,
      ],
      [
        'a garbage studies.db',
        (root) => writeFileSync(join(root, 'studies.db'), 'x'.repeat(4096)),
        'STUDY_STORAGE_INVALID',
        1,
      ],
      [
        'deployment_state.json naming a model that does not exist',
        (root) => {
          const path = join(root, 'deployments/deployment_state.json');
          const state = JSON.parse(readFileSync(path, 'utf8'));
          state.current.modelId = 'st/999';
          writeFileSync(path, JSON.stringify(state));
        },
        'DEPLOYMENT_MISMATCH',
        1,
      ],
      [
        "an arena member's modelId renamed",
        (root) => {
          const path = join(root, 'arena_state/arena_state.json');
          const state = JSON.parse(readFileSync(path, 'utf8'));
          const member = state.models.find((m: { status: string }) => m.status === 'evaluating');
          member.modelId = `${member.modelId}0`;
          writeFileSync(path, JSON.stringify(state));
        },
        'MODEL_REF_MISMATCH',
        1,
      ],
    ];
    expect(status(replayed)).toMatchObject({ code: 0, json: { problems: [] } });
    for (const [what, breakIt, code, exit] of cases) {
      const root = copy(replayed);
      breakIt(root);
      const s = status(root);
      expect(codes(s.json), what).toContain(code);
      expect(s.code, what).toBe(exit);
      const problem = s.json.problems.find((p) => p.code === code)!;
      expect(problem.severity, what).toBe('error');
      const start = replay(root);
      expect(start.status, what).not.toBe(0);
      expect(start.stderr, what).toMatch(/^error \[[A-Z_]+\]: /);
      expect(start.stderr, what).toMatch(code === 'STUDY_STORAGE_INVALID' ? /studies\.db/ : new RegExp(code));
    }
    const missing = runCli(['status', '--root', join(tmpdir(), 'ht-integrity-no-such-folder'), '--json']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^error \[WORKSPACE_MISSING\]/);
  });

  it('a deployed model that cannot be loaded: the trader holds and says so every bar, in status and the state file', () => {
    for (const breakBundle of [
      (dir: string) => rmSync(dir, { recursive: true }),
      (dir: string) => writeFileSync(join(dir, 'manifest.json'), '{"garbage'),
    ]) {
      const root = copy(partial);
      const deployed = JSON.parse(
        readFileSync(join(root, 'deployments/deployment_state.json'), 'utf8'),
      ).current;
      breakBundle(join(root, deployed.modelPath));
      const before = status(root);
      expect(before.code).toBe(1);
      expect(before.json.problems).toContainEqual(
        expect.objectContaining({ code: 'MODEL_UNAVAILABLE', severity: 'warning' }),
      );
      const positions = JSON.parse(readFileSync(join(root, 'paper_trades/positions_state.json'), 'utf8'));
      // the replay goes on (exit 0): the paper trader holds, never trading, until a loadable model comes
      expect(replay(root).status).toBe(0);
      const after = JSON.parse(readFileSync(join(root, 'paper_trades/positions_state.json'), 'utf8'));
      if (after.modelId === deployed.modelId) {
        expect(after.modelError.sinceBarTs).toBe(Date.UTC(2024, 2, 1));
        expect(after.positions.map((p: { quantity: number }) => p.quantity)).toEqual(
          positions.positions.map((p: { quantity: number }) => p.quantity),
        );
        expect(status(root).json.problems).toContainEqual(
          expect.objectContaining({
            code: 'MODEL_UNAVAILABLE',
            error: expect.stringContaining('2024-03-01T00:00:00.000Z'),
          }),
        );
      }
      const log = readFileSync(join(root, 'logs', 'paper_trading_auto_2024-03-01.log'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .filter((l) => l.msg === 'deployed model cannot be loaded; holding positions');
      // dated at the bars where it happened: one line per bar of that day, each with its bar
      expect(log.map((l) => l.barTs)).toEqual(log.map((_, k) => Date.UTC(2024, 2, 1, k)));
      expect(log).toHaveLength(24);
    }
  });

  it('a bundle changed after its model entered (a hand-edited manifest) is refused by name: the trader holds, the member leaves', () => {
    const root = copy(partial);
    const deployed = JSON.parse(
      readFileSync(join(root, 'deployments/deployment_state.json'), 'utf8'),
    ).current;
    // recorded when the model entered, in every file that names it
    expect(deployed.bundleSha256).toMatch(/^[0-9a-f]{64}$/);
    const paper = JSON.parse(readFileSync(join(root, 'paper_trades/positions_state.json'), 'utf8'));
    expect(paper.model.bundleSha256).toBe(deployed.bundleSha256);
    const members = JSON.parse(readFileSync(join(root, 'arena_state/arena_state.json'), 'utf8')).models;
    for (const m of members) expect(m.bundleSha256, m.modelId).toMatch(/^[0-9a-f]{64}$/);
    // a rule's parameter edited by hand: valid, loadable, and it would trade differently
    const manifestPath = join(root, deployed.modelPath, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.params.fast = manifest.params.fast === 3 ? 4 : 3;
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
    const before = status(root);
    expect(before.code).toBe(1);
    const changed = before.json.problems.filter((p) => p.code === 'BUNDLE_CHANGED');
    expect(changed.map((p) => p.file).sort()).toEqual(
      [join(root, 'arena_state/arena_state.json'), join(root, 'paper_trades/positions_state.json')].sort(),
    );
    for (const p of changed) {
      expect(p.severity).toBe('warning');
      expect(p.error).toContain(`${deployed.modelId}: its bundle ${deployed.modelPath} changed`);
    }
    expect(replay(root, ['--to', '2024-03-01T06:00:00Z']).status).toBe(0);
    const after = JSON.parse(readFileSync(join(root, 'paper_trades/positions_state.json'), 'utf8'));
    if (after.modelId === deployed.modelId) {
      expect(after.modelError.message).toMatch(/changed after the model entered the deployment/);
      const quantities = (s: { positions: { quantity: number }[] }) => s.positions.map((p) => p.quantity);
      expect(quantities(after)).toEqual(quantities(paper));
    }
    const shadow = JSON.parse(readFileSync(join(root, 'arena_state/arena_state.json'), 'utf8')).models.find(
      (m: { modelId: string; status: string }) => m.modelId === deployed.modelId && m.status === 'removed',
    );
    expect(shadow.reason).toMatch(/changed after the model entered the deployment or the arena/);
  });

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

  it("a comparison's mode folders trade the workspace's bundles (their paths re-based to each folder)", () => {
    const root = copy(trained);
    const r = replay(root, ['--compare', 'hybrid,ensemble', '--to', '2024-02-23T00:00:00Z']);
    expect(r.status, r.stderr).toBe(0);
    for (const mode of ['hybrid', 'ensemble']) {
      const state = JSON.parse(
        readFileSync(join(root, `replay-${mode}`, 'paper_trades/positions_state.json'), 'utf8'),
      );
      expect(state.modelId, mode).not.toBeNull();
      expect(state.modelError, mode).toBeUndefined();
    }
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
