// `start --live` end to end: the built CLI runs paper trader, arena and deployer on the fake exchange
// (ccxt's binance client pointed at it), trained on the fake's own history. A stop and a restart resume
// without a lost or repeated bar and end where one uninterrupted run ends; the run deploys and notifies a
// JSON webhook; `status` after a clean stop claims nothing is running; an outage mid-run is logged,
// notified, and backfilled in order; a second `start` in a running workspace is refused.
//
// Timing: the live feed decides which bars are closed by the wall clock, the fake serves the bars closed by
// its own clock, held fixed here, always at least an hour behind the wall clock. Every frame after the
// fake's clock is then "missing" to the feed, which polls again every second (the deadline is a day, so
// nothing is skipped): a run waits at the fake's last bar, and the test stops it with SIGTERM once
// paper_trades/positions_state.json shows that bar. (A feed waiting for a bar that has not closed by the
// wall clock keeps the process alive after a stop until that bar's close: see the last test.)
import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lockHolder } from '../src/runtime/run-lock.js';
import {
  HOUR_MS,
  iso,
  paperLastBarTs,
  readJsonl,
  startLive as startLiveRun,
  stopRun,
  trainedLiveWorkspace,
  waitForPaperBar,
  waitUntil,
} from './fake-exchange/live-workspace.js';
import { type RunningCli, runCliAsync } from './fake-exchange/run-cli-async.js';
import { type FakeExchange, startFakeExchange } from './fake-exchange/server.js';
import { startWebhookSink, type WebhookSink } from './fake-exchange/webhook-sink.js';

const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'];
const STUDY = 'live';
/** The wall clock's last hour boundary. */
const BOUNDARY = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
/**
 * Where the fakes' clocks end, an hour before the boundary: the bar at END has closed by the wall clock
 * but the fake does not serve it, so the feed polls for it every second (and a stop exits at once).
 */
const END = BOUNDARY - HOUR_MS;
const FROM = END - 48 * HOUR_MS; // the first frame of the runs of test 1
/**
 * Where test 1's first run stops. A frame the fake does not serve yet is skipped by the feed once it is
 * missingBarDeadlineSeconds (at most 24 h) past its close by the wall clock: the frames a run waits for
 * must be younger than that.
 */
const SPLIT = END - 12 * HOUR_MS;
const hours = (first: number, n: number) => Array.from({ length: n }, (_, k) => first + k * HOUR_MS);

/** A fake at a fixed clock that serves closed bars only (the feed's wall clock would take a forming one). */
async function fakeAt(nowMs: number): Promise<FakeExchange> {
  const fake = await startFakeExchange({ symbols: SYMBOLS, nowMs });
  fake.setFormingCandle(false);
  return fake;
}

const copyOf = (root: string, tag: string) => {
  const dir = mkdtempSync(join(tmpdir(), `ht-live-${tag}-`));
  cpSync(root, dir, { recursive: true });
  return dir;
};
const text = (root: string, file: string) =>
  readFileSync(join(root, file), 'utf8').replaceAll(root, '<root>');
const json = (root: string, file: string) => JSON.parse(text(root, file)) as Record<string, unknown>;
const hookEnv = (sink: WebhookSink, path: string) => ({ HYBRID_TRADER_WEBHOOK_URL: `${sink.url}${path}` });

/** Every line of logs/live_feed_*.log (the files are per bar day), parsed. */
function feedLog(root: string): { msg: string; [key: string]: unknown }[] {
  const dir = join(root, 'logs');
  return readdirSync(dir)
    .filter((f) => /^live_feed_.*\.log$/.test(f))
    .sort()
    .flatMap((f) => readJsonl(join(dir, f)) as { msg: string }[]);
}

/** Every run a test starts: killed after the test, so a failed assertion leaves no supervisor behind. */
const runs: RunningCli[] = [];
const startLive = (...args: Parameters<typeof startLiveRun>) => {
  const run = startLiveRun(...args);
  runs.push(run);
  return run;
};
afterEach(async () => {
  for (const run of runs.splice(0)) {
    run.kill('SIGKILL'); // a no-op for a run that exited
    await run.done;
  }
});

let fakeA: FakeExchange;
let fakeB: FakeExchange;
let hooks: WebhookSink;
let trained = '';
let wsA = '';
let wsB = '';

beforeAll(async () => {
  [fakeA, fakeB, hooks] = await Promise.all([fakeAt(SPLIT), fakeAt(END + 1_000), startWebhookSink()]);
  // 90 days of the fake's bars ending 10 days before the runs: the models fit its symbols and timeframe.
  trained = await trainedLiveWorkspace({
    fake: fakeB,
    study: STUDY,
    sinceMs: END - 100 * 24 * HOUR_MS,
    untilMs: END - 10 * 24 * HOUR_MS,
  });
}, 60_000);

afterAll(async () => {
  await Promise.all([fakeA?.close(), fakeB?.close(), hooks?.close()]);
});

describe('start --live (end to end, fake exchange)', () => {
  it('a stop and a restart mid-run lose and repeat no bar, and end where one uninterrupted run ends', async () => {
    wsA = copyOf(trained, 'a');
    wsB = copyOf(trained, 'b');
    // A: the fake's clock at SPLIT, so the first run catches up 36 of the 48 frames.
    const a1 = startLive(wsA, fakeA, { study: STUDY, fromMs: FROM, env: hookEnv(hooks, '/a') });
    // B, at the same time on its own fake: the uninterrupted run over all 48 frames.
    const b = startLive(wsB, fakeB, { study: STUDY, fromMs: FROM, env: hookEnv(hooks, '/b') });
    await waitForPaperBar(wsA, SPLIT - HOUR_MS, a1);
    const firstStop = await stopRun(a1);
    expect(firstStop.status, firstStop.stderr).toBe(0);
    expect(firstStop.stdout).toMatch(/stopped after 36 frame\(s\) in this run/);
    expect(paperLastBarTs(wsA)).toBe(SPLIT - HOUR_MS);

    // The same command again, the fake's clock now at END: a resume (the --from only applies to a fresh
    // workspace) catches up the other 12 frames.
    fakeA.setNow(END + 1_000);
    const a2 = startLive(wsA, fakeA, { study: STUDY, fromMs: FROM, env: hookEnv(hooks, '/a') });
    await waitForPaperBar(wsA, END - HOUR_MS, a2);
    const secondStop = await stopRun(a2);
    expect(secondStop.status, secondStop.stderr).toBe(0);
    expect(secondStop.stdout).toMatch(/stopped after 12 frame\(s\) in this run/);

    await waitForPaperBar(wsB, END - HOUR_MS, b);
    const onceStop = await stopRun(b);
    expect(onceStop.status, onceStop.stderr).toBe(0);
    expect(onceStop.stdout).toMatch(/stopped after 48 frame\(s\) in this run/);

    const log = feedLog(wsA).map((l) => l.msg);
    expect(log).toContain(
      `live feed started: binance ${SYMBOLS.join(', ')} 1h, first frame ${iso(FROM)} (resuming after ${iso(FROM - HOUR_MS)})`,
    );
    expect(log).toContain(
      `live feed started: binance ${SYMBOLS.join(', ')} 1h, first frame ${iso(SPLIT)} (resuming after ${iso(SPLIT - HOUR_MS)})`,
    );

    // Every bar once, in order, in both workspaces: 48 hourly points from FROM.
    const equityA = readJsonl(join(wsA, 'paper_trades/equity.jsonl'));
    const equityB = readJsonl(join(wsB, 'paper_trades/equity.jsonl'));
    expect(equityA.map((e) => e.ts)).toEqual(hours(FROM, 48));
    expect(equityB.map((e) => e.ts)).toEqual(hours(FROM, 48));
    expect(equityA).toEqual(equityB);

    // The comparison means something: the paper trader traded during the 48 frames.
    expect(readJsonl(join(wsB, 'paper_trades/trades.jsonl')).length).toBeGreaterThan(0);
    // The state files of the two workspaces are the same, byte for byte (paths under the root aside).
    for (const file of [
      'paper_trades/equity.jsonl',
      'paper_trades/trades.jsonl',
      'paper_trades/positions_state.json',
      'deployments/history.jsonl',
      'deployments/deployment_state.json',
      'arena_state/arena_state.json',
      'arena_state/leaderboard.txt',
    ])
      expect(text(wsA, file), file).toBe(text(wsB, file));
    expect(json(wsA, 'paper_trades/positions_state.json').lastBarTs).toBe(END - HOUR_MS);
    expect(json(wsA, 'arena_state/arena_state.json').lastBarTs).toBe(END - HOUR_MS);
  }, 90_000);

  it('the run deployed a model and the JSON webhook was told; status after the stop claims nothing runs', async () => {
    const history = readJsonl(join(wsA, 'deployments/history.jsonl'));
    const deploys = history.filter((e) => e.action === 'deploy');
    expect(deploys.length).toBeGreaterThan(0);
    const first = deploys[0]!;
    expect(first.modelId).toMatch(new RegExp(`^${STUDY}/\\d+$`));
    // The notifier flushes before the process exits: the notification is here by now.
    const notified = await hooks.waitFor('/a', (b) => b.kind === 'deployment', 1_000);
    expect(notified).toMatchObject({
      kind: 'deployment',
      app: 'hybrid-trader',
      severity: 'info',
      modelId: first.modelId,
      source: 'training',
      ts: Date.parse(String(first.at)), // the close of the bar the deployer decided on
    });
    expect(String(notified.title)).toContain(String(first.modelId));
    // One announcement per deployment across the stop and the restart, as in the uninterrupted run.
    const deployed = (path: string) =>
      hooks
        .bodies(path)
        .filter((b) => b.kind === 'deployment')
        .map((b) => b.modelId);
    expect(deployed('/a')).toEqual(deploys.map((e) => e.modelId));
    expect(deployed('/b')).toEqual(deployed('/a'));

    const status = await runCliAsync(['status', '--root', wsA, '--json']);
    expect(status.status, status.stderr).toBe(0);
    const s = JSON.parse(status.stdout);
    expect(s.supervisorPid).toBeNull();
    const current = json(wsA, 'deployments/deployment_state.json').current as { modelId: string } | null;
    expect(s.deployed?.modelId).toBe(current?.modelId);
    expect(s.lastBarTs).toBe(iso(END - HOUR_MS));
    // A clean stop leaves every service idle at the last frame (the feed included): none is reported as
    // running, nor as stalled (which a 'running' claim of a process that is gone turns into).
    expect(
      Object.fromEntries(
        s.services.map((h: { service: string; state: string; lastBarTs: number; restarts: number }) => [
          h.service,
          [h.state, h.lastBarTs, h.restarts],
        ]),
      ),
    ).toEqual({
      paper: ['idle', END - HOUR_MS, 0],
      arena: ['idle', END - HOUR_MS, 0],
      deployer: ['idle', END - HOUR_MS, 0],
      feed: ['idle', END - HOUR_MS, 0],
    });
    expect(s.problems).toEqual([]);
  }, 30_000);

  it('an outage mid-run: logged and notified, then the missed frames are backfilled in order, once each', async () => {
    const T = END - 12 * HOUR_MS; // the frames waited for stay younger than the skip deadline
    const fake = await fakeAt(T);
    try {
      const ws = copyOf(trained, 'outage');
      const from = T - 6 * HOUR_MS;
      const run = startLive(ws, fake, { study: STUDY, fromMs: from, env: hookEnv(hooks, '/c') });
      await waitForPaperBar(ws, T - HOUR_MS, run);
      // The exchange drops every connection from the fake's now until 6 h later.
      fake.outage(T, T + 6 * HOUR_MS, 'drop');
      const unreachable = () => feedLog(ws).find((l) => l.msg.startsWith('exchange unreachable'));
      await waitUntil('the feed to log the outage', () => unreachable() !== undefined, { run });
      expect(unreachable()).toMatchObject({ pendingFromTs: T, failedPolls: 1 });
      const started = await hooks.waitFor('/c', (b) => b.kind === 'data-outage' && b.status === 'started');
      expect(started).toMatchObject({ source: 'binance', lastBarTs: T, severity: 'warning' });
      // Hours pass on the exchange during the outage; when it answers again, 6 frames are waiting.
      fake.setNow(T + 3 * HOUR_MS);
      await new Promise((r) => setTimeout(r, 500));
      expect(paperLastBarTs(ws)).toBe(T - HOUR_MS);
      fake.setNow(T + 6 * HOUR_MS + 1_000);
      await waitForPaperBar(ws, T + 5 * HOUR_MS, run);
      const stopped = await stopRun(run);
      expect(stopped.status, stopped.stderr).toBe(0);

      const log = feedLog(ws);
      const msgs = log.map((l) => l.msg);
      const back = msgs.findIndex((m) =>
        /^exchange reachable again after an outage of \d+ s; backfilling from /.test(m),
      );
      expect(back, msgs.join('\n')).toBeGreaterThan(-1);
      expect(msgs[back]).toContain(`backfilling from ${iso(T)}`);
      expect(msgs).toContain(`backfilling 6 missed closed frame(s) ${iso(T)} .. ${iso(T + 5 * HOUR_MS)}`);
      // After the outage, the frames were released in order, each once.
      const closedAfter = log
        .slice(back)
        .filter((l) => /^frame .* closed$/.test(l.msg))
        .map((l) => l.barTs);
      expect(closedAfter).toEqual(hours(T, 6));
      const equity = readJsonl(join(ws, 'paper_trades/equity.jsonl')).map((e) => e.ts);
      expect(equity).toEqual(hours(from, 12));
      const resolved = await hooks.waitFor(
        '/c',
        (b) => b.kind === 'data-outage' && b.status === 'resolved',
        1_000,
      );
      expect(resolved).toMatchObject({ source: 'binance', lastBarTs: T, severity: 'info' });
    } finally {
      await fake.close();
    }
  }, 60_000);

  it('a second start in a running workspace is refused (exit 2) and leaves the running one alone', async () => {
    const before = text(wsA, 'paper_trades/equity.jsonl');
    // A resumes: fakeA serves nothing after its last frame, so it waits for the next bar.
    const run = startLive(wsA, fakeA, { study: STUDY, env: hookEnv(hooks, '/d') });
    await waitUntil('the supervisor lock', () => lockHolder(wsA) !== null, { run });
    const second = await runCliAsync([
      'start',
      '--live',
      '--exchange-api-url',
      fakeA.url,
      '--study',
      STUDY,
      '--root',
      wsA,
    ]);
    expect(second.status).toBe(2);
    expect(second.stderr).toMatch(/is already run by process \d+; stop it first/);
    expect(lockHolder(wsA)).not.toBeNull();
    const stopped = await stopRun(run);
    expect(stopped.status, stopped.stderr).toBe(0);
    expect(stopped.stdout).toMatch(/stopped after 0 frame\(s\) in this run/);
    expect(text(wsA, 'paper_trades/equity.jsonl')).toBe(before);
    expect(lockHolder(wsA)).toBeNull();
  }, 30_000);

  // close() clears the wait's timer: a stopped supervisor exits at once, not at the next bar close.
  it('SIGTERM while the feed waits for the next bar close exits within seconds', async () => {
    // Not within 20 s of a bar close: the run must be waiting for the next one when it is stopped.
    const untilClose = HOUR_MS - (Date.now() % HOUR_MS);
    if (untilClose < 20_000) await new Promise((r) => setTimeout(r, untilClose + 2_000));
    const hour = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
    const fake = await startFakeExchange({ symbols: SYMBOLS }); // on the wall clock: bars close in real time
    try {
      const ws = copyOf(trained, 'wait');
      const run = startLive(ws, fake, { study: STUDY, fromMs: hour - 3 * HOUR_MS });
      await waitForPaperBar(ws, hour - HOUR_MS, run); // caught up: now it waits for the close of `hour`
      await new Promise((r) => setTimeout(r, 300));
      run.kill('SIGTERM');
      const exited = await Promise.race([
        run.done,
        new Promise<null>((r) => setTimeout(() => r(null), 5_000)),
      ]);
      if (exited === null) {
        expect(lockHolder(ws), 'the supervisor released the lock').toBeNull();
        run.kill('SIGKILL');
        await run.done;
      }
      expect(exited, 'the process exited within 5 s of SIGTERM').not.toBeNull();
      expect(exited?.status).toBe(0);
    } finally {
      await fake.close();
    }
  }, 50_000);
});
