// The supervisor: one loop driving deployer, paper trader and arena on closed frames from a feed, with a
// lock, a pid, a per-service heartbeat, restarts of a crashed service, the optional trainer, and a clean
// stop (finish the current frame, commit, exit).
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, StateError } from '../core/errors.js';
import type { FrameEvent, FrameFeed, ServiceLogger } from '../lifecycle/contracts.js';
import { type Heartbeat, type ServiceBeat, type ServiceName, writeHeartbeat } from './heartbeat.js';
import type { Lifecycle, SteppedService } from './lifecycle.js';
import { DISABLED_NOTIFIER, type Notifier, serviceRestartedNotification } from './notify/index.js';
import type { RollingTrainer } from './rolling-trainer.js';
import { acquireLock } from './run-lock.js';
import { ServiceFailure } from './service-failure.js';

export interface RestartPolicy {
  /** Consecutive failures of a frame before the supervisor gives up (exit non-zero, reported). */
  readonly maxRestarts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RESTART: RestartPolicy = { maxRestarts: 5, baseDelayMs: 1_000, maxDelayMs: 60_000 };

export interface SupervisorOptions {
  readonly root: string;
  readonly feed: FrameFeed;
  /** live: heartbeat every frame, stalls are reported by age; replay: as fast as possible. */
  readonly feedKind?: 'live' | 'replay';
  /** Opens (and re-opens, after a crash) the services on the feed's market, from their files. */
  readonly lifecycle: (feed: FrameFeed) => Lifecycle;
  /** The services stepped on each frame, in lifecycle order (default all three). */
  readonly services?: readonly SteppedService[];
  /** When to commit on a replay feed: every `frames` frames or `ms` of work (a live feed commits every frame). */
  readonly commit?: { readonly frames: number; readonly ms: number };
  readonly trainer?: RollingTrainer | null;
  readonly notifier?: Notifier;
  readonly restart?: RestartPolicy;
  readonly logger?: ServiceLogger;
  /** Frames between yields to the event loop on a replay feed (signals are handled there). */
  readonly yieldEvery?: number;
  /** After each applied (and, live, committed) frame, with the services that applied it. */
  readonly onFrame?: (framesDone: number, frame: FrameEvent, life: Lifecycle) => void;
}

export interface SupervisorRun {
  readonly frames: number;
  readonly stopped: boolean;
  readonly restarts: number;
}

const SILENT: ServiceLogger = { info() {}, warn() {}, error() {} };

/** State and configuration errors are not cured by a restart: the supervisor stops and says why. */
function restartable(error: unknown): boolean {
  const cause = error instanceof ServiceFailure ? error.cause : error;
  return !(cause instanceof StateError || cause instanceof ConfigError);
}

/**
 * Runs until the feed is exhausted or SIGTERM / SIGINT arrives; a signal lets the current frame finish,
 * its state is committed, then the loop exits and the lock is released. A frame that throws is never
 * committed: the services are re-opened from their files after a backoff and the frame is applied again
 * (exactly once); after `maxRestarts` consecutive failures, or a state or configuration error, the
 * supervisor stops with the error. The lifecycle commits every frame on a live feed and before waiting for
 * a bar; on a replay feed every `commit.frames` frames or `commit.ms` of work, and at the end. A second
 * supervisor on the same workspace is refused while this one runs.
 */
export async function runSupervisor(options: SupervisorOptions): Promise<SupervisorRun> {
  const release = acquireLock(options.root);
  const live = options.feedKind === 'live';
  const services = options.services ?? (['paper', 'arena', 'deployer'] as const);
  const restart = options.restart ?? DEFAULT_RESTART;
  const notifier = options.notifier ?? DISABLED_NOTIFIER;
  const logger = options.logger ?? SILENT;
  const commitFrames = live ? 1 : (options.commit?.frames ?? 2_000);
  const commitMs = live ? 0 : (options.commit?.ms ?? 500);
  let stopping = false;
  const stop = () => {
    stopping = true;
    options.feed.close?.(); // a live feed waiting for the next bar close returns null at once
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  const beats = new Map<ServiceName, ServiceBeat>();
  const beat = (name: ServiceName, change: Partial<ServiceBeat>) => {
    const prev = beats.get(name) ?? {
      lastBarTs: null,
      wallTime: '',
      restarts: 0,
      state: 'running',
      lastError: null,
    };
    beats.set(name, { ...prev, ...change, wallTime: new Date().toISOString() });
  };
  let frames = 0;
  let lastBarTs: number | null = null;
  const writeBeat = () => {
    const heartbeat: Heartbeat = {
      schemaVersion: 1,
      pid: process.pid,
      feed: live ? 'live' : 'replay',
      timeframeMs: options.feed.market.timeframeMs,
      frames,
      lastBarTs,
      wallTime: new Date().toISOString(),
      services: Object.fromEntries(beats),
    };
    writeHeartbeat(options.root, heartbeat);
  };

  let restarts = 0;
  try {
    let life = options.lifecycle(options.feed);
    for (const s of services) beat(s, { lastBarTs: life[s].lastBarTs });
    beat('feed', { lastBarTs: null });
    if (options.trainer) beat('trainer', { state: 'idle', lastBarTs: null });
    writeBeat();
    let uncommitted = 0;
    let committedAt = performance.now();
    const commit = () => {
      life.commit();
      uncommitted = 0;
      committedAt = performance.now();
    };
    const nextFrame = async () => {
      const next = options.feed.next();
      if (!(next instanceof Promise)) return next;
      if (uncommitted > 0) commit(); // the feed waits for a bar: what was applied lands first
      writeBeat();
      return await next;
    };
    let failures = 0;
    for (let frame = await nextFrame(); frame !== null; ) {
      beat('feed', { lastBarTs: frame.ts });
      try {
        life.step(frame, services); // throws: no commit (the services are ahead of their files)
      } catch (error) {
        const service: ServiceName = error instanceof ServiceFailure ? error.service : 'paper';
        const message = (error as Error)?.message ?? String(error);
        failures++;
        restarts++;
        // Only a live feed restarts: it commits every frame, so re-opened services resume exactly before this
        // frame. A replay commits in batches and is simply run again (it resumes from its last commit).
        if (!live || !restartable(error) || failures > restart.maxRestarts) {
          beat(service, { state: 'failed', lastError: message });
          writeBeat();
          logger.error('service failed; supervisor stops', {
            service,
            error: message,
            failures,
            barTs: frame.ts,
          });
          throw error;
        }
        const delay = Math.min(restart.maxDelayMs, restart.baseDelayMs * 2 ** (failures - 1));
        beat(service, {
          state: 'restarting',
          lastError: message,
          restarts: (beats.get(service)?.restarts ?? 0) + 1,
        });
        writeBeat();
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
        life = options.lifecycle(options.feed); // restores every service to the last commit
        uncommitted = 0;
        continue; // the same frame again: services that had applied it skip it
      }
      failures = 0;
      frames++;
      lastBarTs = frame.ts;
      for (const s of services) beat(s, { state: 'running', lastBarTs: life[s].lastBarTs });
      uncommitted++;
      if (uncommitted >= commitFrames || performance.now() - committedAt >= commitMs) commit();
      if (options.trainer) {
        options.trainer.onFrame(frame);
        beat('trainer', { state: options.trainer.busy ? 'running' : 'idle', lastBarTs: frame.ts });
        if (!live) await options.trainer.settle(); // a replay trains at simulated time: one round at a time
      }
      options.onFrame?.(frames, frame, life);
      if (live || frames % (options.yieldEvery ?? 25) === 0) {
        writeBeat();
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (stopping) break;
      frame = await nextFrame();
    }
    commit();
    // Every service the heartbeat names stops here, the feed and the trainer included: none may be left
    // 'running' (status would call it stalled once this process is gone).
    for (const s of beats.keys()) beat(s, { state: 'idle' });
    writeBeat();
    return { frames, stopped: stopping, restarts };
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
    release();
  }
}
