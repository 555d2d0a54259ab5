import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, trainSmallStudy } from './cli.js';

// One small trained-and-replayed workspace shared by the tests (built once).
let workspace = '';

beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'ht-status-'));
  const train = trainSmallStudy(workspace, { study: 'st', trials: 6, kind: 'sma-cross', seed: 3 });
  expect(train.status).toBe(0);
  const replay = runCli([
    'replay',
    '--study',
    'st',
    '--data',
    'builtin?seed=3&bars=1700',
    '--from',
    '2024-02-20T00:00:00Z',
    '--root',
    workspace,
    '--json',
  ]);
  expect(replay.status).toBe(0);
}, 120_000);

describe('status (end to end)', () => {
  it('reports the deployed model, equity, arena and last bar', () => {
    const r = runCli(['status', '--root', workspace, '--json']);
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.deployed.modelId).toMatch(/^st\/\d+$/);
    expect(s.equity).toBeGreaterThan(0);
    expect(s.lastBarTs).toBe('2024-03-11T19:00:00.000Z'); // bar 1699 of the synthetic market
    expect(s.arena.members).toBeGreaterThan(0);
    expect(s.problems).toEqual([]);
    // the paper trader's return since its first bar (the replay's) and since its model, each with its window
    expect(s.paper.sinceStart).toMatchObject({
      from: '2024-02-20T00:00:00.000Z',
      to: '2024-03-11T20:00:00.000Z',
      hours: 500,
    });
    expect(s.paper.sinceStart.returnPct).toBeCloseTo((s.equity / 10_000 - 1) * 100, 8);
    expect(s.paper.sinceModel.modelId).toBe(s.deployed.modelId);
    expect(s.paper.sinceModel.to).toBe('2024-03-11T20:00:00.000Z');
    expect(Date.parse(s.paper.sinceModel.from)).toBeGreaterThan(
      Date.parse(s.deployed.deployedAt) - 3_600_000,
    );
    const text = runCli(['status', '--root', workspace]).stdout;
    expect(text).toMatch(
      /^return {6}[-+]\d+\.\d\d % since start \(2024-02-20T00:00Z\.\.2024-03-11T20:00Z, 500 h\); [-+]\d+\.\d\d % since st\/\d+ took over \(\S+\.\.2024-03-11T20:00Z, \d+ h\)$/m,
    );
    // arena status: the members' figures with their windows
    expect(runCli(['arena', 'status', '--root', workspace]).stdout).toMatch(/Window from\s+Window h/);
    const board = runCli(['arena', 'leaderboard', '--root', workspace]);
    expect(board.stdout).toMatch(
      /Rank\s+Model\s+Trial\s+Entered\s+Hours\s+Return %\s+Window from\s+Window h\s+Window %\s+vs paper \(pp\)\s+Sharpe\s+PSR\s+Sortino\s+Max DD %\s+Trades\s+Status/,
    );
  });

  it('promote without --check is a usage error that says what to run', () => {
    const r = runCli(['promote', '--root', workspace]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^error \[PROMOTE_NEEDS_CHECK\]: promote only checks: run `hybrid-trader promote --check`/,
    );
  });

  it("promote --check shows the candidate's rules, or each challenger's stored verdict", () => {
    const arena = JSON.parse(readFileSync(join(workspace, 'arena_state/arena_state.json'), 'utf8'));
    const challengers = arena.models.filter(
      (m: { role: string; status: string }) =>
        m.role === 'challenger' && (m.status === 'evaluating' || m.status === 'qualified'),
    );
    const json = runCli(['promote', '--check', '--root', workspace, '--json']);
    expect(json.status).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out.challengers.map((c: { modelId: string }) => c.modelId).sort()).toEqual(
      challengers.map((m: { modelId: string }) => m.modelId).sort(),
    );
    for (const c of out.challengers)
      expect(c.gate).toEqual(challengers.find((m: { modelId: string }) => m.modelId === c.modelId).gate);
    const text = runCli(['promote', '--check', '--root', workspace]).stdout;
    if (out.candidate) {
      expect(text).toMatch(new RegExp(`^candidate ${out.candidate.modelId}: `));
      expect(text).toMatch(/ {2}passed {2}minHours \d+ vs 168\n/);
    } else {
      expect(text).toMatch(/^no promotion candidate\n/);
      // each judged challenger with the rules it fails, as the gate stored them
      for (const c of out.challengers.filter((x: { gate: unknown }) => x.gate !== null))
        expect(text).toContain(`  ${c.modelId} (${c.status}, ${c.hours} h): `);
    }
    const status = runCli(['status', '--root', workspace]).stdout;
    expect(status).toMatch(/leader \S+/);
  });

  it('still works with a corrupt, a truncated and a hand-edited state file, naming each file and field', () => {
    const broken = mkdtempSync(join(tmpdir(), 'ht-broken-'));
    cpSync(workspace, broken, { recursive: true });
    const positions = join(broken, 'paper_trades/positions_state.json');
    const original = readFileSync(positions, 'utf8');
    writeFileSync(positions, original.replace(/"cash": [0-9.e+-]+/, '"cash": -5'));
    writeFileSync(join(broken, 'arena_state/arena_state.json'), '{"schemaVersion": 1, "symbols": [');
    const deployment = join(broken, 'deployments/deployment_state.json');
    writeFileSync(deployment, readFileSync(deployment, 'utf8').replace('"mode": "hybrid"', '"mode": "yolo"'));
    const r = runCli(['status', '--root', broken, '--json']);
    expect(r.status).toBe(1);
    const s = JSON.parse(r.stdout);
    const problems = s.problems.map((p: { error: string }) => p.error).join('\n');
    expect(problems).toMatch(/positions_state.json: field "cash"/);
    expect(problems).toMatch(/arena_state.json: not valid JSON/);
    expect(problems).toMatch(/deployment_state.json: field "mode"/);
    // nothing was reset or rewritten
    expect(readFileSync(join(broken, 'arena_state/arena_state.json'), 'utf8')).toBe(
      '{"schemaVersion": 1, "symbols": [',
    );
    // and the services refuse to start on it rather than resetting
    const replay = runCli([
      'replay',
      '--study',
      'st',
      '--data',
      'builtin?seed=3&bars=1700',
      '--from',
      '2024-02-20T00:00:00Z',
      '--root',
      broken,
    ]);
    expect(replay.status).not.toBe(0);
    expect(replay.stderr).toMatch(/(positions_state|arena_state|deployment_state).json/);
  });

  it('names a broken configuration file once, with its code, and exits 2', () => {
    const broken = mkdtempSync(join(tmpdir(), 'ht-broken-config-'));
    writeFileSync(join(broken, 'hybrid.config.json'), '{"schemaVersion": 1, "sim": {');
    const r = runCli(['status', '--root', broken]);
    expect(r.status, r.stderr).toBe(2);
    const problems = r.stdout.split('\n').filter((line) => line.startsWith('PROBLEM'));
    expect(problems).toEqual([
      expect.stringMatching(/^PROBLEM +\[CONFIG_FILE_CORRUPT\] .*hybrid\.config\.json: not valid JSON/),
    ]);
  });
});
