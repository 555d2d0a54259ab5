// The frame loop on an in-memory feed and a fake lifecycle whose "files" are the frames it committed:
// restarts (a crashed frame is re-applied once from the last commit after the backoff; state errors, too
// many consecutive failures and historical feeds stop with the error; the heartbeat tells which), the
// commit cadence, the hooks around each frame, and the workspace lock.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StateError } from '../core/errors.js';
import type { ServiceLogger } from '../core/logger.js';
import type { FeedKind, FrameEvent, FrameFeed } from '../feeds/index.js';
import { appendFrame, createMarketData } from '../market/market-data.js';
import { type FrameLoopOptions, type RestartPolicy, runFrameLoop } from './frame-loop.js';
import { type Heartbeat, readHeartbeat } from './heartbeat.js';
import type { AppliedFrame, Lifecycle, SteppedService } from './lifecycle.js';
import { DISABLED_NOTIFIER, type Notification, type Notifier } from './notify/index.js';
import { lockHolder } from './run-lock.js';
import { ServiceFailure } from './service-failure.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 0, 5);
const ts = (k: number) => T0 + k * H;
const RESTART: RestartPolicy = { maxRestarts: 2, baseDelayMs: 1, maxDelayMs: 5 };

/**
 * A feed of `n` hourly frames. Live, next() answers with a promise, as a live feed waiting for a bar does;
 * historical, it answers at once.
 */
function memoryFeed(n: number, kind: FeedKind): FrameFeed {
  const market = createMarketData(['AAA/USDT'], H, n + 1);
  let k = 0;
  let closed = false;
  return {
    market,
    kind,
    next() {
      let frame: FrameEvent | null = null;
      if (!closed && k < n) {
        const t0 = ts(k++);
        appendFrame(market, t0, [{ ts: t0, open: 100, high: 200, low: 90, close: 100 + k, volume: 1 }]);
        frame = { market, t: market.length - 1, ts: t0 };
      }
      return kind === 'live' ? Promise.resolve(frame) : frame;
    },
    close() {
      closed = true;
    },
  };
}

/** What the fake services have "on disk": the frames committed, in order, and what happened. */
interface Files {
  committed: number[];
  opens: number;
  /** How many frames each commit landed (a commit with nothing new counts 0). */
  commits: number[];
  /** The heartbeat as it was when the lifecycle was (re-)opened. */
  beatsAtOpen: (Heartbeat | null)[];
}

/**
 * A lifecycle over `files`: opening restores the committed frames; step applies a frame once (a frame at
 * or before the last applied is skipped, as the real services do), and `fail(ts, attempt)` may throw
 * after the frame was applied in memory (the services are then ahead of their files, as after a crash
 * mid-frame). commit() writes what was applied.
 */
function fakeLifecycle(
  root: string,
  files: Files,
  fail: (frameTs: number, attempt: number) => unknown,
): (feed: FrameFeed) => Lifecycle {
  const attempts = new Map<number, number>();
  return () => {
    files.opens++;
    files.beatsAtOpen.push(readHeartbeat(root));
    const applied = [...files.committed];
    const service = {
      get lastBarTs() {
        return applied.length === 0 ? null : applied[applied.length - 1]!;
      },
    };
    const step = (frame: FrameEvent, services: readonly SteppedService[]): AppliedFrame => {
      const last = service.lastBarTs;
      const fresh = last === null || frame.ts > last;
      if (fresh) applied.push(frame.ts);
      const attempt = (attempts.get(frame.ts) ?? 0) + 1;
      attempts.set(frame.ts, attempt);
      const error = fail(frame.ts, attempt);
      if (error !== null) throw error;
      return {
        paper: fresh && services.includes('paper'),
        arena: fresh && services.includes('arena'),
        deployer: fresh && services.includes('deployer'),
      };
    };
    return {
      paper: service,
      arena: service,
      deployer: service,
      step,
      commit() {
        files.commits.push(applied.length - files.committed.length);
        files.committed = [...applied];
      },
    } as unknown as Lifecycle;
  };
}

function recordingNotifier(): Notifier & { sent: Notification[] } {
  const sent: Notification[] = [];
  return { ...DISABLED_NOTIFIER, enabled: true, sent, notify: (n: Notification) => void sent.push(n) };
}

function memoryLogger(): ServiceLogger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, info() {}, warn() {}, error: (message: string) => void errors.push(message) };
}

function setup(
  n: number,
  fail: (frameTs: number, attempt: number) => unknown = () => null,
  kind: FeedKind = 'live',
) {
  const root = mkdtempSync(join(tmpdir(), 'ht-frame-loop-'));
  const files: Files = { committed: [], opens: 0, commits: [], beatsAtOpen: [] };
  return {
    root,
    files,
    feed: memoryFeed(n, kind),
    lifecycle: fakeLifecycle(root, files, fail),
    notifier: recordingNotifier(),
    logger: memoryLogger(),
  };
}

const frames = (n: number) => Array.from({ length: n }, (_, k) => ts(k));

describe('runFrameLoop: restarts of a crashed service (live feed)', () => {
  it('re-opens the services after the backoff and applies the crashed frame once', async () => {
    const s = setup(5, (at, attempt) => (at === ts(2) && attempt === 1 ? new Error('boom') : null));
    const run = await runFrameLoop({ ...s, restart: RESTART });
    expect(run).toMatchObject({ frames: 5, stopped: false, restarts: 1 });
    // Each frame committed once, in order: the crashed frame was not committed, then applied again once.
    expect(s.files.committed).toEqual(frames(5));
    expect(s.files.opens).toBe(2);
    // When the lifecycle was re-opened, the heartbeat said the service was restarting, and why.
    expect(s.files.beatsAtOpen[1]?.services.paper).toMatchObject({
      state: 'restarting',
      restarts: 1,
      lastError: 'boom',
      lastBarTs: ts(1),
    });
    const beat = readHeartbeat(s.root);
    expect(beat).toMatchObject({ feed: 'live', frames: 5, lastBarTs: ts(4) });
    // A plain Error is charged to the first service; the others ran on.
    expect(beat?.services.paper).toMatchObject({ restarts: 1, lastError: 'boom', lastBarTs: ts(4) });
    expect(beat?.services.arena).toMatchObject({ restarts: 0, lastError: null, lastBarTs: ts(4) });
    // A clean end leaves no service claiming to run, the feed included.
    expect(Object.values(beat?.services ?? {}).map((b) => b.state)).toEqual(['idle', 'idle', 'idle', 'idle']);
    expect(s.notifier.sent).toEqual([
      expect.objectContaining({ kind: 'service-restarted', service: 'paper', restarts: 1, reason: 'boom' }),
    ]);
    expect(s.logger.errors).toEqual([
      expect.stringMatching(/^paper crashed; restarting the services from their files in 1 ms$/),
    ]);
    expect(lockHolder(s.root)).toBeNull();
  });

  it('names the service of a ServiceFailure; failures need to be consecutive to stop the run', async () => {
    // Frame 1 fails twice (the limit), frame 3 twice again: the count starts over after frame 1 succeeds.
    const s = setup(5, (at, attempt) =>
      (at === ts(1) || at === ts(3)) && attempt <= 2 ? new ServiceFailure('arena', new Error('disk')) : null,
    );
    const run = await runFrameLoop({ ...s, restart: RESTART });
    expect(run).toMatchObject({ frames: 5, stopped: false, restarts: 4 });
    expect(s.files.committed).toEqual(frames(5));
    expect(readHeartbeat(s.root)?.services.arena).toMatchObject({
      restarts: 4,
      lastError: 'arena: disk',
      state: 'idle',
    });
    expect(readHeartbeat(s.root)?.services.paper).toMatchObject({ restarts: 0, lastError: null });
    // The notification counts the consecutive restarts of the frame.
    expect(s.notifier.sent.map((n) => n.kind === 'service-restarted' && [n.service, n.restarts])).toEqual([
      ['arena', 1],
      ['arena', 2],
      ['arena', 1],
      ['arena', 2],
    ]);
  });

  it('a StateError is not restarted: rethrown at once, the service reported failed', async () => {
    const broken = new StateError('STATE_INVALID', 'paper_trades/positions_state.json is invalid');
    const s = setup(5, (at) => (at === ts(2) ? broken : null));
    await expect(runFrameLoop({ ...s, restart: RESTART })).rejects.toBe(broken);
    expect(s.files.opens).toBe(1);
    expect(s.files.committed).toEqual(frames(2)); // a live feed commits every frame before waiting
    expect(s.notifier.sent).toEqual([]);
    expect(readHeartbeat(s.root)?.services.paper).toMatchObject({
      state: 'failed',
      restarts: 0,
      lastError: broken.message,
    });
    expect(lockHolder(s.root)).toBeNull();
  });

  it('more than maxRestarts consecutive failures stop the run with the error', async () => {
    const s = setup(5, (at, attempt) => (at === ts(3) ? new Error(`still broken (${attempt})`) : null));
    await expect(runFrameLoop({ ...s, restart: RESTART })).rejects.toThrow('still broken (3)');
    expect(s.files.opens).toBe(3); // the first open and two restarts
    expect(s.files.committed).toEqual(frames(3));
    expect(readHeartbeat(s.root)?.services.paper).toMatchObject({
      state: 'failed',
      restarts: 2,
      lastError: 'still broken (3)',
    });
    expect(s.notifier.sent).toHaveLength(2);
    expect(s.logger.errors.at(-1)).toBe('service failed; the frame loop stops');
  });

  it('on a historical feed a failure is rethrown without a restart', async () => {
    const s = setup(5, (at) => (at === ts(1) ? new Error('boom') : null), 'historical');
    await expect(runFrameLoop({ ...s, restart: RESTART })).rejects.toThrow('boom');
    expect(s.files.opens).toBe(1);
    expect(s.notifier.sent).toEqual([]);
    expect(readHeartbeat(s.root)).toMatchObject({ feed: 'replay' });
    expect(readHeartbeat(s.root)?.services.paper).toMatchObject({ state: 'failed', restarts: 0 });
  });
});

describe('runFrameLoop: one commit policy', () => {
  it('a live feed commits every frame', async () => {
    const s = setup(5);
    await runFrameLoop(s);
    expect(s.files.commits.filter((n) => n > 0)).toEqual([1, 1, 1, 1, 1]);
  });

  it('a historical feed batches: every N frames with commitEvery, and the rest at the end', async () => {
    const s = setup(7, undefined, 'historical');
    await runFrameLoop({ ...s, commitEvery: 3 });
    expect(s.files.commits.filter((n) => n > 0)).toEqual([3, 3, 1]);
    expect(s.files.committed).toEqual(frames(7));
  });

  it('a historical feed commits by default only after 2,000 frames or 500 ms of work, and at the end', async () => {
    const s = setup(50, undefined, 'historical');
    const run = await runFrameLoop(s);
    expect(run).toMatchObject({ frames: 50, stopped: false, restarts: 0 });
    // 50 fake frames take far less than 500 ms: one commit at the end holds them all.
    expect(s.files.commits.filter((n) => n > 0)).toEqual([50]);
    expect(readHeartbeat(s.root)).toMatchObject({ feed: 'replay', frames: 50, lastBarTs: ts(49) });
  });

  it('commits every frame of a historical feed without writing the heartbeat at each (once a second)', async () => {
    const s = setup(20, undefined, 'historical');
    const framesInBeat = new Set<number>();
    const hooks = [{ afterFrame: () => void framesInBeat.add(readHeartbeat(s.root)!.frames) }];
    await runFrameLoop({ ...s, hooks, commitEvery: 1 });
    expect(s.files.commits.filter((n) => n > 0)).toEqual(Array(20).fill(1));
    // 20 fake frames take far less than 20 s: the heartbeat after a commit lags behind it
    expect(framesInBeat.size).toBeLessThan(20);
    expect(readHeartbeat(s.root)).toMatchObject({ frames: 20, lastBarTs: ts(19) });
  });
});

describe('runFrameLoop: hooks around each frame', () => {
  it('awaits an async beforeFrame hook before stepping, and tells afterFrame which services applied', async () => {
    const s = setup(4, undefined, 'historical');
    const seen: string[] = [];
    const hooks: FrameLoopOptions['hooks'] = [
      {
        async beforeFrame(frame) {
          await new Promise((resolve) => setTimeout(resolve, 1));
          seen.push(`before ${frame.ts} (committed ${s.files.committed.length})`);
        },
        afterFrame(frame, _life, applied) {
          seen.push(`after ${frame.ts} ${applied.paper} ${applied.arena} ${applied.deployer}`);
        },
      },
    ];
    await runFrameLoop({ ...s, hooks, services: ['arena'], commitEvery: 2 });
    expect(seen).toEqual([
      `before ${ts(0)} (committed 0)`,
      `after ${ts(0)} false true false`,
      `before ${ts(1)} (committed 0)`,
      `after ${ts(1)} false true false`,
      `before ${ts(2)} (committed 2)`,
      `after ${ts(2)} false true false`,
      `before ${ts(3)} (committed 2)`,
      `after ${ts(3)} false true false`,
    ]);
  });

  it('runs beforeFrame hooks in order, each finished before the next starts and before the step', async () => {
    const s = setup(2, undefined, 'historical');
    const seen: string[] = [];
    const hooks: FrameLoopOptions['hooks'] = [
      { beforeFrame: (frame) => void seen.push(`sync ${frame.ts}`) },
      {
        async beforeFrame(frame) {
          await new Promise((resolve) => setTimeout(resolve, 1));
          seen.push(`async ${frame.ts}`);
        },
      },
      { beforeFrame: (frame) => void seen.push(`last ${frame.ts}`) },
      { afterFrame: (frame) => void seen.push(`after ${frame.ts}`) },
    ];
    await runFrameLoop({ ...s, hooks, services: ['arena'] });
    expect(seen).toEqual(
      [0, 1].flatMap((k) => [`sync ${ts(k)}`, `async ${ts(k)}`, `last ${ts(k)}`, `after ${ts(k)}`]),
    );
  });

  it('a beforeFrame hook that throws stops the loop; the frames applied before it are committed', async () => {
    const s = setup(6, undefined, 'historical');
    const hooks = [
      {
        beforeFrame(frame: FrameEvent) {
          if (frame.ts === ts(3)) throw new Error('trials unreachable');
        },
      },
    ];
    await expect(runFrameLoop({ ...s, hooks })).rejects.toThrow('trials unreachable');
    expect(s.files.committed).toEqual(frames(3));
    expect(lockHolder(s.root)).toBeNull();
  });

  it('tells the waiting hook each time a live feed makes it wait, after committing what was applied', async () => {
    const s = setup(2);
    const seen: string[] = [];
    const beatAtWait: (number | null)[] = [];
    const hooks: FrameLoopOptions['hooks'] = [
      {
        waiting: () => seen.push(`waiting (committed ${s.files.committed.length})`),
        afterFrame: (frame) => seen.push(`after ${frame.ts}`),
      },
      { waiting: () => beatAtWait.push(readHeartbeat(s.root)?.lastBarTs ?? null) },
    ];
    await runFrameLoop({ ...s, hooks });
    expect(seen).toEqual([
      'waiting (committed 0)',
      `after ${ts(0)}`,
      'waiting (committed 1)',
      `after ${ts(1)}`,
      'waiting (committed 2)',
    ]);
    // the heartbeat is current whenever the loop waits, however soon after the last one
    expect(beatAtWait).toEqual([null, ts(0), ts(1)]);
    // a historical feed never waits
    const h = setup(2, undefined, 'historical');
    const waits: number[] = [];
    await runFrameLoop({ ...h, hooks: [{ waiting: () => waits.push(1) }] });
    expect(waits).toEqual([]);
  });
});

describe('runFrameLoop: the workspace lock', () => {
  it('a second loop on the same workspace is refused with WORKSPACE_LOCKED while the first runs', async () => {
    const s = setup(3);
    let second: unknown = null;
    const hooks = [
      {
        async beforeFrame() {
          if (second !== null) return;
          second = await runFrameLoop({ ...setup(1), root: s.root }).catch((error: unknown) => error);
        },
      },
    ];
    await runFrameLoop({ ...s, hooks });
    expect(second).toMatchObject({ code: 'WORKSPACE_LOCKED' });
    expect(s.files.committed).toEqual(frames(3));
    expect(lockHolder(s.root)).toBeNull();
  });
});

describe('runFrameLoop: a stop signal', () => {
  it('SIGTERM finishes the current frame, commits everything applied and releases the lock', async () => {
    const s = setup(10, undefined, 'historical');
    const listeners = process.listenerCount('SIGTERM');
    const hooks = [
      {
        afterFrame(frame: FrameEvent) {
          if (frame.ts === ts(3)) process.emit('SIGTERM');
        },
      },
    ];
    const run = await runFrameLoop({ ...s, hooks });
    expect(run).toMatchObject({ frames: 4, stopped: true });
    expect(s.files.committed).toEqual(frames(4));
    expect(lockHolder(s.root)).toBeNull();
    expect(process.listenerCount('SIGTERM')).toBe(listeners);
  });
});
