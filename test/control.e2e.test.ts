// Operator control end to end: a manual promotion through the API (token required) is applied by the
// deployer on the next bar of `start`, keeps cash and positions, and is recorded.
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/server/index.js';
import { runCli, trainSmallStudy } from './cli.js';

const TOKEN = 'control-e2e-token-0123456789';
const DATA = 'builtin?seed=3&bars=1400';
const FROM = '2024-02-20T00:00:00Z';
const END = '2024-02-27T00:00:00Z'; // the first run stops before this bar
const NEXT = '2024-02-27T01:00:00Z'; // the second run applies exactly that one bar
const json = (root: string, file: string) => JSON.parse(readFileSync(join(root, file), 'utf8'));
const start = (root: string, to: string) =>
  runCli([
    'start',
    '--study',
    'ct',
    '--data',
    DATA,
    '--from',
    FROM,
    '--to',
    to,
    '--release-every',
    '6',
    '--root',
    root,
  ]);

describe('manual promotion through the API (end to end)', () => {
  it('refuses without the token, then swaps on the next bar with cash and positions kept, and records it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ht-control-e2e-'));
    const trained = trainSmallStudy(root, { study: 'ct', trials: 8, kind: 'momentum', seed: 3 });
    expect(trained.status, trained.stderr).toBe(0);
    const first = start(root, END);
    expect(first.status, first.stderr).toBe(0);
    const arena = json(root, 'arena_state/arena_state.json');
    const challenger = arena.models.find(
      (m: { role: string; status: string }) => m.role === 'challenger' && m.status === 'evaluating',
    );
    expect(challenger, 'an active challenger to promote').toBeDefined();
    const deployedBefore = json(root, 'deployments/deployment_state.json').current.modelId;
    expect(deployedBefore).not.toBe(challenger.modelId);

    // the same bar without any request, for comparison: a copy taken before anything is queued
    const reference = mkdtempSync(join(tmpdir(), 'ht-control-e2e-ref-'));
    cpSync(root, reference, { recursive: true });

    const app = createApp({ root, version: 'e2e', token: TOKEN });
    const promote = (auth?: string) =>
      app.request('/api/control/promote', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
        body: JSON.stringify({ modelId: challenger.modelId, reason: 'operator test' }),
      });
    expect((await promote()).status).toBe(401);
    expect((await promote('Bearer wrong-token')).status).toBe(401);
    expect(existsSync(join(root, 'run/control'))).toBe(false); // nothing queued
    const accepted = await promote(`Bearer ${TOKEN}`);
    expect(accepted.status).toBe(202);
    const { request } = (await accepted.json()) as { request: { id: string } };

    const second = start(root, NEXT);
    expect(second.status, second.stderr).toBe(0);
    const deployment = json(root, 'deployments/deployment_state.json');
    expect(deployment.current).toMatchObject({ modelId: challenger.modelId, source: 'manual' });
    const status = await (await app.request(`/api/control/${request.id}`)).json();
    expect(status).toMatchObject({ status: 'applied' });
    const history = readFileSync(join(root, 'deployments/history.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(history.at(-1)).toMatchObject({
      action: 'manual',
      modelId: challenger.modelId,
      details: { requestId: request.id, status: 'applied', operatorReason: 'operator test' },
    });

    // cash and positions after the bar equal those of the same bar without the swap: the swap changed
    // only the model (the new one decides from the next bar on)
    const paper = json(root, 'paper_trades/positions_state.json');
    expect(paper.modelId).toBe(challenger.modelId);
    expect(paper.lastBarTs).toBe(Date.parse(END));
    const arenaAfter = json(root, 'arena_state/arena_state.json');
    expect(arenaAfter.models.find((m: { role: string }) => m.role === 'champion-shadow').modelId).toBe(
      challenger.modelId,
    );
    const unswapped = start(reference, NEXT);
    expect(unswapped.status, unswapped.stderr).toBe(0);
    const refPaper = json(reference, 'paper_trades/positions_state.json');
    expect(refPaper.modelId).toBe(deployedBefore);
    expect(paper.cash).toBe(refPaper.cash);
    expect(paper.positions).toEqual(refPaper.positions);
    expect(paper.portfolio).toEqual(refPaper.portfolio);
  }, 180_000);
});
