// The one frame loop: `start`, `replay`, `paper`, `arena run` and `deployer --once` all drive the lifecycle's
// services through it. It holds the workspace lock, steps the services on each closed frame of a feed,
// commits on one cadence (commit-cadence.ts), keeps the heartbeat, restarts crashed services on a live feed,
// runs the optional trainer, calls its hooks around each frame, and stops cleanly on SIGTERM / SIGINT
// (finish the current frame, commit, exit).
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, StateError } from '../core/errors.js';
import { type ServiceLogger, SILENT_LOGGER } from '../core/logger.js';
import type { FrameEvent, FrameFeed } from '../feeds/index.js';
import { CommitClock, commitEvery } from './commit-cadence.js';
import { HeartbeatRecorder, type ServiceName } from './heartbeat.js';
import { ALL_SERVICES, type AppliedFrame, type Lifecycle, type SteppedService } from './lifecycle.js';
import { DISABLED_NOTIFIER, type Notifier, serviceRestartedNotification } from './notify/index.js';
import type { RollingTrainer } from './rolling-trainer.js';
import { acquireLock } from './run-lock.js';
import { ServiceFailure } from './service-failure.js';

export interface RestartPolicy {
  /** Consecutive failures of a frame before the loop gives up (exit non-zero, reported). */
  readonly maxRestarts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RESTART: RestartPolicy = { maxRestarts: 5, baseDelayMs: 1_000, maxDelayMs: 60_000 };

/** Code run around each frame: what a command adds to the loop (collectors, reports, refreshes). */
export interface FrameHook {
  /**
   * Before the services step `frame`, e.g. to refresh what they read (a remote study's trials). The loop
   * awaits a returned promise. A hook that throws stops the loop; the frames applied before are committed.
   */
  beforeFrame?(frame: FrameEvent): void | Promise<void>;
  /**
   * After the services stepped `frame` (committed already when the cadence says so); `applied` tells which
   * services applied it (after a restart, those that had applied it before skip it). Read it at once.
   */
  afterFrame?(frame: FrameEvent, life: Lifecycle, applied: Readonly<AppliedFrame>): void;
  /**
   * The feed has no closed frame yet: the loop waits for the next bar close (live), everything applied
   * before committed. Called each time it starts waiting.
   */
  waiting?(): void;
}

export interface FrameLoopOptions {
  /** The workspace: its lock is held for the whole run. */
  readonly root: string;
  /** Where frames come from; its `kind` sets the commit cadence, the restarts and the heartbeat's feed. */
  readonly feed: FrameFeed;
  /** Opens (and re-opens, after a crash) the services on the feed's market, from their files. */
  readonly lifecycle: (feed: FrameFeed) => Lifecycle;
  /** The services stepped on each frame, in lifecycle order (default all three). */
  readonly services?: readonly SteppedService[];
  /** On a historical feed, commit every N frames instead of HISTORICAL_COMMIT (a live feed: every frame). */
  readonly commitEvery?: number;
  readonly hooks?: readonly FrameHook[];
  readonly trainer?: RollingTrainer | null;
  readonly notifier?: Notifier;
  readonly restart?: RestartPolicy;
  readonly logger?: ServiceLogger;
  /** Frames between yields to the event loop on a historical feed (signals are handled there). */
  readonly yieldEvery?: number;
}

export interface FrameLoopRun {
  /** Frames stepped in this run. */
  readonly frames: number;
  /** Ended by a stop signal (else the feed ended). */
  readonly stopped: boolean;
  readonly restarts: number;
  /** The services as the run left them: every frame they applied is committed. */
  readonly life: Lifecycle;
}

/** State and configuration errors are not cured by a restart: the loop stops and says why. */
function restartable(error: unknown): boolean {
  const cause = error instanceof ServiceFailure ? error.cause : error;
  return !(cause instanceof StateError || cause instanceof ConfigError);
}

/**
 * Runs until the feed is exhausted or SIGTERM / SIGINT arrives; a signal lets the current frame finish,
 * its state is committed, then the loop exits and the lock is released. A second loop on the same workspace
 * (another `start`, a `replay`, a service alone) is refused with WORKSPACE_LOCKED while this one runs.
 * A frame that throws is never committed. On a live feed (which commits every frame) the services are
 * re-opened from their files after a backoff and the frame is applied again (exactly once); after
 * `maxRestarts` consecutive failures, or a state or configuration error, the loop stops with the error. A
 * historical feed commits in batches and is not restarted: the error ends the run, and running it again
 * resumes from the last commit. Commits happen on the cadence of commit-cadence.ts, before waiting for a
 * bar, and at the end.
 */
export async function runFrameLoop(options: FrameLoopOptions): Promise<FrameLoopRun> {
  const { feed } = options;
  const live = feed.kind === 'live';
  const services = options.services ?? ALL_SERVICES;
  const hooks = options.hooks ?? [];
  const restart = options.restart ?? DEFAULT_RESTART;
  const notifier = options.notifier ?? DISABLED_NOTIFIER;
  const logger = options.logger ?? SILENT_LOGGER;
  const trainer = options.trainer ?? null;
  const yieldEvery = live ? 1 : (options.yieldEvery ?? 25);
  const clock = new CommitClock(commitEvery(feed.kind, options.commitEvery));
  let stopping = false;
  const stop = () => {
    stopping = true;
    feed.close?.(); // a live feed waiting for the next bar close returns null at once
  };
  // Listening before the lock is taken: once the lock shows, a signal is a clean stop, never a kill.
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  let release: (() => void) | null = null;
  const beats = new HeartbeatRecorder(options.root, live ? 'live' : 'replay', feed.market.timeframeMs);
  let frames = 0;
  let restarts = 0;
  try {
    release = acquireLock(options.root);
    let life = options.lifecycle(feed);
    for (const s of services) beats.set(s, { lastBarTs: life[s].lastBarTs });
    beats.set('feed', { lastBarTs: null });
    if (trainer) beats.set('trainer', { state: 'idle', lastBarTs: null });
    beats.write();
    const commit = () => {
      life.commit();
      clock.committed();
    };
    // A historical feed returns its frames at once: the loop then awaits nothing between frames but its
    // periodic yield (an async step per frame cost more than some services' work on it).
    const nextFrame = (): FrameEvent | null | Promise<FrameEvent | null> => {
      const next = feed.next();
      if (!(next instanceof Promise)) return next;
      if (clock.pending > 0) commit(); // the feed waits for a bar: what was applied lands first
      beats.writeChanged(); // and the heartbeat, whatever its interval: the wait may last a bar
      for (const hook of hooks) hook.waiting?.();
      return next;
    };
    const before = hooks.filter((hook) => hook.beforeFrame !== undefined);
    const beforeFrame = (frame: FrameEvent): Promise<void> | undefined => {
      for (let k = 0; k < before.length; k++) {
        const pending = before[k]!.beforeFrame!(frame);
        if (pending) return finishBeforeFrame(pending, before.slice(k + 1), frame);
      }
      return undefined;
    };
    let failures = 0;
    const first = nextFrame();
    for (let frame = first instanceof Promise ? await first : first; frame !== null; ) {
      beats.ran('feed', frame.ts);
      try {
        const pending = beforeFrame(frame);
        if (pending) await pending;
      } catch (error) {
        if (clock.pending > 0) {
          commit(); // the services are between frames: what they applied is sound
          beats.write();
        }
        throw error;
      }
      let applied: Readonly<AppliedFrame>;
      try {
        applied = life.step(frame, services); // throws: no commit (the services are ahead of their files)
      } catch (error) {
        const service: ServiceName = error instanceof ServiceFailure ? error.service : services[0]!;
        const message = (error as Error)?.message ?? String(error);
        failures++;
        restarts++;
        // Only a live feed restarts: it commits every frame, so re-opened services resume exactly before this
        // frame. A historical feed commits in batches and is simply run again (it resumes from its last commit).
        if (!live || !restartable(error) || failures > restart.maxRestarts) {
          beats.set(service, { state: 'failed', lastError: message });
          beats.write();
          logger.error('service failed; the frame loop stops', {
            service,
            error: message,
            failures,
            barTs: frame.ts,
          });
          throw error;
        }
        const delay = Math.min(restart.maxDelayMs, restart.baseDelayMs * 2 ** (failures - 1));
        beats.set(service, {
          state: 'restarting',
          lastError: message,
          restarts: beats.restarts(service) + 1,
        });
        beats.write();
        logger.error(`${service} crashed; restarting the services from their files in ${delay} ms`, {
          service,
          error: message,
          failures,
          barTs: frame.ts,
        });
        notifier.notify(
          serviceRestartedNotification({ service, restarts: failures, reason: message, ts: Date.now() }),
        );
        await sleep(delay);
        life = options.lifecycle(feed); // restores every service to the last commit
        clock.committed();
        continue; // the same frame again: services that had applied it skip it
      }
      failures = 0;
      frames++;
      beats.frameDone(frame.ts);
      for (const s of services) beats.ran(s, life[s].lastBarTs);
      if (clock.frameApplied()) {
        commit();
        beats.writeDue();
      }
      for (const hook of hooks) hook.afterFrame?.(frame, life, applied);
      if (trainer) {
        trainer.onFrame(frame);
        beats.set('trainer', { state: trainer.busy ? 'running' : 'idle', lastBarTs: frame.ts });
        if (!live) await trainer.settle(); // a historical run trains at simulated time: one round at a time
      }
      if (frames % yieldEvery === 0) await new Promise((resolve) => setImmediate(resolve));
      if (stopping) break;
      const next = nextFrame();
      frame = next instanceof Promise ? await next : next;
    }
    life.commit();
    // Every service the heartbeat names stops here, the feed and the trainer included: none may be left
    // 'running' (status would call it stalled once this process is gone).
    beats.allIdle();
    beats.write();
    return { frames, stopped: stopping, restarts, life };
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
    release?.();
  }
}

/** The rest of the before-frame hooks once one returned a promise: in order, each awaited. */
async function finishBeforeFrame(
  pending: Promise<void>,
  rest: readonly FrameHook[],
  frame: FrameEvent,
): Promise<void> {
  await pending;
  for (const hook of rest) await hook.beforeFrame!(frame);
}
