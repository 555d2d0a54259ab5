// When the frame loop commits the services' state: the one commit policy of start, replay and the services
// alone. A live feed commits every frame; a historical feed batches.
import type { FeedKind } from '../feeds/index.js';

/**
 * A historical feed commits every half second of work, or every 2,000 frames (bounding what waits in
 * memory), and at the end, instead of after every frame: one commit writes every state file (~5 ms with a
 * full arena), more than ten frames cost. A kill loses at most that half second, which the restart replays
 * from the last commit. Commit points do not change the result: every commit holds all services at the
 * same frame, and frames are applied the same way after a restart.
 */
export const HISTORICAL_COMMIT = { frames: 2_000, ms: 500 } as const;

/** Commit after `frames` applied frames or `ms` of work since the last commit, whichever comes first. */
export interface CommitEvery {
  readonly frames: number;
  readonly ms: number;
}

/**
 * The cadence for a feed: every frame when live (a bar that arrived in real time must land before the next
 * is awaited: it cannot be replayed for free); HISTORICAL_COMMIT otherwise, or exactly every `frames`
 * frames when given (`--commit-every N`: what a kill can lose, reproducibly).
 */
export function commitEvery(kind: FeedKind, frames?: number): CommitEvery {
  if (kind === 'live') return { frames: 1, ms: 0 };
  if (frames !== undefined) return { frames: Math.max(1, Math.floor(frames)), ms: Number.POSITIVE_INFINITY };
  return HISTORICAL_COMMIT;
}

/** Counts frames and work since the last commit and says when the next one is due. */
export class CommitClock {
  private uncommitted = 0;
  private committedAt = performance.now();

  constructor(readonly every: CommitEvery) {}

  /** Frames applied since the last commit. */
  get pending(): number {
    return this.uncommitted;
  }

  /** Counts one applied frame; true when a commit is due now. */
  frameApplied(): boolean {
    return ++this.uncommitted >= this.every.frames || performance.now() - this.committedAt >= this.every.ms;
  }

  /** Records that everything applied so far was committed. */
  committed(): void {
    this.uncommitted = 0;
    this.committedAt = performance.now();
  }
}
