// The REST API's mutating endpoints: token, body limit and validation, queueing to run/control/.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { completeControlRequest } from '../src/lifecycle/control/index.js';
import { createApp } from '../src/server/index.js';
import { runCli, trainSmallStudy } from './cli.js';

const TOKEN = 'test-token-0123456789abcdef';
const NOW = Date.parse('2024-03-01T00:00:00Z');
let workspace = '';

beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'ht-control-api-'));
  const train = trainSmallStudy(workspace, { study: 'st', trials: 6, kind: 'sma-cross', seed: 3 });
  expect(train.status, train.stderr).toBe(0);
  // 200 bars: several challengers are still being evaluated at the end
  const replay = runCli([
    'replay',
    '--study',
    'st',
    '--data',
    'builtin?seed=3&bars=1400',
    '--from',
    '2024-02-20T00:00:00Z',
    '--root',
    workspace,
  ]);
  expect(replay.status, replay.stderr).toBe(0);
}, 120_000);

// biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary JSON answers
type Json = any;

const app = (token: string | undefined = TOKEN) =>
  createApp({ root: workspace, version: 't', token, now: () => NOW });

function post(path: string, body: unknown, headers: Record<string, string> = {}, token?: string) {
  return app(token).request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const auth = { authorization: `Bearer ${TOKEN}` };

/** Every file of the workspace (logs excluded) with a hash of its content: to prove nothing changed. */
function snapshot(): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.set(relative(workspace, path), createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(workspace);
  return out;
}

const activeChallenger = (): string => {
  const arena = JSON.parse(readFileSync(join(workspace, 'arena_state/arena_state.json'), 'utf8'));
  return arena.models.find(
    (m: Json) => m.role === 'challenger' && (m.status === 'evaluating' || m.status === 'qualified'),
  ).modelId;
};

const ENDPOINTS: [string, unknown][] = [
  ['/api/control/pause', { service: 'paper' }],
  ['/api/control/resume', { service: 'deployer' }],
  ['/api/control/promote', { modelId: 'st/2' }],
  ['/api/control/demote', {}],
  ['/api/control/rollback', { reason: 'bad week' }],
];

describe('mutating endpoints refuse without the right token and change nothing', () => {
  it('403 when no token is configured, whatever the request carries', async () => {
    const before = snapshot();
    for (const [path, body] of ENDPOINTS) {
      const res = await post(path, body, auth, '');
      expect(res.status, path).toBe(403);
      expect((await res.json()) as Json).toEqual({
        error: 'mutations disabled: set HYBRID_TRADER_API_TOKEN',
      });
    }
    expect(snapshot()).toEqual(before);
    expect(existsSync(join(workspace, 'run/control'))).toBe(false);
  });

  it('401 without a token, with a wrong one, or another scheme', async () => {
    const before = snapshot();
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-token' },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: `Bearer ${TOKEN.slice(0, -1)}` },
      { authorization: `Basic ${Buffer.from(`api:${TOKEN}`).toString('base64')}` },
      { authorization: TOKEN },
    ];
    for (const [path, body] of ENDPOINTS)
      for (const headers of attempts) {
        const res = await post(path, body, headers);
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      }
    expect(snapshot()).toEqual(before);
    expect(existsSync(join(workspace, 'run/control'))).toBe(false);
  });
});

describe('with the token', () => {
  it('400 naming the field for bad bodies, 415 for non-JSON, 413 for oversized ones; nothing queued', async () => {
    const cases: [string, string | object, RegExp][] = [
      ['/api/control/pause', { service: 'arena' }, /field "service"/],
      ['/api/control/pause', {}, /field "service"/],
      ['/api/control/resume', { service: 'paper', force: true }, /force/],
      ['/api/control/promote', {}, /field "modelId"/],
      ['/api/control/promote', { modelId: 7 }, /field "modelId"/],
      ['/api/control/demote', { reason: 'x'.repeat(501) }, /field "reason"/],
      ['/api/control/rollback', '{"reason": ', /not valid JSON/],
      ['/api/control/rollback', '[1, 2]', /expected object/],
    ];
    for (const [path, body, message] of cases) {
      const res = await post(path, body, auth);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(((await res.json()) as Json).error).toMatch(message);
    }
    const text = await post('/api/control/demote', 'reason=x', { ...auth, 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    const big = await post('/api/control/demote', { reason: 'x'.repeat(17 * 1024) }, auth);
    expect(big.status).toBe(413);
    expect(((await big.json()) as Json).error).toMatch(/must not exceed 16384 bytes/);
    expect(existsSync(join(workspace, 'run/control'))).toBe(false);
  });

  it('409 for a promotion of a model that is not an active challenger', async () => {
    for (const modelId of ['st/1', 'nobody/9']) {
      const res = await post('/api/control/promote', { modelId }, auth);
      expect(res.status, modelId).toBe(409);
    }
    const shadow = await post('/api/control/promote', { modelId: 'st/1' }, auth);
    expect(((await shadow.json()) as Json).error).toMatch(/st\/1 is the deployed model/);
    expect(existsSync(join(workspace, 'run/control'))).toBe(false);
  });

  it('202 queues each request, readable at GET /api/control/:id until the deployer decides', async () => {
    const modelId = activeChallenger();
    const requests: Json[] = [];
    for (const [path, body] of [...ENDPOINTS, ['/api/control/demote', '']] as [string, unknown][]) {
      const payload = path.endsWith('promote') ? { modelId, reason: 'by hand' } : body;
      const res = await post(path, payload, auth);
      const answer: Json = await res.json();
      expect(res.status, `${path}: ${JSON.stringify(answer)}`).toBe(202);
      expect(answer.supervisorRunning).toBe(false);
      expect(res.headers.get('location')).toBe(`/api/control/${answer.request.id}`);
      requests.push(answer.request);
    }
    expect(requests.map((r) => r.action)).toEqual([
      'pause',
      'resume',
      'promote',
      'demote',
      'rollback',
      'demote',
    ]);
    expect(requests[0]).toMatchObject({ service: 'paper', modelId: null, requestedBy: 'api' });
    expect(requests[2]).toMatchObject({ service: null, modelId, reason: 'by hand' });
    expect(requests[4]).toMatchObject({ reason: 'bad week' });
    expect(requests[0].requestedAt).toBe(new Date(NOW).toISOString());
    expect(readdirSync(join(workspace, 'run/control/pending'))).toHaveLength(6);

    // reading needs no token
    const pending = await app(undefined).request(`/api/control/${requests[2].id}`);
    expect(pending.status).toBe(200);
    expect((await pending.json()) as Json).toEqual({ request: requests[2], status: 'pending', result: null });

    const result = {
      schemaVersion: 1 as const,
      status: 'applied' as const,
      reason: 'promoted by hand',
      cycleTs: 1,
      at: '2024-03-01T00:00:00.000Z',
    };
    completeControlRequest(workspace, requests[2], result);
    const applied = await app().request(`/api/control/${requests[2].id}`);
    expect((await applied.json()) as Json).toEqual({ request: requests[2], status: 'applied', result });

    const unknown = await app().request('/api/control/00000000-0000-0000-0000-000000000000');
    expect(unknown.status).toBe(404);
  });

  it('a GET on a mutating path queues nothing', async () => {
    const res = await app().request('/api/control/pause', { headers: auth });
    expect(res.status).toBe(400); // GET /api/control/:id with an id that is not one
  });
});
