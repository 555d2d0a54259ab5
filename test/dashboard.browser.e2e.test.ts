// Browser test: chromium (playwright-core, Debian's /usr/bin/chromium) opens the dashboard served by
// `hybrid-trader serve` on a replayed workspace, and the replay's HTML report from disk, offline.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArenaStateSchema } from '../src/lifecycle/arena/arena-state.js';
import { rankMembers } from '../src/lifecycle/arena/leaderboard.js';
import { CLI, ROOT, runCli, trainSmallStudy } from './cli.js';
import { serviceAvailable } from './require-service.js';

const CHROMIUM = '/usr/bin/chromium';
/** Where CI keeps the screenshots (README, docs/dashboard.md). */
const ARTIFACTS = join(ROOT, '.ci', 'artifacts');
const LAPTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

const hasChromium = serviceAvailable('chromium', () => existsSync(CHROMIUM));

// ---- Functions run inside the page (serialised by playwright). This file is type-checked without the DOM
// library, so they see the page's globals through this narrow view.
interface PageRect {
  left: number;
  top: number;
  width: number;
  height: number;
}
interface PageElement {
  dataset: Record<string, string | undefined>;
  textContent: string | null;
  children: ArrayLike<PageElement>;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  getBoundingClientRect(): PageRect;
}
interface PageCanvas extends PageElement {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
  } | null;
}
interface PageGlobals {
  document: { querySelector(selector: string): PageElement | null; documentElement: { scrollWidth: number } };
  innerWidth: number;
}

/**
 * Pixels of the canvas under `selector` inside its plot area (uPlot's `.u-over`, so axes and legend are
 * left out): `coloured` are saturated (series and markers), `dark` near-black opaque (the paper trader).
 */
function plotPixels(selector: string): { coloured: number; dark: number; area: number } | null {
  const doc = (globalThis as unknown as PageGlobals).document;
  const host = doc.querySelector(selector);
  const canvas = host?.querySelector('canvas') as PageCanvas | null | undefined;
  const over = host?.querySelector('.u-over');
  const ctx = canvas?.getContext('2d');
  if (!canvas || !over || !ctx) return null;
  const c = canvas.getBoundingClientRect();
  const o = over.getBoundingClientRect();
  const scale = canvas.width / c.width;
  const x = Math.round((o.left - c.left) * scale);
  const y = Math.round((o.top - c.top) * scale);
  const w = Math.round(o.width * scale);
  const h = Math.round(o.height * scale);
  const { data } = ctx.getImageData(x, y, w, h);
  let coloured = 0;
  let dark = 0;
  for (let i = 0; i < data.length; i += 4) {
    const r = data[i]!;
    const g = data[i + 1]!;
    const b = data[i + 2]!;
    if (data[i + 3]! < 160) continue;
    const max = Math.max(r, g, b);
    if (max - Math.min(r, g, b) > 60) coloured++;
    else if (max < 70) dark++;
  }
  return { coloured, dark, area: w * h };
}

function leaderboardRows(): { modelId: string; hours: number; status: string; rank: string }[] {
  const doc = (globalThis as unknown as PageGlobals).document;
  const rows = Array.from(doc.querySelector('#leaderboard-table tbody')?.querySelectorAll('tr') ?? []);
  return rows.map((tr) => ({
    modelId: tr.dataset['modelId'] ?? '',
    hours: Number(tr.querySelector('[data-col="hours"]')?.dataset['value']),
    status: tr.querySelector('[data-col="status"]')?.textContent ?? '',
    rank: tr.querySelector('[data-col="rank"]')?.textContent ?? '',
  }));
}

function layout(): { scrollWidth: number; innerWidth: number; cardLefts: number[] } {
  const g = globalThis as unknown as PageGlobals;
  const cards = Array.from(g.document.querySelector('#overview-cards')?.querySelectorAll('.card') ?? []);
  return {
    scrollWidth: g.document.documentElement.scrollWidth,
    innerWidth: g.innerWidth,
    cardLefts: cards.map((c) => Math.round(c.getBoundingClientRect().left)),
  };
}

function dataOf(selector: string): Record<string, string | undefined> {
  return { ...(globalThis as unknown as PageGlobals).document.querySelector(selector)?.dataset };
}

// ---- The workspace, the server and the browser.

interface EquityApi {
  paper: { equity: number[] };
  models: { modelId: string; equity: number[] }[];
  benchmarks: { name: string; equity: number[] }[];
  markers: unknown[];
}

/** Starts `hybrid-trader serve --port 0` and resolves with its URL, read from the first stdout line. */
function serve(root: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve', '--root', root, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`serve printed no URL in 20 s: ${out}${err}`)), 20_000);
    child.stderr!.on('data', (chunk) => {
      err += String(chunk);
    });
    child.stdout!.on('data', (chunk) => {
      out += String(chunk);
      const m = /^serving .+ at (http:\/\/127\.0\.0\.1:\d+\/)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}: ${out}${err}`));
    });
  });
}

/** Records console errors, uncaught exceptions and every requested URL of a page. */
function watch(page: Page): { errors: string[]; urls: string[] } {
  const seen = { errors: [] as string[], urls: [] as string[] };
  page.on('console', (m) => {
    if (m.type() === 'error') seen.errors.push(m.text());
  });
  page.on('pageerror', (e) => seen.errors.push(e.message));
  page.on('request', (r) => seen.urls.push(r.url()));
  return seen;
}

describe.skipIf(!hasChromium)('dashboard and replay report in chromium', () => {
  let workspace = '';
  let bars = 0;
  let server: ChildProcess | null = null;
  let url = '';
  let browser: Browser | null = null;

  beforeAll(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'ht-dashboard-'));
    const train = trainSmallStudy(workspace, { study: 'st', trials: 12, kind: 'sma-cross', seed: 3 });
    expect(train.status, train.stderr).toBe(0);
    // Trials released every 6 h over the last ~330 h: most of them are still in the arena at the end,
    // and the deployer has deployed several times (markers on the chart, entries in the timeline).
    const replay = runCli([
      'replay',
      '--study',
      'st',
      '--data',
      'builtin?seed=3&bars=1700',
      '--from',
      '2024-02-27T00:00:00Z',
      '--release-every',
      '6',
      '--report',
      join(workspace, 'report.html'),
      '--root',
      workspace,
      '--json',
    ]);
    expect(replay.status, replay.stderr).toBe(0);
    bars = JSON.parse(replay.stdout)[0].bars;
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ child: server, url } = await serve(workspace));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
  });

  it('draws the equity and trial charts from the API, lists the arena as arena_state.json, stays local', async () => {
    const page = await browser!.newPage({ viewport: LAPTOP });
    const seen = watch(page);
    await page.goto(url);
    await page.waitForSelector('#equity-chart canvas');
    await page.waitForSelector('#trial-chart canvas');
    await page.waitForSelector('#leaderboard-table tbody tr');
    await page.waitForSelector('#timeline-list li[data-action="deploy"]');

    // the equity chart drew one series per curve of the API, each with all its points
    const equity = (await (await fetch(`${url}api/equity?limit=5000`)).json()) as EquityApi;
    const summary = JSON.parse((await page.evaluate(dataOf, '#equity-chart'))['summary']!) as {
      id: string;
      points: number;
    }[];
    const expected = [
      { id: 'paper', points: equity.paper.equity.length },
      ...equity.models.map((m) => ({ id: m.modelId, points: m.equity.length })),
      ...equity.benchmarks.map((b) => ({ id: `benchmark:${b.name}`, points: b.equity.length })),
    ];
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
    expect(summary.map(({ id, points }) => ({ id, points })).sort(byId)).toEqual(expected.sort(byId));
    expect(equity.models.length).toBeGreaterThanOrEqual(5);
    expect(equity.paper.equity.length).toBeGreaterThan(100);
    expect(Number((await page.evaluate(dataOf, '#equity-chart'))['markers'])).toBe(equity.markers.length);
    expect(equity.markers.length).toBeGreaterThan(0);

    // ... and the canvas holds real lines, the paper trader's among them (hiding it removes dark pixels)
    const drawn = (await page.evaluate(plotPixels, '#equity-chart'))!;
    expect(drawn.coloured).toBeGreaterThan(3000);
    expect(drawn.dark).toBeGreaterThan(1000);
    const paperLegend = page.locator('#equity-chart .u-legend .u-series[data-kind="paper"] .u-label');
    await paperLegend.click();
    await expect
      .poll(async () => (await page.evaluate(plotPixels, '#equity-chart'))!.dark)
      .toBeLessThan(drawn.dark / 2);
    await paperLegend.click();

    // the trial chart drew every completed trial
    const trials = (await (await fetch(`${url}api/studies/st/trials?limit=500`)).json()) as {
      trials: { state: string; value: number | null }[];
    };
    const complete = trials.trials.filter((t) => t.state === 'COMPLETE' && t.value !== null).length;
    expect(complete).toBe(12);
    expect(Number((await page.evaluate(dataOf, '#trial-chart'))['points'])).toBe(complete);
    expect((await page.evaluate(plotPixels, '#trial-chart'))!.coloured).toBeGreaterThan(300);
    // ... and the trials table lists them, the latest first, with parameters and the score after each fold
    const trialRows = page.locator('#trials-table tbody tr');
    await expect.poll(() => trialRows.count()).toBe(trials.trials.length);
    expect(await trialRows.first().locator('[data-col="trial"]').textContent()).toBe(
      String(trials.trials.length - 1),
    );
    expect(await trialRows.first().locator('[data-col="params"]').textContent()).toMatch(/=/);
    expect(await trialRows.first().locator('[data-col="folds"]').textContent()).toMatch(/^0: -?\d/);

    // the trades section: round trips with their P/L and the latest fills, as trades.jsonl holds them
    const fills = (await (await fetch(`${url}api/trades?limit=1000`)).json()) as { total: number };
    expect(fills.total).toBeGreaterThan(0);
    await expect.poll(() => page.locator('#fills-table tbody tr').count()).toBe(Math.min(50, fills.total));
    await expect.poll(() => page.locator('#round-trips-table tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('#trades-note').textContent()).toMatch(
      new RegExp(`^${fills.total} fills in all`),
    );

    // the leaderboard lists the active members of arena_state.json in rank order, with hours and status
    const arena = ArenaStateSchema.parse(
      JSON.parse(readFileSync(join(workspace, 'arena_state', 'arena_state.json'), 'utf8')),
    );
    const active = rankMembers(
      arena.models.filter((m) => m.status === 'evaluating' || m.status === 'qualified'),
    );
    const rows = await page.evaluate(leaderboardRows);
    expect(rows).toEqual(
      active.map((m, k) => ({ modelId: m.modelId, hours: m.hours, status: m.status, rank: String(k + 1) })),
    );
    expect(rows.length).toBeGreaterThanOrEqual(5);
    // the same order as leaderboard.txt
    const text = readFileSync(join(workspace, 'arena_state', 'leaderboard.txt'), 'utf8');
    const textOrder = [...text.matchAll(/^\s+\d+\s+(\S+)/gm)].map((m) => m[1]);
    expect(rows.map((r) => r.modelId)).toEqual(textOrder);

    // the overview shows the deployed model
    const deployed = JSON.parse(
      readFileSync(join(workspace, 'deployments', 'deployment_state.json'), 'utf8'),
    );
    await expect
      .poll(() => page.locator('#overview-cards [data-field="model"]').textContent())
      .toBe(deployed.current.modelId);

    // it polls: a second round of requests within the 5 s period (plus slack)
    const statusCalls = () => seen.urls.filter((u) => u.endsWith('/api/status')).length;
    await expect.poll(statusCalls, { timeout: 9_000, interval: 250 }).toBeGreaterThanOrEqual(2);

    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    expect(seen.errors).toEqual([]);
    expect(seen.urls.filter((u) => !u.startsWith(url) && !u.startsWith('data:'))).toEqual([]);
    expect(await page.locator('#problems').isHidden()).toBe(true);
    await page.close();
  });

  it('fits a phone: one column, no sideways scrolling of the page', async () => {
    const page = await browser!.newPage({ viewport: PHONE });
    const seen = watch(page);
    await page.goto(url);
    await page.waitForSelector('#equity-chart canvas');
    await page.waitForSelector('#leaderboard-table tbody tr');
    await page.waitForSelector('#overview-cards [data-field="model"]:not(:empty)');
    const { scrollWidth, innerWidth, cardLefts } = await page.evaluate(layout);
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    expect(new Set(cardLefts).size).toBe(1);
    expect((await page.evaluate(plotPixels, '#equity-chart'))!.coloured).toBeGreaterThan(500);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-phone.png'), fullPage: true });
    expect(seen.errors).toEqual([]);
    await page.close();
  });

  it('the replay report opens offline from disk and draws the same chart from its embedded data', async () => {
    const context = await browser!.newContext({ viewport: LAPTOP, offline: true });
    const outside: string[] = [];
    await context.route('**/*', (route) => {
      if (route.request().url().startsWith('file:')) return route.continue();
      outside.push(route.request().url());
      return route.abort();
    });
    const page = await context.newPage();
    const seen = watch(page);
    await page.goto(pathToFileURL(join(workspace, 'report.html')).href);
    await page.waitForSelector('[data-equity-source] canvas');
    const summary = JSON.parse((await page.evaluate(dataOf, '[data-equity-source]'))['summary']!) as {
      kind: string;
      points: number;
    }[];
    // the paper trader's curve starts at the window's first open, with the equity it entered it with
    expect(summary.find((s) => s.kind === 'paper')!.points).toBe(bars + 1);
    expect(summary.filter((s) => s.kind === 'arena').length).toBeGreaterThanOrEqual(5);
    expect(summary.filter((s) => s.kind === 'benchmark').length).toBe(2);
    const drawn = (await page.evaluate(plotPixels, '[data-equity-source]'))!;
    expect(drawn.coloured).toBeGreaterThan(3000);
    expect(drawn.dark).toBeGreaterThan(1000);
    expect(await page.locator('.note').count()).toBe(0); // the interactive chart, not the SVG fallback
    await page.screenshot({ path: join(ARTIFACTS, 'replay-report.png') });
    expect(seen.errors).toEqual([]);
    expect(outside).toEqual([]);
    await context.close();
  });
});
