// The REST API's read endpoints, /metrics and the dashboard files, on a workspace built by a real replay.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readWorkspaceStatus } from '../src/runtime/workspace-status.js';
import { createApp } from '../src/server/index.js';
import { runCli } from './cli.js';

const NOW = Date.parse('2024-03-01T00:00:00Z');
const HOUR = 3_600_000;
let workspace = '';
let dashboard = '';
/** The replay's own result (--json): its window and its benchmarks' figures over it. */
// biome-ignore lint/suspicious/noExplicitAny: the replay's JSON
let replayed: any;

beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'ht-server-'));
  const common = ['--root', workspace];
  const train = runCli([
    'train',
    '--study',
    'st',
    '--trials',
    '6',
    '--kind',
    'sma-cross',
    '--data',
    'builtin?seed=3&bars=1200',
    '--validation-bars',
    '100',
    '--folds',
    '2',
    ...common,
  ]);
  expect(train.status, train.stderr).toBe(0);
  const replay = runCli([
    'replay',
    '--study',
    'st',
    '--data',
    'builtin?seed=3&bars=1400',
    '--from',
    '2024-02-20T00:00:00Z',
    '--json',
    ...common,
  ]);
  expect(replay.status, replay.stderr).toBe(0);
  replayed = JSON.parse(replay.stdout)[0];
  dashboard = mkdtempSync(join(tmpdir(), 'ht-dash-'));
  writeFileSync(join(dashboard, 'index.html'), '<!doctype html><title>dash</title>');
  writeFileSync(join(dashboard, 'app.js'), 'console.log(1);');
  writeFileSync(join(dashboard, 'uPlot.min.css'), '.u{}');
  writeFileSync(join(dashboard, 'notes.txt'), 'not a served kind');
}, 120_000);

const appFor = (root: string, extra: Partial<Parameters<typeof createApp>[0]> = {}) =>
  createApp({ root, version: '9.9.9', now: () => NOW, dashboardDir: dashboard, ...extra });

// biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary JSON answers
type Json = any;

async function getJson(root: string, path: string, status = 200): Promise<Json> {
  const res = await appFor(root).request(path);
  const body: Json = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body;
}

const fileJson = (root: string, rel: string): Json => JSON.parse(readFileSync(join(root, rel), 'utf8'));
const journal = (root: string, rel: string): Json[] =>
  readFileSync(join(root, rel), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

/** A copy of the workspace to break or change without touching the shared one. */
function copyWorkspace(): string {
  const copy = mkdtempSync(join(tmpdir(), 'ht-server-copy-'));
  cpSync(workspace, copy, { recursive: true });
  return copy;
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A strict parser of the Prometheus text format (0.0.4): every line must be a comment or a sample. */
function parsePrometheus(text: string): { types: Map<string, string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const name = '[a-zA-Z_:][a-zA-Z0-9_:]*';
  const sampleLine = new RegExp(`^(${name})(?:\\{(.*)\\})? (\\S+)$`);
  const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/y;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('# HELP ')) continue;
    const type = new RegExp(`^# TYPE (${name}) (counter|gauge|histogram|summary|untyped)$`).exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    const m = sampleLine.exec(line);
    if (!m) throw new Error(`not a Prometheus line: ${line}`);
    const labels: Record<string, string> = {};
    const rawLabels = m[2] ?? '';
    labelPair.lastIndex = 0;
    while (labelPair.lastIndex < rawLabels.length) {
      const pair = labelPair.exec(rawLabels);
      if (!pair) throw new Error(`bad labels: ${line}`);
      labels[pair[1]!] = pair[2]!.replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
    }
    const raw = m[3]!;
    const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : raw === 'NaN' ? NaN : Number(raw);
    if (Number.isNaN(value) && raw !== 'NaN') throw new Error(`bad value: ${line}`);
    if (!types.has(m[1]!)) throw new Error(`sample before its TYPE line: ${line}`);
    samples.push({ name: m[1]!, labels, value });
  }
  return { types, samples };
}

async function scrape(root: string) {
  const res = await appFor(root).request('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const parsed = parsePrometheus(await res.text());
  const value = (metric: string, labels: Record<string, string> = {}) =>
    parsed.samples.find(
      (s) => s.name === metric && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    )?.value;
  return { ...parsed, value };
}

describe('read endpoints', () => {
  it('health and status describe the workspace', async () => {
    const health = await getJson(workspace, '/api/health');
    expect(health).toEqual({
      ok: true,
      version: '9.9.9',
      uptimeSeconds: 0,
      // the replay's frame loop wrote a heartbeat after NOW (the tests' fixed clock): an age is never negative
      heartbeatAgeSeconds: 0,
      lastBarTs: '2024-02-28T07:00:00.000Z',
      supervisorPid: null,
      problems: [],
    });
    const status = await getJson(workspace, '/api/status');
    expect(status).toEqual(JSON.parse(JSON.stringify(readWorkspaceStatus(workspace, NOW))));
    expect(status.deployed.modelId).toBe('st/1');
  });

  it('deployment, positions, arena and candidate are the state files as they are', async () => {
    const deployment = await getJson(workspace, '/api/deployment');
    expect(deployment).toEqual({
      state: fileJson(workspace, 'deployments/deployment_state.json'),
      problems: [],
    });
    const positions = await getJson(workspace, '/api/positions');
    expect(positions).toEqual({
      state: fileJson(workspace, 'paper_trades/positions_state.json'),
      problems: [],
    });
    const arena = await getJson(workspace, '/api/arena');
    expect(arena).toEqual({ state: fileJson(workspace, 'arena_state/arena_state.json'), problems: [] });
    expect(await getJson(workspace, '/api/arena/candidate')).toEqual({ candidate: null, problems: [] });
  });

  it('pages the deployment history and the trades, clamping offset and limit', async () => {
    const history = journal(workspace, 'deployments/history.jsonl');
    expect(await getJson(workspace, '/api/deployment/history')).toEqual({
      total: history.length,
      offset: 0,
      limit: 100,
      entries: history,
      problems: [],
    });
    const trades = journal(workspace, 'paper_trades/trades.jsonl');
    expect(trades.length).toBeGreaterThan(15);
    const page = await getJson(workspace, '/api/trades?offset=10&limit=5');
    expect(page).toMatchObject({ total: trades.length, offset: 10, limit: 5, problems: [] });
    expect(page.entries).toEqual(trades.slice(10, 15));
    const clamped = await getJson(workspace, '/api/trades?offset=-4&limit=99999');
    expect(clamped).toMatchObject({ offset: 0, limit: 1000 });
    expect(clamped.entries).toEqual(trades);
    const past = await getJson(workspace, '/api/trades?offset=100000');
    expect(past).toMatchObject({ total: trades.length, offset: trades.length, entries: [] });
    const bad = await getJson(workspace, '/api/trades?limit=ten', 400);
    expect(bad.error).toMatch(/"limit" must be an integer, was "ten"/);
  });

  it("labels every figure with its window; a benchmark's return since the arena's first bar is the replay's, its curve's last point over its first", async () => {
    const board = await getJson(workspace, '/api/arena/leaderboard');
    const arena = fileJson(workspace, 'arena_state/arena_state.json');
    const window = { from: '2024-02-20T00:00:00.000Z', to: '2024-02-28T08:00:00.000Z', hours: 200 };
    expect(replayed.window).toEqual(window);
    expect(board.benchmarks.map((b: { name: string }) => b.name)).toEqual(['equal-weight', 'buy-and-hold']);
    for (const b of board.benchmarks) {
      const stored = arena.benchmarks.find((x: { name: string }) => x.name === b.name);
      // the whole replay: from its first bar's open to its last bar's close
      expect(b.sinceEntry).toEqual({ ...window, returnPct: stored.metrics.sinceEntry.returnPct });
      expect(b.sinceEntry.returnPct).toBeCloseTo(
        (stored.equity.at(-1) / stored.startingEquity - 1) * 100,
        10,
      );
      const fromReplay = replayed.benchmarks.find((x: { name: string }) => x.name === b.name);
      expect(b.sinceEntry.returnPct).toBeCloseTo(fromReplay.returnPct, 10);
      // the trailing window the gate reads: the last maxEvalHours (336 h) or all of it when shorter
      expect(b.window).toEqual(window);
      expect(b.returnPct).toBe(stored.metrics.returnPct);
    }
    for (const row of board.rows) {
      expect(row.sinceEntry.to).toBe(window.to);
      expect(row.sinceEntry.hours).toBe(row.hours);
      expect(row.window.to).toBe(window.to);
      expect(Date.parse(row.window.to) - Date.parse(row.window.from)).toBe(row.window.hours * HOUR);
      expect(row).toHaveProperty('psr');
    }
  });

  it("ranks the active arena members as leaderboard.txt does, with the gate's stored verdict", async () => {
    const board = await getJson(workspace, '/api/arena/leaderboard');
    const text = readFileSync(join(workspace, 'arena_state/leaderboard.txt'), 'utf8');
    expect(board.text).toBe(text);
    expect(board.problems).toEqual([]);
    const arena = fileJson(workspace, 'arena_state/arena_state.json');
    const active = arena.models.filter(
      (m: { status: string }) => m.status === 'evaluating' || m.status === 'qualified',
    );
    expect(board.rows).toHaveLength(active.length);
    // the table's rows, rank 1 first, name the same models in the same order
    const tableOrder = text
      .split('\n')
      .filter((l) => /^\s+\d+\s+\S+/.test(l))
      .map((l) => l.trim().split(/\s+/)[1]);
    expect(board.rows.map((r: { modelId: string }) => r.modelId)).toEqual(tableOrder);
    expect(board.rows.map((r: { rank: number }) => r.rank)).toEqual(
      active.map((_: unknown, k: number) => k + 1),
    );
    const first = board.rows[0];
    const member = active.find((m: { modelId: string }) => m.modelId === first.modelId);
    expect(first).toMatchObject({
      trialNumber: member.trialNumber,
      role: member.role,
      hours: member.hours,
      excessReturnPct: member.metrics.excessReturnPct,
      trades: member.metrics.trades,
    });
    // every row's verdict is the one the arena stored, rule for rule (null for the shadow)
    for (const row of board.rows) {
      const stored = active.find((m: { modelId: string }) => m.modelId === row.modelId);
      expect(row.gate).toEqual(stored.gate);
      if (row.role === 'challenger')
        expect(row.gate.rules.map((r: { rule: string }) => r.rule)).toEqual([
          'minHours',
          'minExcessPct',
          'minSharpe',
        ]);
      else expect(row.gate).toBeNull();
    }

    // The page shows what the gate decided, not what the configuration would say now.
    const configured = copyWorkspace();
    expect(runCli(['init', '--root', configured]).status).toBe(0);
    const configPath = join(configured, 'hybrid.config.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8'));
    config.arena.gate.minHours = 24;
    writeFileSync(configPath, JSON.stringify(config));
    const custom = await getJson(configured, '/api/arena/leaderboard');
    expect(custom.rows).toEqual(board.rows);
  });

  it('lists studies and pages their trials from studies.db; an unknown study is a 404', async () => {
    const studies = await getJson(workspace, '/api/studies');
    expect(studies.problems).toEqual([]);
    expect(studies.studies).toHaveLength(1);
    expect(studies.studies[0]).toMatchObject({ name: 'st', direction: 'maximize', trials: 6, complete: 6 });
    const all = await getJson(workspace, '/api/studies/st/trials');
    expect(all).toMatchObject({ total: 6, offset: 0, limit: 500 });
    expect(all.trials.map((t: { number: number }) => t.number)).toEqual([0, 1, 2, 3, 4, 5]);
    const best = all.trials.reduce((a: { value: number }, b: { value: number }) =>
      b.value > a.value ? b : a,
    );
    expect(studies.studies[0].best).toEqual({ number: best.number, value: best.value });
    expect(all.trials[0]).toMatchObject({ state: 'COMPLETE' });
    expect(all.trials[0].datetimeComplete).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(Object.keys(all.trials[0].params).length).toBeGreaterThan(0);
    // the score after each of its 2 validation folds, in step order (what the pruner compared)
    expect(all.trials[0].intermediateValues.map((v: [number, number]) => v[0])).toEqual([0, 1]);
    expect(all.trials[0].intermediateValues[1][1]).toBeCloseTo(all.trials[0].value, 10);
    const page = await getJson(workspace, '/api/studies/st/trials?offset=4&limit=10');
    expect(page.trials.map((t: { number: number }) => t.number)).toEqual([4, 5]);
    const missing = await getJson(workspace, '/api/studies/nope/trials', 404);
    expect(missing.error).toMatch(/no study named "nope"/);
    // a workspace without studies.db: an empty list, and no database is created by reading
    const empty = mkdtempSync(join(tmpdir(), 'ht-server-empty-'));
    expect(await getJson(empty, '/api/studies')).toEqual({ studies: [], problems: [] });
    await getJson(empty, '/api/studies/st/trials', 404);
    expect(() => readFileSync(join(empty, 'studies.db'))).toThrow();
  });

  it('gives every equity curve on the bar-close time scale, with deployment markers', async () => {
    const equity = await getJson(workspace, '/api/equity');
    const lines = journal(workspace, 'paper_trades/equity.jsonl');
    expect(equity.paper.ts).toEqual(lines.map((l: { ts: number }) => l.ts + HOUR));
    expect(equity.paper.equity).toEqual(lines.map((l: { equity: number }) => l.equity));
    const arena = fileJson(workspace, 'arena_state/arena_state.json');
    const close = arena.lastBarTs + HOUR;
    const active = arena.models.filter((m: { status: string }) => m.status === 'evaluating');
    expect(equity.models.map((m: { modelId: string }) => m.modelId)).toEqual(
      active.map((m: { modelId: string }) => m.modelId),
    );
    for (const series of equity.models) {
      const member = active.find((m: { modelId: string }) => m.modelId === series.modelId);
      expect(series.equity).toEqual(member.equity);
      expect(series.ts.at(-1)).toBe(close);
      // point 0 sits at the close of the frame before the member's first frame (= that frame's open)
      expect(series.ts[0]).toBe(member.enteredAt);
      expect(series.ts[1]).toBe(member.enteredAt + HOUR);
    }
    expect(equity.benchmarks.map((b: { name: string }) => b.name)).toEqual(['equal-weight', 'buy-and-hold']);
    for (const b of equity.benchmarks) {
      expect(b.ts).toHaveLength(arena.frameTs.length + 1);
      expect(b.ts[0]).toBe(arena.frameTs[0]);
      expect(b.ts.at(-1)).toBe(close);
    }
    const deploys = journal(workspace, 'deployments/history.jsonl').filter((e) => e.action === 'deploy');
    expect(equity.markers).toEqual(
      deploys.map((e) => ({ ts: e.cycleTs + HOUR, kind: 'deploy', modelId: e.modelId, label: e.reason })),
    );
    const last = await getJson(workspace, '/api/equity?limit=10');
    expect(last.paper.ts).toEqual(equity.paper.ts.slice(-10));
    expect(last.benchmarks[0].equity).toEqual(equity.benchmarks[0].equity.slice(-10));
  });

  it('streams an update event with the last bar', async () => {
    const res = await appFor(workspace, { eventsPollMs: 50 }).request('/api/events');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const { value } = await reader.read();
    await reader.cancel();
    expect(new TextDecoder().decode(value)).toMatch(
      /^event: update\ndata: \{"lastBarTs":"2024-02-28T07:00:00.000Z"\}\n\n/,
    );
  });
});

describe('/metrics', () => {
  it('parses as Prometheus text and its equity is exactly positions_state.json', async () => {
    const m = await scrape(workspace);
    const state = fileJson(workspace, 'paper_trades/positions_state.json');
    expect(m.value('hybrid_trader_paper_equity')).toBe(state.equity);
    expect(m.value('hybrid_trader_paper_cash')).toBe(state.cash);
    expect(m.value('hybrid_trader_paper_return_ratio')).toBe(state.equity / state.initialEquity - 1);
    const positions = state.positions.reduce((s: number, p: { value: number }) => s + p.value, 0);
    expect(m.value('hybrid_trader_positions_value')).toBe(positions);
    const lines = journal(workspace, 'paper_trades/equity.jsonl');
    const peak = Math.max(state.initialEquity, ...lines.map((l: { equity: number }) => l.equity));
    expect(m.value('hybrid_trader_paper_drawdown_ratio')).toBeCloseTo(1 - state.equity / peak, 12);
    expect(m.types.get('hybrid_trader_bars_processed_total')).toBe('counter');
    expect(m.value('hybrid_trader_bars_processed_total', { service: 'paper' })).toBe(lines.length);
    expect(m.value('hybrid_trader_bars_processed_total', { service: 'arena' })).toBe(200);
    expect(m.value('hybrid_trader_steps_skipped_total', { service: 'paper' })).toBe(0);
    const arena = fileJson(workspace, 'arena_state/arena_state.json');
    const evaluating = arena.models.filter((x: { status: string }) => x.status === 'evaluating');
    expect(m.value('hybrid_trader_arena_members', { status: 'evaluating' })).toBe(evaluating.length);
    expect(m.value('hybrid_trader_arena_members', { status: 'qualified' })).toBe(0);
    expect(m.value('hybrid_trader_steps_skipped_total', { service: 'arena', model: 'st/2' })).toBe(0);
    expect(m.value('hybrid_trader_trials_completed', { study: 'st' })).toBe(6);
    expect(m.value('hybrid_trader_feed_lag_seconds')).toBe((NOW - (state.lastBarTs + HOUR)) / 1000);
    expect(m.value('hybrid_trader_heartbeat_age_seconds')).toBe(0); // the replay's, written after NOW
    expect(m.value('hybrid_trader_supervisor_running')).toBe(0);
    expect(m.value('hybrid_trader_state_problems')).toBe(0);
    expect(m.value('hybrid_trader_info', { version: '9.9.9' })).toBe(1);
  });

  it('reports nothing it does not know in an empty workspace', async () => {
    const m = await scrape(mkdtempSync(join(tmpdir(), 'ht-server-none-')));
    expect(m.value('hybrid_trader_paper_equity')).toBeUndefined();
    expect(m.value('hybrid_trader_feed_lag_seconds')).toBeUndefined();
    expect(m.value('hybrid_trader_state_problems')).toBe(0);
  });
});

describe('broken state files', () => {
  it('are reported as problems naming file and field, never a 500, and nothing is rewritten', async () => {
    const broken = copyWorkspace();
    const positions = join(broken, 'paper_trades/positions_state.json');
    writeFileSync(positions, readFileSync(positions, 'utf8').replace(/"cash": [0-9.e+-]+/, '"cash": -5'));
    const arenaFile = join(broken, 'arena_state/arena_state.json');
    writeFileSync(arenaFile, '{"schemaVersion": 1, "symbols": [');
    const history = join(broken, 'deployments/history.jsonl');
    writeFileSync(history, `${readFileSync(history, 'utf8')}{"cycleTs": "soon", "action": "deploy"}\n`);
    const trades = join(broken, 'paper_trades/trades.jsonl');
    writeFileSync(trades, `garbage\n${readFileSync(trades, 'utf8')}`);

    const health = await getJson(broken, '/api/health');
    expect(health.ok).toBe(false);
    const files = health.problems.map((p: { file: string }) => p.file);
    expect(files).toEqual(expect.arrayContaining([positions, arenaFile]));
    expect((await getJson(broken, '/api/positions')).problems[0].error).toMatch(
      /positions_state.json: field "cash"/,
    );
    expect((await getJson(broken, '/api/arena')).problems[0].error).toMatch(
      /arena_state.json: not valid JSON/,
    );
    const board = await getJson(broken, '/api/arena/leaderboard');
    expect(board.rows).toEqual([]);
    expect(board.text).not.toBeNull();
    const page = await getJson(broken, '/api/deployment/history');
    expect(page).toMatchObject({ total: 0, entries: [] });
    expect(page.problems[0].error).toMatch(/history.jsonl line 3: field "cycleTs"/);
    expect((await getJson(broken, '/api/trades')).problems[0].error).toMatch(
      /trades.jsonl line 1: not valid JSON/,
    );
    const equity = await getJson(broken, '/api/equity');
    expect(equity.models).toEqual([]);
    expect(equity.paper.ts.length).toBeGreaterThan(0);
    expect((await getJson(broken, '/api/status')).problems.length).toBeGreaterThanOrEqual(2);
    const m = await scrape(broken);
    expect(m.value('hybrid_trader_paper_equity')).toBeUndefined();
    expect(m.value('hybrid_trader_state_problems')).toBe(2);
    expect(readFileSync(arenaFile, 'utf8')).toBe('{"schemaVersion": 1, "symbols": [');
  });
});

describe('dashboard files and paths', () => {
  it('serves index.html and whitelisted assets, refuses everything else', async () => {
    const app = appFor(workspace);
    const index = await app.request('/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await index.text()).toContain('<title>dash</title>');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    const script = await app.request('/assets/app.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await app.request('/assets/uPlot.min.css')).headers.get('content-type')).toMatch(/^text\/css/);

    symlinkSync(join(process.cwd(), 'package.json'), join(dashboard, 'linked.js'));
    const refused = [
      '/assets/../package.json',
      '/assets/..%2Fpackage.json',
      '/assets/..%2F..%2F..%2Fetc%2Fpasswd',
      '/assets/%2e%2e%2fpackage.json',
      '/assets/%2e%2e/package.json',
      '/assets/..%5Cpackage.json',
      '/assets/.hidden.js',
      '/assets/notes.txt',
      '/assets/linked.js',
      '/assets/app.js%00.css',
      '/assets/missing.js',
      '/assets/',
      '/package.json',
      '/index.html/../package.json',
    ];
    for (const path of refused) {
      const res = await app.request(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toContain('"name": "hybrid-trader"');
    }
  });

  it('answers 503 with a clear page when the bundle is missing', async () => {
    const app = appFor(workspace, { dashboardDir: join(tmpdir(), 'ht-no-dashboard-here') });
    const res = await app.request('/');
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/dashboard is not built.*npm run build/s);
    expect((await app.request('/assets/app.js')).status).toBe(503);
    expect((await app.request('/api/health')).status).toBe(200); // the API still answers
  });

  it('refuses control ids that could name a path, and unknown API paths as JSON 404s', async () => {
    for (const path of [
      '/api/control/..%2F..',
      '/api/control/..%2F..%2Fpackage',
      '/api/control/short',
      '/api/control/a.b.c.d.e.f.g',
    ]) {
      const res = await appFor(workspace).request(path);
      expect(res.status, path).toBe(400);
    }
    const res = await appFor(workspace).request('/api/control/..%2F..%2F..%2F..%2F..');
    expect(res.status).toBe(400);
    const unknown = await getJson(workspace, '/api/nothing', 404);
    expect(unknown).toEqual({ error: 'not found' });
  });

  it('refuses a Host header that names another host when the server is bound to loopback', async () => {
    const app = appFor(workspace, { allowedHosts: ['127.0.0.1', 'localhost', '::1'] });
    const rebound = await app.request('/api/status', { headers: { host: 'evil.example:8787' } });
    expect(rebound.status).toBe(403);
    for (const host of ['127.0.0.1:8787', 'localhost', '[::1]:8787'])
      expect((await app.request('/api/health', { headers: { host } })).status, host).toBe(200);
  });
});

describe('an empty workspace', () => {
  it('answers every read endpoint with empty values', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ht-server-fresh-'));
    mkdirSync(join(root, 'run'));
    expect(await getJson(root, '/api/deployment')).toEqual({ state: null, problems: [] });
    expect(await getJson(root, '/api/positions')).toEqual({ state: null, problems: [] });
    expect(await getJson(root, '/api/arena/leaderboard')).toEqual({
      text: null,
      rows: [],
      benchmarks: [],
      problems: [],
    });
    expect(await getJson(root, '/api/trades')).toEqual({
      total: 0,
      offset: 0,
      limit: 100,
      entries: [],
      problems: [],
    });
    expect(await getJson(root, '/api/equity')).toEqual({
      paper: { ts: [], equity: [] },
      models: [],
      benchmarks: [],
      markers: [],
      problems: [],
    });
    expect((await getJson(root, '/api/health')).ok).toBe(true);
    rmSync(root, { recursive: true });
  });
});
