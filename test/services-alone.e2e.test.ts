// The services alone: `paper`, `deployer --once`, `arena run`, each under the workspace lock, each applying
// frames exactly once from its own files.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, trainSmallStudy } from './cli.js';

const DATA = 'builtin?seed=4&bars=1400';
const FEED = ['--study', 'sa', '--data', DATA, '--from', '2024-02-20T00:00:00Z'];
const json = (root: string, file: string) => JSON.parse(readFileSync(join(root, file), 'utf8'));

describe('services alone (end to end)', () => {
  it('paper holds without a deployment; deployer --once deploys at its last frame once; paper then trades; arena run steps the arena', () => {
    const root = mkdtempSync(join(tmpdir(), 'ht-alone-'));
    // sma-cross trades within days whatever model is best: the test is about the services, not the models
    const train = trainSmallStudy(root, { study: 'sa', trials: 6, kind: 'sma-cross', seed: 4 });
    expect(train.status, train.stderr).toBe(0);

    const paper = runCli(['paper', ...FEED, '--to', '2024-02-22T00:00:00Z', '--root', root]);
    expect(paper.status, paper.stderr).toBe(0);
    // it says so, instead of holding cash over every bar without a word
    expect(paper.stderr).toMatch(
      /^warning: nothing is deployed in .*: the paper trader alone trades only the model it holds, so it will hold cash/m,
    );
    expect(paper.stdout).toMatch(
      /finished after \d+ frame\(s\) in this run; nothing was deployed: the paper trader held cash/,
    );
    let state = json(root, 'paper_trades/positions_state.json');
    expect(state).toMatchObject({
      modelId: null,
      lastBarTs: Date.parse('2024-02-21T23:00:00Z'),
      positions: [],
    });

    const once = runCli(['deployer', '--once', ...FEED, '--root', root]);
    expect(once.status, once.stderr).toBe(0);
    expect(once.stdout).toMatch(/cycle at 2024-02-21T23:00:00.000Z/);
    expect(once.stdout).toMatch(/deploy +sa\/\d+ +first deployment/);
    const deployed = json(root, 'deployments/deployment_state.json').current.modelId;
    expect(json(root, 'paper_trades/positions_state.json').modelId).toBe(deployed);
    const again = runCli(['deployer', '--once', ...FEED, '--root', root]);
    expect(again.stdout).toMatch(/the deployer is up to date/);

    const more = runCli(['paper', ...FEED, '--to', '2024-02-26T00:00:00Z', '--root', root]);
    expect(more.status, more.stderr).toBe(0);
    expect(more.stderr).not.toMatch(/nothing is deployed/);
    state = json(root, 'paper_trades/positions_state.json');
    expect(state.lastBarTs).toBe(Date.parse('2024-02-25T23:00:00Z'));
    const equity = readFileSync(join(root, 'paper_trades/equity.jsonl'), 'utf8').trim().split('\n');
    expect(equity).toHaveLength(24 * 6); // every frame once, none twice
    expect(readFileSync(join(root, 'paper_trades/trades.jsonl'), 'utf8').length).toBeGreaterThan(0);

    const arena = runCli(['arena', 'run', ...FEED, '--to', '2024-02-24T00:00:00Z', '--root', root]);
    expect(arena.status, arena.stderr).toBe(0);
    const arenaState = json(root, 'arena_state/arena_state.json');
    expect(arenaState.lastBarTs).toBe(Date.parse('2024-02-23T23:00:00Z'));
    expect(arenaState.models.some((m: { role: string }) => m.role === 'champion-shadow')).toBe(true);
  }, 120_000);

  it('--commit-every applies to historical bars only: with --live it is refused by name', () => {
    const root = mkdtempSync(join(tmpdir(), 'ht-alone-live-'));
    const run = runCli(['start', '--live', '--study', 'sa', '--commit-every', '5', '--root', root]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/COMMIT_EVERY_LIVE.*a live feed commits every frame/);
  });
});
