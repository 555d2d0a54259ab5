// Workspaces for end-to-end tests of `start --live` against the fake exchange: trained on the fake's own
// history (so the models fit its symbols and timeframe), configured to poll it fast, and helpers to wait
// for a running supervisor to reach a frame.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningCli, runCliAsync, startCli } from './run-cli-async.js';
import type { FakeExchange } from './server.js';

export const HOUR_MS = 3_600_000;

export const iso = (ms: number) => new Date(ms).toISOString();

/**
 * hybrid.config.json for a live run on the fake: its symbols, 1h bars, polls as soon as a bar closes and
 * every second while one is missing, a deadline long enough that nothing is skipped (the fake's clock is
 * behind the wall clock, so the feed sees later bars as missing), short retries, and a rate limit that
 * never holds a notification back.
 */
export function writeLiveConfig(
  root: string,
  symbols: readonly string[],
  exchange: Record<string, unknown> = {},
): void {
  const config = {
    schemaVersion: 1,
    exchange: {
      symbols: [...symbols],
      timeframe: '1h',
      warmupBars: 750,
      pollDelaySeconds: 0,
      repollSeconds: 1,
      missingBarDeadlineSeconds: 86_400,
      requestTimeoutMs: 5_000,
      retry: { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 400, jitter: 0 },
      ...exchange,
    },
    notifications: { maxPerMinute: 600, timeoutMs: 2_000, retries: 0 },
  };
  writeFileSync(join(root, 'hybrid.config.json'), `${JSON.stringify(config, null, 2)}\n`);
}

/**
 * A fresh workspace with `trials` trials of `study`, trained on the fake's bars over
 * [sinceMs, untilMs) fetched by `data fetch`, and the live configuration. Returns its root.
 */
export async function trainedLiveWorkspace(options: {
  fake: FakeExchange;
  study: string;
  sinceMs: number;
  untilMs: number;
  trials?: number;
  /** Model kind (default sma-cross: its trials trade within a day or two of hourly bars). */
  kind?: string;
}): Promise<string> {
  const { fake, study } = options;
  const root = mkdtempSync(join(tmpdir(), 'ht-live-trained-'));
  const csv = join(root, 'fake-1h.csv');
  const fetched = await runCliAsync([
    'data',
    'fetch',
    '--exchange',
    'binance',
    '--exchange-api-url',
    fake.url,
    '--symbols',
    fake.symbols.join(','),
    '--timeframe',
    '1h',
    '--since',
    iso(options.sinceMs),
    '--until',
    iso(options.untilMs),
    '--out',
    csv,
    '--json',
  ]);
  if (fetched.status !== 0) throw new Error(`data fetch failed: ${fetched.stderr}`);
  const trained = await runCliAsync([
    'train',
    '--study',
    study,
    '--data',
    csv,
    '--kind',
    options.kind ?? 'sma-cross',
    '--trials',
    String(options.trials ?? 6),
    '--folds',
    '2',
    '--validation-bars',
    '100',
    '--root',
    root,
  ]);
  if (trained.status !== 0) throw new Error(`train failed: ${trained.stderr}`);
  writeLiveConfig(root, fake.symbols);
  return root;
}

/** `start --live` on the fake, in the background; `from` catches a fresh workspace up from that bar. */
export function startLive(
  root: string,
  fake: FakeExchange,
  options: { study: string; fromMs?: number; env?: Record<string, string> },
): RunningCli {
  const args = ['start', '--live', '--exchange-api-url', fake.url, '--study', options.study, '--root', root];
  if (options.fromMs !== undefined) args.push('--from', iso(options.fromMs));
  return startCli(args, { env: options.env });
}

/** The paper trader's lastBarTs as committed in paper_trades/positions_state.json (null: none yet). */
export function paperLastBarTs(root: string): number | null {
  const path = join(root, 'paper_trades', 'positions_state.json');
  if (!existsSync(path)) return null;
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { lastBarTs: number | null }).lastBarTs;
  } catch {
    return null; // never torn (written by rename), but be safe
  }
}

/**
 * Waits until `check()` is true, polling every 50 ms; fails at `timeoutMs`, or at once when `run` exits
 * first (with its output, so a start-up error shows).
 */
export async function waitUntil(
  what: string,
  check: () => boolean,
  options: { run?: RunningCli; timeoutMs?: number } = {},
): Promise<void> {
  const ended: { how: string | null } = { how: null };
  void options.run?.done.then((r) => {
    ended.how = `exited with ${r.status ?? r.signal}: ${r.stderr}${r.stdout}`;
  });
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (!check()) {
    if (ended.how !== null) throw new Error(`waiting for ${what}: the run ${ended.how}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the paper trader has committed the frame at `ts`. */
export function waitForPaperBar(root: string, ts: number, run?: RunningCli, timeoutMs = 30_000) {
  return waitUntil(`paper lastBarTs ${iso(ts)} in ${root}`, () => paperLastBarTs(root) === ts, {
    run,
    timeoutMs,
  });
}

/** SIGTERM, then the run's result: a clean stop finishes the frame, commits and exits 0. */
export async function stopRun(run: RunningCli) {
  run.kill('SIGTERM');
  return await run.done;
}

/** The lines of a JSONL file, parsed (empty when the file does not exist). */
export function readJsonl(path: string): Record<string, unknown>[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
