// The supervisor: one loop driving deployer, paper trader and arena on closed frames from a feed, with a
// lock, a pid, a heartbeat, and a clean stop (finish the current frame, flush, exit).
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
 * Runs until the feed is exhausted or SIGTERM / SIGINT arrives; a signal lets the current frame finish
 * (every service has written its state for it), then the loop exits and the lock is released. A second
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
      return next instanceof Promise ? await next : next;
    };
    for (let frame = await nextFrame(); frame !== null; frame = await nextFrame()) {
      life.onFrame(frame);
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
    return { frames, stopped: stopping };
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
    release();
  }
}
