// The supervisor: one loop driving deployer, paper trader and arena on closed frames from a feed, with a
// lock, a pid, a heartbeat, and a clean stop (finish the current frame, commit, exit).
import { join } from 'node:path';
import type { FrameFeed } from '../lifecycle/contracts.js';
import { writeFileAtomicSafeSync } from '../state/index.js';
import type { Lifecycle } from './lifecycle.js';
import { acquireLock, HEARTBEAT_FILE } from './run-lock.js';

export interface SupervisorOptions {
  readonly root: string;
  readonly feed: FrameFeed;
  readonly lifecycle: (feed: FrameFeed) => Lifecycle;
  /** Frames between yields to the event loop (signals are handled there). */
  readonly yieldEvery?: number;
  readonly onFrame?: (framesDone: number) => void;
}

export interface SupervisorRun {
  readonly frames: number;
  readonly stopped: boolean;
}

/**
 * Runs until the feed is exhausted or SIGTERM / SIGINT arrives; a signal lets the current frame finish,
 * its state is committed, then the loop exits and the lock is released. The lifecycle commits every
 * `commitEvery` frames (openLifecycle's option; 1 by default), and always before waiting for a bar (a
 * live feed's `next()` returning a promise) and when the loop ends, so nothing applied waits on disk for
 * a bar an hour away. A frame that throws is never committed (the restart re-applies it). A second
 * supervisor on the same workspace is refused while this one runs.
 */
export async function runSupervisor(options: SupervisorOptions): Promise<SupervisorRun> {
  const release = acquireLock(options.root);
  let stopping = false;
  const stop = () => {
    stopping = true;
    options.feed.close?.(); // a live feed waiting for the next bar close returns null at once
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const heartbeat = join(options.root, HEARTBEAT_FILE);
  let frames = 0;
  try {
    const life = options.lifecycle(options.feed);
    const nextFrame = async () => {
      const next = options.feed.next();
      if (!(next instanceof Promise)) return next;
      life.commit(); // the feed waits for a bar: what was applied lands first
      return await next;
    };
    for (let frame = await nextFrame(); frame !== null; frame = await nextFrame()) {
      life.onFrame(frame); // throws: no commit (the services are ahead of their files)
      frames++;
      options.onFrame?.(frames);
      if (frames % (options.yieldEvery ?? 25) === 0) {
        writeFileAtomicSafeSync(
          heartbeat,
          `${JSON.stringify({ pid: process.pid, lastBarTs: frame.ts, frames, wallTime: new Date().toISOString() })}\n`,
        );
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (stopping) break;
    }
    life.commit();
    return { frames, stopped: stopping };
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
    release();
  }
}
